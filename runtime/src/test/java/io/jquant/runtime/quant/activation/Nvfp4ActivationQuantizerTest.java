package io.jquant.runtime.quant.activation;

import static io.jquant.runtime.quant.activation.TestMatrices.assertBits;
import static io.jquant.runtime.quant.activation.TestMatrices.assertNaNOnlyIn;
import static io.jquant.runtime.quant.activation.TestMatrices.bytes;
import static io.jquant.runtime.quant.activation.TestMatrices.matrix;
import static io.jquant.runtime.quant.activation.TestMatrices.rowCodes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.numerics.Fp4E2M1;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.ScaleSwizzle;
import org.junit.jupiter.api.Test;

class Nvfp4ActivationQuantizerTest {
  /** docs/FORMATS.md §2.7's block. */
  private static final float[] BLOCK = {
      0.0f, 0.1f, -0.2f, 0.25f, 0.3f, -0.45f, 0.5f, 0.62f, -0.75f, 0.9f, 1.0f, -1.1f, 1.3f, 1.5f, -1.9f, 2.1f
  };

  @Test
  void workedBlockInTheKernelsOrder() {
    float inputScale = 4.0f / 2688.0f; // calibrated amax 4
    float tensorSf = 1.0f / inputScale;
    float scale = tensorSf * (2.1f * (1.0f / 6.0f));
    assertEquals(672.0f, tensorSf);
    assertEquals(235.2f, scale);
    assertEquals((byte) 0x77, Fp8E4M3.encode(scale)); // 240
    float outputScale = 1.0f / (240.0f * (1.0f / tensorSf));
    assertEquals(2.8f, outputScale);

    QuantizedActivations q = ActivationQuantizer.nvfp4Static(inputScale).quantize(matrix(1, 16, BLOCK));
    // codes 0,1,9,1,2,11,3,3,12,5,5,13,6,6,15,7 packed low nibble first.
    assertArrayEquals(bytes(0x10, 0x19, 0xB2, 0x33, 0x5C, 0xD5, 0x66, 0x7F), q.codes());
    for (int i = 0; i < 16; i++) {
      int code = i % 2 == 0 ? Fp4E2M1.low(q.codes()[i / 2]) : Fp4E2M1.high(q.codes()[i / 2]);
      assertEquals(Fp4E2M1.encode(BLOCK[i] * outputScale), code, "element " + i);
    }
    assertArrayEquals(bytes(0x77), q.scaleCodes());
    assertArrayEquals(new float[] { 240.0f }, q.scales());
    assertEquals(inputScale, q.globalScale());
    assertEquals(ActivationFormat.NVFP4, q.format());
    assertEquals(16, q.groupCols());
    float[] expected = new float[16];
    for (int i = 0; i < 16; i++) {
      int code = i % 2 == 0 ? Fp4E2M1.low(q.codes()[i / 2]) : Fp4E2M1.high(q.codes()[i / 2]);
      expected[i] = Fp4E2M1.decode(code) * (240.0f * inputScale);
    }
    assertBits(expected, q.dequantize().values());
  }

  @Test
  void outputScaleIsTheKernelsReciprocalNotAnAlgebraicEquivalent() {
    // input_scale 1e-4, block amax 3.75e-4: fp8 = 0.625 (0x32). The kernel's 1/(0.625 · (1/tensor_sf)) =
    // 16000.001 puts x at 0.75 exactly, a tie that goes up to 1.0 (code 2); tensor_sf/0.625 = 16000 would
    // give 0.74999994, which rounds to 0.5 (code 1).
    float inputScale = 1.0e-4f;
    float x = 4.6874997e-5f;
    float tensorSf = 1.0f / inputScale;
    assertEquals(1, Fp4E2M1.encode(x * (tensorSf / 0.625f)), "the case tells the two orders apart");
    QuantizedActivations q = ActivationQuantizer.nvfp4Static(inputScale).quantize(matrix(1, 2, 3.75e-4f, x));
    assertArrayEquals(bytes(0x32), q.scaleCodes());
    assertEquals(2, Fp4E2M1.high(q.codes()[0]));
  }

  @Test
  void zeroBlockHasScaleZeroAndZeroCodes() {
    float[] v = new float[32];
    System.arraycopy(BLOCK, 0, v, 0, 16);
    QuantizedActivations q = ActivationQuantizer.nvfp4Static(4.0f / 2688.0f).quantize(matrix(1, 32, v));
    assertArrayEquals(bytes(0x77, 0x00), q.scaleCodes());
    assertArrayEquals(new float[] { 240.0f, 0.0f }, q.scales());
    for (int i = 8; i < 16; i++) {
      assertEquals(0, q.codes()[i]);
    }
    for (int c = 16; c < 32; c++) {
      assertEquals(0.0f, q.dequantize().get(0, c));
    }
  }

  @Test
  void blockScaleRoundingToZeroGivesAZeroBlock() {
    // tensor_sf 1, amax 1e-4: 1e-4/6 is below half the smallest E4M3 subnormal, so fp8 = 0 while amax != 0.
    QuantizedActivations q = ActivationQuantizer.nvfp4Static(1.0f).quantize(matrix(1, 2, 1e-4f, -5e-5f));
    assertArrayEquals(bytes(0x00), q.scaleCodes());
    assertArrayEquals(bytes(0x00), q.codes());
    assertBits(new float[] { 0.0f, 0.0f }, q.dequantize().values());
  }

  @Test
  void blockScaleAbove448Saturates() {
    // input_scale 1/2688 calibrates amax 1; a block with amax 6 wants scale 2688 · 1 = 2688 > 448.
    float inputScale = 1.0f / 2688.0f;
    QuantizedActivations q = ActivationQuantizer.nvfp4Static(inputScale).quantize(matrix(1, 2, 6.0f, -1.0f));
    assertArrayEquals(bytes(0x7E), q.scaleCodes());
    float outputScale = 1.0f / (448.0f * (1.0f / (1.0f / inputScale)));
    assertEquals(Fp4E2M1.pack(Fp4E2M1.encode(6.0f * outputScale), Fp4E2M1.encode(-1.0f * outputScale)),
        q.codes()[0]);
    assertEquals(0x7, Fp4E2M1.low(q.codes()[0])); // 6 · 6 = 36 saturates at 6
  }

  @Test
  void nanOrInfBlockGetsTheNaNScaleAndOnlyItsBlockTurnsNaN() {
    float[] v = new float[2 * 32];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % 9 - 4) * 0.125f;
    }
    v[20] = Float.NaN; // row 0, block 1
    v[32 + 3] = Float.NEGATIVE_INFINITY; // row 1, block 0
    QuantizedActivations q = ActivationQuantizer.nvfp4Static(1.0f / 2688.0f).quantize(matrix(2, 32, v));
    assertEquals(0x7F, q.scaleCode(0, 1));
    assertEquals(0x7F, q.scaleCode(1, 0));
    assertTrue(Float.isNaN(q.scale(0, 1)));
    FloatMatrix back = q.dequantize();
    for (int c = 0; c < 32; c++) {
      assertEquals(c >= 16, Float.isNaN(back.get(0, c)), "[0, " + c + "]");
      assertEquals(c < 16, Float.isNaN(back.get(1, c)), "[1, " + c + "]");
    }
  }

  @Test
  void shortLastBlockOfK33() {
    // input_scale 1: block scale E4M3(amax/6). The 1-element last block holds 3: scale 0.5 (0x30), output
    // scale 2, 3 · 2 = 6 -> code 7 in the low nibble of byte 16; the high nibble is 0.
    float[] v = new float[33];
    for (int i = 0; i < 32; i++) {
      v[i] = (i % 16) * 0.25f - 1.0f;
    }
    v[32] = 3.0f;
    QuantizedActivations q = ActivationQuantizer.nvfp4Static(1.0f).quantize(matrix(1, 33, v));
    assertEquals(17, q.codeBytesPerRow());
    assertEquals(17, q.codes().length);
    assertEquals(3, q.scaleCols());
    assertEquals(0x30, q.scaleCode(0, 2));
    assertEquals((byte) 0x07, q.codes()[16]);
    // Blocks 0 and 1 have amax 2.75: scale E4M3(2.75/6) = E4M3(0.45833334) = 0.46875 (0x2F).
    assertEquals(Fp8E4M3.encode(2.75f * (1.0f / 6.0f)) & 0xFF, q.scaleCode(0, 0));
    assertEquals(0x2F, q.scaleCode(0, 1));
    assertEquals(6.0f * 0.5f, q.dequantize().get(0, 32));
  }

  @Test
  void dynamicInputScaleIsTheTensorAmaxOver2688() {
    FloatMatrix x = matrix(2, 16, new float[32]);
    System.arraycopy(BLOCK, 0, x.values(), 0, 16);
    x.values()[16] = Float.NaN; // row 1 is a NaN block; its NaN stays out of the global scale
    QuantizedActivations dynamic = ActivationQuantizer.nvfp4Dynamic().quantize(x);
    assertEquals(2.1f / 2688.0f, dynamic.globalScale());
    QuantizedActivations asStatic = ActivationQuantizer.nvfp4Static(2.1f / 2688.0f).quantize(x);
    assertArrayEquals(asStatic.codes(), dynamic.codes());
    assertArrayEquals(asStatic.scaleCodes(), dynamic.scaleCodes());
    assertNaNOnlyIn(dynamic.dequantize(), 1, 2, 0, 16);
  }

  @Test
  void dynamicAllZeroTensorUsesGlobalScaleOne() {
    QuantizedActivations q = ActivationQuantizer.nvfp4Dynamic().quantize(matrix(1, 16, new float[16]));
    assertEquals(1.0f, q.globalScale());
    assertArrayEquals(bytes(0x00), q.scaleCodes());
    assertArrayEquals(new byte[8], q.codes());
  }

  @Test
  void interleavedScalesAreTheSwizzledScaleCodes() {
    float[] v = new float[3 * 48];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.sin(i) * (1 + i / 16);
    }
    QuantizedActivations q = ActivationQuantizer.nvfp4Static(0.01f).quantize(matrix(3, 48, v));
    byte[] swizzled = q.interleavedScaleCodes();
    assertEquals(512, swizzled.length);
    assertArrayEquals(ScaleSwizzle.interleave(q.scaleCodes(), 3, 3), swizzled);
    assertNotEquals(0, swizzled[ScaleSwizzle.offset(2, 2, 3)]);
  }

  @Test
  void refusesAnUnusableInputScale() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ActivationQuantizer.nvfp4Static(Float.NaN));
    assertEquals("input_scale must be positive and finite with a finite reciprocal, got NaN", e.getMessage());
  }
}
