package io.jquant.runtime.quant.activation;

import static io.jquant.runtime.quant.activation.TestMatrices.assertBits;
import static io.jquant.runtime.quant.activation.TestMatrices.assertNaNOnlyIn;
import static io.jquant.runtime.quant.activation.TestMatrices.bytes;
import static io.jquant.runtime.quant.activation.TestMatrices.matrix;
import static io.jquant.runtime.quant.activation.TestMatrices.rowCodes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.quant.FloatMatrix;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class Fp8ActivationQuantizerTest {
  private static final float NAN = Float.NaN;
  private static final float INF = Float.POSITIVE_INFINITY;

  @Nested
  class Static {
    @Test
    void dividesByTheInputScale() {
      // x / 0.5: 2 -> 0x40; -6.6 -> -6.5 = 0xCD; 600 saturates to 448 = 0x7E; 0.002 -> subnormal 2^-9 = 0x01.
      QuantizedActivations q = ActivationQuantizer.fp8Static(0.5f)
          .quantize(matrix(1, 5, 1.0f, -3.3f, 300.0f, 0.001f, 0.0f));
      assertArrayEquals(bytes(0x40, 0xCD, 0x7E, 0x01, 0x00), q.codes());
      assertArrayEquals(new float[] { 0.5f }, q.scales());
      assertEquals(ActivationFormat.FP8_E4M3, q.format());
      assertEquals(1, q.groupRows());
      assertEquals(5, q.groupCols());
      assertEquals(1, q.scaleRows());
      assertEquals(1, q.scaleCols());
      assertEquals(0, q.scaleCodes().length);
      assertBits(new float[] { 1.0f, -3.25f, 224.0f, 0x1p-10f, 0.0f }, q.dequantize().values());
    }

    @Test
    void divisionNotMultiplicationByTheReciprocal() {
      // 2.055 / 0.0411 = 50.000004 rounds up to 52 (0x65); 2.055 · (1/0.0411) = 50.0 is a tie and goes to 48.
      float s = 0.0411f;
      float x = 2.055f;
      assertEquals((byte) 0x64, Fp8E4M3.encode(x * (1.0f / s)), "the case tells the two apart");
      QuantizedActivations q = ActivationQuantizer.fp8Static(s).quantize(matrix(1, 1, x));
      assertArrayEquals(bytes(0x65), q.codes());
    }

    @Test
    void aRowWithNaNOrInfBecomesNaNCodesAndOnlyThatRow() {
      QuantizedActivations q = ActivationQuantizer.fp8Static(1.0f)
          .quantize(matrix(3, 2, 1.0f, NAN, 2.0f, 3.0f, INF, 1.0f));
      assertArrayEquals(bytes(0x7F, 0x7F, 0x40, 0x44, 0x7F, 0x7F), q.codes());
      assertBits(new float[] { NAN, NAN, 2.0f, 3.0f, NAN, NAN }, q.dequantize().values());
      assertArrayEquals(new float[] { 1.0f }, q.scales());
    }

    @Test
    void refusesAnUnusableInputScale() {
      for (float bad : new float[] { 0.0f, -1.0f, NAN, INF, 1e-45f }) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ActivationQuantizer.fp8Static(bad));
        assertEquals("input_scale must be positive and finite with a finite reciprocal, got " + bad,
            e.getMessage());
      }
    }
  }

  @Nested
  class DynamicPerTensor {
    @Test
    void oneScaleFromTheFiniteValuesAndNaNCodesForTheRowHoldingNaN() {
      // Finite amax 4 (the NaN row's 4 counts): scale 4/448, inverse 112.
      FloatMatrix x = matrix(3, 2, 1.0f, -2.0f, 4.0f, NAN, 0.5f, 0.0f);
      QuantizedActivations q = ActivationQuantizer.fp8DynamicPerTensor(null).quantize(x);
      assertArrayEquals(bytes(0x6E, 0xF6, 0x7F, 0x7F, 0x66, 0x00), q.codes());
      assertArrayEquals(new float[] { 4.0f / 448.0f }, q.scales());
      assertEquals(3, q.groupRows());
      assertNaNOnlyIn(q.dequantize(), 1, 2, 0, 2);
      assertEquals(112.0f * (4.0f / 448.0f), q.dequantize().get(0, 0));
    }

    @Test
    void upperBoundClampsTheAmax() {
      // amax' = min(4, 2) = 2: inverse 224; -2·224 = -448 = 0xFE, 0.5·224 = 112 = 0x6E, 4·224 saturates.
      FloatMatrix x = matrix(2, 2, 1.0f, -2.0f, 0.5f, 4.0f);
      QuantizedActivations q = ActivationQuantizer.fp8DynamicPerTensor(2.0f).quantize(x);
      assertArrayEquals(bytes(0x76, 0xFE, 0x6E, 0x7E), q.codes());
      assertArrayEquals(new float[] { 2.0f / 448.0f }, q.scales());
    }

    @Test
    void allZeroTensorHasScaleZeroAndZeroCodes() {
      QuantizedActivations q = ActivationQuantizer.fp8DynamicPerTensor(null)
          .quantize(matrix(2, 2, 0, 0, 0, 0));
      assertArrayEquals(bytes(0, 0, 0, 0), q.codes());
      assertArrayEquals(new float[] { 0.0f }, q.scales());
      assertBits(new float[4], q.dequantize().values());
    }
  }

  @Nested
  class DynamicPerToken {
    @Test
    void handComputedRow() {
      // amax 4: scale 4/448, inverse 448/4 = 112: 112 = 0x6E, -224 = 0xF6, 56 = 0x66, 448 = 0x7E.
      QuantizedActivations q = ActivationQuantizer.fp8DynamicPerToken(null)
          .quantize(matrix(1, 4, 1.0f, -2.0f, 0.5f, 4.0f));
      assertArrayEquals(bytes(0x6E, 0xF6, 0x66, 0x7E), q.codes());
      assertArrayEquals(new float[] { 4.0f / 448.0f }, q.scales());
      assertEquals(1, q.groupRows());
      assertEquals(4, q.groupCols());
      assertEquals(1, q.scaleRows());
      assertEquals(1, q.scaleCols());
      float scale = 4.0f / 448.0f;
      assertBits(new float[] { 112.0f * scale, -224.0f * scale, 56.0f * scale, 448.0f * scale },
          q.dequantize().values());
    }

    @Test
    void multipliesByTheInverseInsteadOfDividingByTheScale() {
      // inverse 448/1.1384: 0.21345 · inverse = 84.0, a tie that goes to 80 (0x6A); 0.21345 / (1.1384/448)
      // = 84.00001 would round to 88 (0x6B).
      float amax = 1.1384f;
      float x = 0.21345f;
      assertEquals((byte) 0x6B, Fp8E4M3.encode(x / (amax / 448.0f)), "the case tells the two apart");
      QuantizedActivations q = ActivationQuantizer.fp8DynamicPerToken(null).quantize(matrix(1, 2, amax, x));
      assertArrayEquals(bytes(0x7E, 0x6A), q.codes());
    }

    @Test
    void zeroRowHasInverseZeroAndZeroCodes() {
      // A -0 input keeps its sign through x · 0, as a cast of -0 does: 0x80.
      QuantizedActivations q = ActivationQuantizer.fp8DynamicPerToken(null)
          .quantize(matrix(2, 3, 0.0f, -0.0f, 0.0f, 1.0f, 2.0f, 4.0f));
      assertArrayEquals(bytes(0x00, 0x80, 0x00), rowCodes(q, 0));
      assertEquals(0.0f, q.scale(0, 0));
      assertEquals(4.0f / 448.0f, q.scale(1, 0));
      assertBits(new float[] { 0.0f, -0.0f, 0.0f }, java.util.Arrays.copyOf(q.dequantize().values(), 3));
    }

    @Test
    void upperBoundClampsTheRowAmaxAndElementsSaturate() {
      // ub 2: scale 2/448, inverse 224: 224 = 0x76, -896 -> -448 = 0xFE, 56 = 0x66, 672 -> 448 = 0x7E.
      QuantizedActivations q = ActivationQuantizer.fp8DynamicPerToken(2.0f)
          .quantize(matrix(1, 4, 1.0f, -4.0f, 0.25f, 3.0f));
      assertArrayEquals(bytes(0x76, 0xFE, 0x66, 0x7E), q.codes());
      assertArrayEquals(new float[] { 2.0f / 448.0f }, q.scales());
      assertEquals(-448.0f * (2.0f / 448.0f), q.dequantize().get(0, 1));
    }

    @Test
    void nanAndInfRowsGetANaNScaleEvenUnderAnUpperBound() {
      FloatMatrix x = matrix(3, 3, 1.0f, NAN, 2.0f, 0.5f, 0.25f, 1.0f, INF, 1.0f, -1.0f);
      QuantizedActivations q = ActivationQuantizer.fp8DynamicPerToken(1200.0f).quantize(x);
      assertTrue(Float.isNaN(q.scale(0, 0)));
      assertEquals(1.0f / 448.0f, q.scale(1, 0));
      assertTrue(Float.isNaN(q.scale(2, 0)));
      assertArrayEquals(bytes(0x7F, 0x7F, 0x7F), rowCodes(q, 0));
      FloatMatrix back = q.dequantize();
      for (int c = 0; c < 3; c++) {
        assertTrue(Float.isNaN(back.get(0, c)));
        assertTrue(Float.isNaN(back.get(2, c)));
        assertEquals(x.get(1, c), back.get(1, c), 1e-6f);
      }
    }

    @Test
    void denormalRowQuantizesToZeroInsteadOfOverflowingTheInverse() {
      // 448 / 1e-40 overflows: the inverse is 0, as MAX's guarded_inv_scale has it.
      QuantizedActivations q = ActivationQuantizer.fp8DynamicPerToken(null)
          .quantize(matrix(1, 2, 1e-40f, -1e-40f));
      assertArrayEquals(bytes(0x00, 0x80), q.codes());
      assertEquals(1e-40f / 448.0f, q.scale(0, 0));
      assertBits(new float[] { 0.0f, -0.0f }, q.dequantize().values());
    }

    @Test
    void refusesABadUpperBound() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ActivationQuantizer.fp8DynamicPerToken(-1.0f));
      assertEquals("activation_scale_ub must be positive and finite, got -1.0", e.getMessage());
    }
  }

  @Nested
  class Blocks {
    /**
     * Row 0: block 0 holds (i%7 - 3)/4 (amax 0.75), the short block 1 (44 elements) holds (i-128)/2 (amax
     * 21.5).
     */
    private FloatMatrix k172() {
      float[] v = new float[2 * 172];
      for (int i = 0; i < 172; i++) {
        v[i] = i < 128 ? (i % 7 - 3) * 0.25f : (i - 128) * 0.5f;
        v[172 + i] = i < 128 ? (i % 5) - 2.0f : 0.0f; // row 1: block 1 all zero
      }
      return matrix(2, 172, v);
    }

    @Test
    void shortLastBlockTakesItsScaleFromItsRealElements() {
      FloatMatrix x = k172();
      QuantizedActivations q = ActivationQuantizer.fp8DynamicBlocks(128, null).quantize(x);
      assertEquals(1, q.groupRows());
      assertEquals(128, q.groupCols());
      assertEquals(2, q.scaleRows());
      assertEquals(2, q.scaleCols());
      assertArrayEquals(new float[] { 0.75f / 448.0f, 21.5f / 448.0f, 2.0f / 448.0f, 0.0f }, q.scales());
      // Block 0: 0.75 · 448/0.75 = 448 (0x7E). Block 1: 0.5 · 448/21.5 = 10.418605 -> 10 (0x52); 21.5 ->
      // 0x7E.
      assertEquals((byte) 0x7E, q.codes()[6]);
      assertEquals((byte) 0x52, q.codes()[129]);
      assertEquals((byte) 0x7E, q.codes()[171]);
      float[] amax = { 0.75f, 21.5f, 2.0f, 0.0f };
      for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 172; c++) {
          float a = amax[r * 2 + c / 128];
          float inverse = a == 0.0f ? 0.0f : 448.0f / a;
          assertEquals(Fp8E4M3.encode(x.get(r, c) * inverse), q.codes()[r * 172 + c],
              "[" + r + ", " + c + "]");
        }
      }
      for (int c = 128; c < 172; c++) {
        assertEquals(0, q.codes()[172 + c], "the all-zero block's codes are 0");
        assertEquals(0.0f, q.dequantize().get(1, c));
      }
    }

    @Test
    void aNaNTurnsOnlyItsBlockToNaN() {
      FloatMatrix x = k172();
      x.values()[172 + 5] = NAN;
      QuantizedActivations q = ActivationQuantizer.fp8DynamicBlocks(128, null).quantize(x);
      assertTrue(Float.isNaN(q.scale(1, 0)));
      assertNaNOnlyIn(q.dequantize(), 1, 2, 0, 128);
    }

    @Test
    void refusesANonPositiveBlock() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ActivationQuantizer.fp8DynamicBlocks(0, null));
      assertEquals("block size along K must be positive, got 0", e.getMessage());
    }
  }
}
