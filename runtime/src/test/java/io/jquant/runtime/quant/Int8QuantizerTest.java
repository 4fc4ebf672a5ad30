package io.jquant.runtime.quant;

import static io.jquant.runtime.quant.TestData.assertBytes;
import static io.jquant.runtime.quant.TestData.assertTensor;
import static io.jquant.runtime.quant.TestData.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class Int8QuantizerTest {
  private static final Int8Quantizer QUANTIZER = new Int8Quantizer();

  @Test
  void tiesRoundToEven() {
    // amax 127 makes the scale exactly 1, so each value is its own tie.
    Int8Weights q = QUANTIZER.quantize(matrix("w", 1, 8, 127, 2.5f, 3.5f, -2.5f, 0.5f, 1.5f, -0.5f, -127));
    assertArrayEquals(new float[] { 1.0f }, q.scales());
    assertBytes("7f 02 04 fe 00 02 00 81", q.data());
  }

  @Test
  void scaleIsRowAbsmaxOver127AndAllZeroRowsGetOne() {
    Int8Weights q = QUANTIZER.quantize(matrix("l.weight", 3, 2, 254, -127, 0, 0, -0.5f, 0.25f));
    assertArrayEquals(new float[] { 2.0f, 1.0f, 0.5f / 127 }, q.scales());
    // row 0: 127, -63.5 -> -64 (tie to even); row 1: zeros; row 2: -127, 63.5 -> 64
    assertBytes("7f c0 00 00 81 40", q.data());
    List<StoredTensor> t = q.tensors();
    assertSame(q.data(), assertTensor(t.get(0), "weight", StorageDType.I8, 3L, 2L));
    byte[] scales = assertTensor(t.get(1), "weight_scale", StorageDType.F32, 3L, 1L);
    int bits = Float.floatToRawIntBits(0.5f / 127);
    assertBytes(String.format("00 00 00 40 00 00 80 3f %02x %02x %02x %02x", bits & 0xFF, (bits >>> 8) & 0xFF,
        (bits >>> 16) & 0xFF, bits >>> 24), scales);
  }

  @Test
  void dequantizedErrorIsAtMostHalfAScaleStep() {
    FloatMatrix w = TestData.randomBlocks("w", 32, 100, 100, 1e5f, 21);
    Int8Weights q = QUANTIZER.quantize(w);
    float[] d = q.dequantize().values();
    for (int r = 0; r < w.rows(); r++) {
      for (int c = 0; c < w.cols(); c++) {
        double error = Math.abs(w.get(r, c) - d[r * w.cols() + c]);
        assertTrue(error <= 0.5 * q.scales()[r] * (1 + 1e-5), "[" + r + ", " + c + "] " + error);
      }
    }
  }

  @Test
  void refusesBadInputNamingTheTensor() {
    assertEquals("tensor w: element [1, 0] (index 2) is NaN; weights must be finite to be quantized",
        assertThrows(IllegalArgumentException.class,
            () -> QUANTIZER.quantize(matrix("w", 2, 2, 0, 0, Float.NaN, 0))).getMessage());
    assertEquals(
        "tensor w: row 0 has amax 1.4E-45, too small to scale: amax/127.0 underflows to 0 in float32",
        assertThrows(IllegalArgumentException.class,
            () -> QUANTIZER.quantize(matrix("w", 1, 1, Float.MIN_VALUE))).getMessage());
    assertEquals("tensor w.weight_scale: weight [2, 2] needs F32 [2, 1] = 2 elements, got 1",
        assertThrows(IllegalArgumentException.class,
            () -> new Int8Weights("w.weight", 2, 2, new byte[4], new float[1])).getMessage());
  }
}
