package io.jquant.runtime.quant.activation;

import static io.jquant.runtime.quant.activation.TestMatrices.assertBits;
import static io.jquant.runtime.quant.activation.TestMatrices.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.runtime.quant.FloatMatrix;
import org.junit.jupiter.api.Test;

class QuantizedActivationsTest {

  @Test
  void dequantizesPackedCodesWithBlockTimesGlobalScale() {
    // NVFP4 [2, 3] in blocks of 2: row bytes ceil(3/2) = 2, the odd element's high nibble unused.
    // codes row 0: 1.0 (0x2), -6 (0xF) | 0.5 (0x1); row 1: 0 | -0.5 (0x9).
    byte[] codes = bytes(0xF2, 0x01, 0x00, 0x09);
    QuantizedActivations q = new QuantizedActivations("x", ActivationFormat.NVFP4, 2, 3, 1, 2, 2, 2, codes,
        new float[] { 2.0f, 4.0f, 8.0f, 0.5f }, bytes(0x40, 0x48, 0x50, 0x30), 0.25f);
    FloatMatrix back = q.dequantize();
    assertEquals("x", back.name());
    assertBits(new float[] { 0.5f, -3.0f, 0.5f, 0.0f, 0.0f, -0.0625f }, back.values());
  }

  @Test
  void perTensorGroupsCoverEveryRow() {
    QuantizedActivations q = new QuantizedActivations("x", ActivationFormat.INT8, 2, 2, 2, 2, 1, 1,
        bytes(1, -2, 3, 127), new float[] { 0.5f }, new byte[0], 1.0f);
    assertBits(new float[] { 0.5f, -1.0f, 1.5f, 63.5f }, q.dequantize().values());
  }

  @Test
  void wrongArrayLengthsAreRefusedWithTheShape() {
    IllegalArgumentException codes = assertThrows(IllegalArgumentException.class,
        () -> new QuantizedActivations(
            "a", ActivationFormat.MXFP4, 2, 33, 1, 32, 2, 2, new byte[33], new float[4], new byte[4], 1.0f));
    assertEquals("activations a: shape [2, 33] in MXFP4 needs 34 code bytes, got 33", codes.getMessage());
    IllegalArgumentException scales = assertThrows(IllegalArgumentException.class,
        () -> new QuantizedActivations(
            "a", ActivationFormat.FP8_E4M3, 2, 4, 1, 4, 2, 1, new byte[8], new float[1], new byte[0], 1.0f));
    assertEquals("activations a: 2 scales expected, got 1", scales.getMessage());
    IllegalArgumentException scaleCodes = assertThrows(IllegalArgumentException.class,
        () -> new QuantizedActivations(
            "a", ActivationFormat.FP8_E4M3, 2, 4, 1, 4, 2, 1, new byte[8], new float[2], new byte[2], 1.0f));
    assertEquals("activations a: 0 scale codes expected, got 2", scaleCodes.getMessage());
    IllegalArgumentException cover = assertThrows(IllegalArgumentException.class,
        () -> new QuantizedActivations(
            "a", ActivationFormat.FP8_E4M3, 2, 40, 1, 16, 2, 2, new byte[80], new float[4], new byte[0],
            1.0f));
    assertEquals("activations a: 2 x 2 groups of 1 x 16 do not tile [2, 40]", cover.getMessage());
    // One group too many: the last would hold no element, and dequantize() would read past the codes.
    IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
        () -> new QuantizedActivations(
            "a", ActivationFormat.FP8_E4M3, 2, 10, 1, 4, 2, 4, new byte[20], new float[8], new byte[0],
            1.0f));
    assertEquals("activations a: 2 x 4 groups of 1 x 4 do not tile [2, 10]", extra.getMessage());
  }

  @Test
  void floatScalesHaveNoCodesToReadOrInterleave() {
    QuantizedActivations q = ActivationQuantizer.int8PerToken()
        .quantize(TestMatrices.matrix(1, 2, 1.0f, 2.0f));
    IllegalStateException e = assertThrows(IllegalStateException.class, q::interleavedScaleCodes);
    assertEquals("activations x: INT8 scales are float32, not bytes", e.getMessage());
    assertThrows(IllegalStateException.class, () -> q.scaleCode(0, 0));
    IndexOutOfBoundsException outside = assertThrows(IndexOutOfBoundsException.class, () -> q.scale(1, 0));
    assertEquals("activations x: scale [1, 0] is outside [1, 1]", outside.getMessage());
  }

  @Test
  void emptyActivations() {
    for (ActivationQuantizer quantizer : new ActivationQuantizer[] {
        ActivationQuantizer.fp8Static(1.0f), ActivationQuantizer.fp8DynamicPerTensor(null),
        ActivationQuantizer.fp8DynamicPerToken(null), ActivationQuantizer.int8PerToken(),
        ActivationQuantizer.nvfp4Dynamic() }) {
      QuantizedActivations q = quantizer.quantize(TestMatrices.matrix(0, 16));
      assertEquals(0, q.codes().length);
      assertEquals(0, q.dequantize().values().length);
    }
  }
}
