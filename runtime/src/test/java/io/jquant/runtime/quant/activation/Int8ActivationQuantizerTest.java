package io.jquant.runtime.quant.activation;

import static io.jquant.runtime.quant.activation.TestMatrices.assertBits;
import static io.jquant.runtime.quant.activation.TestMatrices.bytes;
import static io.jquant.runtime.quant.activation.TestMatrices.matrix;
import static io.jquant.runtime.quant.activation.TestMatrices.rowCodes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.quant.FloatMatrix;
import org.junit.jupiter.api.Test;

class Int8ActivationQuantizerTest {
  private final ActivationQuantizer int8 = ActivationQuantizer.int8PerToken();

  @Test
  void amax127GivesScaleOneAndTiesGoToEven() {
    // inverse 127/127 = 1: rint ties to even, 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2, 126.5 -> 126.
    QuantizedActivations q = int8
        .quantize(matrix(1, 8, 0.5f, 1.5f, 2.5f, -0.5f, 127.0f, -127.0f, -2.5f, 126.5f));
    assertArrayEquals(bytes(0, 2, 2, 0, 127, -127, -2, 126), q.codes());
    assertArrayEquals(new float[] { 1.0f }, q.scales());
    assertEquals(ActivationFormat.INT8, q.format());
    assertEquals(1, q.groupRows());
    assertEquals(8, q.groupCols());
    assertBits(new float[] { 0, 2, 2, 0, 127, -127, -2, 126 }, q.dequantize().values());
  }

  @Test
  void multipliesByTheInverse127OverAmax() {
    // amax 254: scale 2, inverse 0.5: 1.5 -> 2, 2.5 -> 2, -127, 0.5 -> 0.
    QuantizedActivations q = int8.quantize(matrix(1, 4, 3.0f, 5.0f, -254.0f, 1.0f));
    assertArrayEquals(bytes(2, 2, -127, 0), q.codes());
    assertArrayEquals(new float[] { 2.0f }, q.scales());
  }

  @Test
  void oneScalePerTokenZeroRowsAndNaNRows() {
    FloatMatrix x = matrix(3, 2, 0.0f, 0.0f, 1.0f, -2.0f, Float.NaN, 1.0f);
    QuantizedActivations q = int8.quantize(x);
    assertEquals(3, q.scaleRows());
    assertEquals(1, q.scaleCols());
    assertArrayEquals(bytes(0, 0), rowCodes(q, 0));
    assertEquals(0.0f, q.scale(0, 0));
    assertArrayEquals(bytes(64, -127), rowCodes(q, 1)); // inverse 63.5: 63.5 -> 64 (even), -127
    assertEquals(2.0f / 127.0f, q.scale(1, 0));
    assertTrue(Float.isNaN(q.scale(2, 0)));
    assertArrayEquals(bytes(0, 0), rowCodes(q, 2)); // NaN has no integer: code 0, NaN through the scale
    float s = 2.0f / 127.0f;
    assertBits(new float[] { 0, 0, 64 * s, -127 * s, Float.NaN, Float.NaN }, q.dequantize().values());
  }

  @Test
  void denormalRowQuantizesToZero() {
    // 127 / 1e-40 overflows to Inf: the inverse is 0.
    QuantizedActivations q = int8.quantize(matrix(1, 2, 1e-40f, 0.0f));
    assertArrayEquals(bytes(0, 0), q.codes());
    assertEquals(1e-40f / 127.0f, q.scale(0, 0));
  }
}
