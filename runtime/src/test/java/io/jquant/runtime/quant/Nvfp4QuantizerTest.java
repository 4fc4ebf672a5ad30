package io.jquant.runtime.quant;

import static io.jquant.runtime.quant.TestData.assertBytes;
import static io.jquant.runtime.quant.TestData.assertSameBits;
import static io.jquant.runtime.quant.TestData.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.numerics.Fp4E2M1;
import io.jquant.runtime.numerics.Fp8E4M3;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Nvfp4QuantizerTest {
  private static final Nvfp4Quantizer QUANTIZER = new Nvfp4Quantizer();

  /** The block of docs/FORMATS.md §2.7. */
  private static final float[] WORKED_BLOCK = {
      0.0f, 0.1f, -0.2f, 0.25f, 0.3f, -0.45f, 0.5f, 0.62f, -0.75f, 0.9f, 1.0f, -1.1f, 1.3f, 1.5f, -1.9f, 2.1f
  };

  /**
   * modelopt's formulas written out element by element with the scalar codecs: an independent check of the
   * quantizer's block loop, bulk calls and nibble packing.
   */
  private static Nvfp4Weights reference(FloatMatrix w, float amax) {
    int rows = w.rows();
    int cols = w.cols();
    float ws2 = amax / (6.0f * 448.0f);
    int blocks = (cols + 15) / 16;
    byte[] scales = new byte[rows * blocks];
    byte[] packed = new byte[rows * ((cols + 1) / 2)];
    for (int r = 0; r < rows; r++) {
      for (int b = 0; b < blocks; b++) {
        float blockAmax = 0.0f;
        for (int c = 16 * b; c < Math.min(cols, 16 * b + 16); c++) {
          blockAmax = Math.max(blockAmax, Math.abs(w.get(r, c)));
        }
        float s = blockAmax / (6.0f * ws2);
        scales[r * blocks + b] = Fp8E4M3.encode(s == 0.0f ? 1.0f : s);
      }
      for (int c = 0; c < cols; c++) {
        float divisor = Fp8E4M3.decode(scales[r * blocks + c / 16]) * ws2;
        int code = Fp4E2M1.encode(w.get(r, c) / divisor);
        packed[r * ((cols + 1) / 2) + c / 2] |= (byte) (c % 2 == 0 ? code : code << 4);
      }
    }
    return new Nvfp4Weights(w.name(), rows, cols, packed, scales, ws2, Nvfp4GlobalScale.MULTIPLIER);
  }

  @Test
  void workedExampleOfFormats27() {
    Nvfp4Weights q = QUANTIZER.quantize(matrix("l.weight", 1, 16, WORKED_BLOCK), 4.0f);
    assertEquals(0x3AC30C31, Float.floatToRawIntBits(q.globalScale()));
    assertBytes("77", q.blockScales());
    assertBytes("10 19 b2 33 5c d5 66 7f", q.packed());
    assertEquals(Nvfp4GlobalScale.MULTIPLIER, q.convention());

    float[] expected = {
        0, 0.178571f, -0.178571f, 0.178571f, 0.357143f, -0.535714f, 0.535714f, 0.535714f,
        -0.714286f, 1.071429f, 1.071429f, -1.071429f, 1.428571f, 1.428571f, -2.142857f, 2.142857f
    };
    float[] dequantized = q.dequantize().values();
    assertArrayEquals(expected, dequantized, 1e-6f);
    // Bit for bit, each value is E2M1 · (240 · ws2), modelopt's (scale · weight_scale_2) product first.
    float blockScale = 240.0f * q.globalScale();
    int[] codes = { 0, 1, 9, 1, 2, 11, 3, 3, 12, 5, 5, 13, 6, 6, 15, 7 };
    for (int i = 0; i < 16; i++) {
      assertEquals(Fp4E2M1.decode(codes[i]) * blockScale, dequantized[i], "element " + i);
    }
    assertEquals("l.weight", q.dequantize().name());
  }

  @Test
  void defaultAmaxIsMaxAbsOfTheWeight() {
    // amax 2688 makes weight_scale_2 exactly 1, the block scale 448 (0x7e) and the divisor 448.
    float[] w = new float[16];
    w[0] = 2688.0f; // 6
    w[1] = -1344.0f; // -3 -> 0xd
    w[2] = 672.0f; // 1.5 -> 0x3
    w[3] = 100.0f; // 0.223 -> 0
    Nvfp4Weights q = QUANTIZER.quantize(matrix("w", 1, 16, w));
    assertEquals(1.0f, q.globalScale());
    assertBytes("7e", q.blockScales());
    assertBytes("d7 03 00 00 00 00 00 00", q.packed());
  }

  @Test
  void calibratedAmaxAboveMaxScalesFromIt() {
    FloatMatrix w = TestData.randomBlocks("w", 3, 48, 16, 10.0f, 7);
    float max = 0;
    for (float v : w.values()) {
      max = Math.max(max, Math.abs(v));
    }
    Nvfp4Weights q = QUANTIZER.quantize(w, 2 * max);
    assertEquals(2 * max / 2688.0f, q.globalScale());
    assertEquals(reference(w, 2 * max), q);
  }

  @Test
  void allZeroBlockGetsScaleOneAndZeroCodes() {
    float[] w = new float[32];
    Arrays.fill(w, 0, 16, 1.5f);
    w[20] = -0.0f; // -0 is zero too: code 0x0
    Nvfp4Weights q = QUANTIZER.quantize(matrix("w", 1, 32, w));
    assertBytes("7e 38", q.blockScales());
    assertBytes("77 77 77 77 77 77 77 77 00 00 00 00 00 00 00 00", q.packed());
  }

  @Test
  void allZeroTensorGetsWeightScale2One() {
    Nvfp4Weights q = QUANTIZER.quantize(matrix("w", 2, 17, new float[34]));
    assertEquals(1.0f, q.globalScale());
    assertBytes("38 38 38 38", q.blockScales());
    assertArrayEquals(new byte[18], q.packed());
    assertArrayEquals(new float[34], q.dequantize().values());
    assertEquals(q, QUANTIZER.quantize(matrix("w", 2, 17, new float[34]), 0.0f));
  }

  @Test
  void tinyBlockScaleUnderflowsToZeroAndSaturatesLikeModelopt() {
    float[] w = new float[32];
    w[0] = 4.0f; // tensor amax 4: ws2 = 4/2688
    w[16] = 1e-6f; // block 1: s = 1e-6·112 = 1.1e-4, below half the smallest E4M3 subnormal -> 0x00
    w[17] = -1e-6f;
    Nvfp4Weights q = QUANTIZER.quantize(matrix("w", 1, 32, w));
    assertBytes("7e 00", q.blockScales());
    // w/0: +Inf -> 7, -Inf -> 15 (0xf), and 0/0 = NaN -> 7 for the zeros, as modelopt's cast gives.
    assertBytes("07 00 00 00 00 00 00 00 f7 77 77 77 77 77 77 77", q.packed());
    float[] d = q.dequantize().values();
    for (int i = 16; i < 32; i++) {
      assertEquals(0.0f, d[i], 0.0f, "element " + i); // ±6 · 0
    }
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(d[17]));
  }

  @Test
  void shortLastBlockOfK33TakesItsScaleFromItsOneElement() {
    float[] w = new float[2 * 33];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 33 == 32) ? 0.03f * (1 + i / 33) : (float) Math.sin(i);
    }
    Nvfp4Weights q = QUANTIZER.quantize(matrix("w", 2, 33, w));
    assertEquals(17 * 2, q.packed().length);
    assertEquals(3 * 2, q.blockScales().length);
    float ws2 = q.globalScale();
    for (int r = 0; r < 2; r++) {
      // Block 2 is element 32 alone: s = |w|/(6·ws2); the element is then (nearly) 6 -> code 7, low nibble
      // of byte 16, the high nibble unused and 0.
      byte expectedScale = Fp8E4M3.encode(0.03f * (1 + r) / (6.0f * ws2));
      assertEquals(expectedScale, q.blockScales()[r * 3 + 2], "row " + r);
      assertEquals(0x07, q.packed()[r * 17 + 16], "row " + r);
    }
    assertEquals(reference(matrix("w", 2, 33, w), maxAbs(w)), q);
  }

  @Test
  void shortLastBlockOfK172MatchesTheReference() {
    FloatMatrix w = TestData.randomBlocks("w", 5, 172, 16, 50.0f, 172);
    Nvfp4Weights q = QUANTIZER.quantize(w);
    assertEquals(5 * 86, q.packed().length);
    assertEquals(5 * 11, q.blockScales().length);
    assertEquals(reference(w, maxAbs(w.values())), q);
  }

  @Test
  void dequantizedErrorIsAtMostHalfAnE2m1StepTimesTheBlockScale() {
    FloatMatrix w = TestData.randomBlocks("w", 16, 160, 16, 100.0f, 42);
    Nvfp4Weights q = QUANTIZER.quantize(w);
    assertEquals(reference(w, maxAbs(w.values())), q);
    float[] d = q.dequantize().values();
    int saturated = 0;
    for (int r = 0; r < w.rows(); r++) {
      for (int c = 0; c < w.cols(); c++) {
        float scale = q.blockScale(r, c / 16);
        assertTrue(Fp8E4M3.decode(q.blockScales()[r * 10 + c / 16]) >= Fp8E4M3.MIN_NORMAL, "normal scales");
        float x = Math.abs(w.get(r, c)) / scale;
        double error = Math.abs(w.get(r, c) - d[r * w.cols() + c]);
        // The gap between neighbouring E2M1 values is 0.5 below 2, 1 below 4 and 2 up to 6.
        double halfStep = x < 2 ? 0.25 : x < 4 ? 0.5 : 1.0;
        double bound = x <= 6 ? halfStep * scale : (x - 6) * scale;
        if (x > 6) {
          saturated++;
          // Only an E4M3 rounding of the block scale (2^-4 relative at most) can push an element past 6.
          assertTrue(x <= 6 * (1 + 0x1p-4) + 1e-5, "x " + x);
        }
        assertTrue(error <= bound * (1 + 1e-6) + 1e-6 * scale,
            "[" + r + ", " + c + "] error " + error + " > " + bound);
      }
    }
    assertTrue(saturated < w.values().length / 16, "saturated " + saturated);
  }

  @Test
  void refusesNonFiniteAndEmptyWeights() {
    float[] w = new float[32];
    w[19] = Float.NaN;
    assertEquals("tensor w: element [1, 3] (index 19) is NaN; weights must be finite to be quantized",
        assertThrows(IllegalArgumentException.class, () -> QUANTIZER.quantize(matrix("w", 2, 16, w)))
            .getMessage());
    assertEquals("tensor w: empty shape [0, 16]; a quantized weight needs at least one row and one column",
        assertThrows(IllegalArgumentException.class,
            () -> QUANTIZER.quantize(matrix("w", 0, 16), 1.0f)).getMessage());
  }

  @Test
  void refusesCalibratedAmaxBelowMaxOrNotFinite() {
    FloatMatrix w = matrix("w", 1, 2, 1.0f, -3.0f);
    assertEquals("tensor w: calibrated amax 2.5 must be finite and at least max|W| = 3.0",
        assertThrows(IllegalArgumentException.class, () -> QUANTIZER.quantize(w, 2.5f)).getMessage());
    assertEquals("tensor w: calibrated amax NaN must be finite and at least max|W| = 3.0",
        assertThrows(IllegalArgumentException.class, () -> QUANTIZER.quantize(w, Float.NaN)).getMessage());
    assertEquals("tensor w: calibrated amax Infinity must be finite and at least max|W| = 3.0",
        assertThrows(IllegalArgumentException.class,
            () -> QUANTIZER.quantize(w, Float.POSITIVE_INFINITY)).getMessage());
  }

  @Test
  void refusesAnAmaxWhoseWeightScale2Underflows() {
    assertEquals(
        "tensor w: amax 1.4E-44 is too small for NVFP4: weight_scale_2 = amax/2688 underflows to 0 in"
            + " float32",
        assertThrows(IllegalArgumentException.class,
            () -> QUANTIZER.quantize(matrix("w", 1, 1, 1.4e-44f))).getMessage());
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
