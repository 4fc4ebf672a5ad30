package io.jquant.runtime.kernel;

import static io.jquant.runtime.kernel.KernelData8.ROWS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.Fp8Granularity;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Fp8LinearTest {
  private static final int[] OUTS = { 1, 3, 67, 129 };
  private static final int[] INS = { 1, 37, 300 };

  /** Every granularity on the odd shapes it allows: tensor and row any K, blocks with short last blocks. */
  private static List<Fp8Weights> weights(Random random, boolean integers) {
    List<Fp8Weights> all = new ArrayList<>();
    for (int n : OUTS) {
      for (int k : INS) {
        byte[] data = integers ? KernelData8.e4m3Integers(n * k, random)
            : KernelData8.e4m3Codes(n * k, random);
        all.add(Fp8Weights.tensorwise("t", n, k, data, integers ? 0.5f : 0.0123f));
        float[] rowScales = new float[n];
        for (int j = 0; j < n; j++) {
          rowScales[j] = integers ? (j % 2 == 0 ? 0.25f : 2f) : (float) Math.exp(random.nextGaussian() * 3);
        }
        all.add(Fp8Weights.rowwise("r", n, k, data, rowScales));
      }
    }
    int[][] blocks = { { 128, 128 }, { 64, 32 }, { 1, 128 }, { 128, 100 }, { 3, 7 } };
    for (int[] block : blocks) {
      int n = 200;
      int k = 300;
      byte[] data = integers ? KernelData8.e4m3Integers(n * k, random) : KernelData8.e4m3Codes(n * k, random);
      float[] scales = new float[Math.ceilDiv(n, block[0]) * Math.ceilDiv(k, block[1])];
      for (int i = 0; i < scales.length; i++) {
        scales[i] = integers ? (i % 3 == 0 ? 0.5f : 1f) : (float) Math.exp(random.nextGaussian() * 4);
      }
      all.add(Fp8Weights.blockwise("b", n, k, block[0], block[1], data, scales));
    }
    return all;
  }

  @Test
  void randomWeightsMatchTheReferenceForEveryShapeAndRowCount() {
    Random random = new Random(1);
    KernelData8.assertRandomMatchReference(weights(random, false), Arrays.asList((ActivationQuantizer) null),
        Fp8Linear::of, random);
  }

  @Test
  void quantizedActivationsMultiplyTheQuantizersDequantizedValues() {
    Random random = new Random(2);
    List<ActivationQuantizer> quantizers = List.of(ActivationQuantizer.fp8Static(0.01f),
        ActivationQuantizer.fp8DynamicPerToken(null), ActivationQuantizer.fp8DynamicPerToken(2f),
        ActivationQuantizer.fp8DynamicBlocks(128, null));
    for (Fp8Weights w : weights(random, false)) {
      if (w.rows() < 67 && w.granularity() != Fp8Granularity.BLOCK) {
        continue; // the small shapes are the weight-only tests' job; here the quantizers are the subject
      }
      FloatMatrix dequantized = w.dequantize();
      for (ActivationQuantizer q : quantizers) {
        Fp8Linear linear = Fp8Linear.of("layer", w, InputActivations.quantized(q), null);
        for (int m : new int[] { 1, 7 }) {
          float[] x = KernelData8.gaussian(m * w.cols(), random);
          KernelData8.assertMatchesReference(KernelData8.label(w) + " " + q, linear, dequantized, q, x, m,
              null);
        }
      }
    }
  }

  @Test
  void exactDataGivesTheReferenceBitForBit() {
    Random random = new Random(3);
    KernelData8.assertExactData(weights(random, true), Fp8Linear::of, random);
  }

  @Test
  void nonFiniteActivationsGiveNanAndInfinityWhereTheReferenceDoes() {
    Random random = new Random(4);
    for (Fp8Weights w : weights(random, false)) {
      if (w.rows() < 3) {
        continue;
      }
      // Zero codes in the first row make 0 · Inf a NaN there.
      Arrays.fill(w.data(), 0, Math.min(w.cols(), 5), (byte) 0);
      Fp8Linear linear = Fp8Linear.of("layer", w, InputActivations.weightOnly(), null);
      FloatMatrix dequantized = w.dequantize();
      for (int m : ROWS) {
        float[] x = KernelData8.withNonFinite(m, w.cols(), random);
        KernelData8.assertMatchesReference(KernelData8.label(w), linear, dequantized, null, x, m, null);
      }
    }
  }

  @Test
  void adversarialWeightsMatchTheReference() {
    Random random = new Random(5);
    int n = 67;
    int k = 300;
    byte[] zeros = new byte[n * k];
    byte[] extremes = new byte[n * k];
    byte[] subnormals = new byte[n * k];
    for (int i = 0; i < n * k; i++) {
      extremes[i] = (byte) (random.nextBoolean() ? 0x7E : 0xFE); // ±448
      subnormals[i] = (byte) (random.nextInt(16) | (random.nextBoolean() ? 0x80 : 0)); // |code| < 0x10
    }
    byte[] equalBlocks = new byte[n * k];
    for (int i = 0; i < n * k; i++) {
      equalBlocks[i] = (byte) (((i / k) / 32 * 7 + (i % k) / 32 * 13) % 254); // one code per 32x32 block
    }
    byte[] nanRows = KernelData8.e4m3Codes(n * k, random);
    nanRows[5 * k + 17] = 0x7F;
    nanRows[6 * k + k - 1] = (byte) 0xFF;
    nanRows[7 * k] = 0x7F;
    float[] scales = new float[Math.ceilDiv(n, 32) * Math.ceilDiv(k, 32)];
    Arrays.fill(scales, 0.75f);
    float[] oddScales = scales.clone();
    oddScales[0] = 1000f; // scale · 2^120 overflows: the exact path
    oddScales[1] = Float.NaN;
    oddScales[2] = Float.POSITIVE_INFINITY;
    oddScales[3] = 0f;
    oddScales[4] = Float.MIN_VALUE;
    oddScales[scales.length - 1] = 3e38f;
    List<Fp8Weights> cases = List.of(
        Fp8Weights.tensorwise("zeros", n, k, zeros, 1f),
        Fp8Weights.tensorwise("extremes", n, k, extremes, 1f),
        Fp8Weights.rowwise("extremes", n, k, extremes, filled(n, 3e-3f)),
        Fp8Weights.tensorwise("subnormals", n, k, subnormals, 7f),
        Fp8Weights.tensorwise("nan rows", n, k, nanRows, 0.5f),
        Fp8Weights.blockwise("nan rows", n, k, 32, 32, nanRows, scales),
        Fp8Weights.blockwise("equal blocks", n, k, 32, 32, equalBlocks, scales),
        Fp8Weights.blockwise("odd scales", n, k, 32, 32, KernelData8.e4m3Codes(n * k, random), oddScales),
        Fp8Weights.tensorwise("huge scale", n, k, extremes, 1e30f));
    KernelData8.assertEachMatchesReference(cases, Fp8Linear::of, random);
  }

  @Test
  void nanCodesMakeTheirRowsNanInEveryOutput() {
    int n = 4;
    int k = 40;
    byte[] data = new byte[n * k];
    Arrays.fill(data, (byte) 0x38); // 1.0
    data[k + 39] = (byte) 0xFF;
    Fp8Linear linear = Fp8Linear.of("l", Fp8Weights.tensorwise("w", n, k, data, 1f),
        InputActivations.weightOnly(),
        null);
    for (int m : ROWS) {
      float[] y = KernelData8.run(linear, new float[m * k], m, KernelThreads.single());
      for (int r = 0; r < m; r++) {
        assertEquals(0f, y[r * n]);
        assertTrue(Float.isNaN(y[r * n + 1]), "row " + r);
        assertEquals(0f, y[r * n + 2]);
      }
    }
  }

  @Test
  void oneAndTwoThreadsGiveTheSameBits() {
    Random random = new Random(6);
    KernelData8.assertThreadsAgree(weights(random, false), Fp8Linear::of, random);
  }

  @Test
  void reportsItsShapeAndBytes() {
    Fp8Weights w = Fp8Weights.blockwise("w", 200, 300, 128, 128, new byte[200 * 300], new float[2 * 3]);
    Fp8Linear linear = Fp8Linear.of("model.layers.0.mlp.down_proj", w, InputActivations.weightOnly(), null);
    assertEquals("model.layers.0.mlp.down_proj", linear.name());
    assertEquals(300, linear.inFeatures());
    assertEquals(200, linear.outFeatures());
    assertEquals(200 * 300 + 6 * 4, linear.weightBytes());
  }

  @Test
  void refusesTensorsThatDoNotFit() {
    TensorView weight = tensor("weight", StorageDType.F8_E4M3, 4, 64);
    InputActivations a = InputActivations.weightOnly();
    assertMessage(
        "layer L: tensor weight is U8 [4, 64], expected a matrix F8_E4M3 [out_features, in_features]",
        () -> Fp8Linear.tensorwise("L", tensor("weight", StorageDType.U8, 4, 64), tensor("weight_scale",
            StorageDType.F32), a, null));
    assertMessage(
        "layer L: tensor weight is F8_E4M3 [256], expected a matrix F8_E4M3 [out_features, in_features]",
        () -> Fp8Linear.tensorwise("L", tensor("weight", StorageDType.F8_E4M3, 256), tensor("weight_scale",
            StorageDType.F32), a, null));
    assertMessage("layer L: tensor weight_scale is F32 [2], expected F32 []",
        () -> Fp8Linear.tensorwise("L", weight, tensor("weight_scale", StorageDType.F32, 2), a, null));
    assertMessage("layer L: tensor weight_scale is BF16 [], expected F32 []",
        () -> Fp8Linear.tensorwise("L", weight, tensor("weight_scale", StorageDType.BF16), a, null));
    assertMessage("layer L: tensor weight_scale is F32 [1, 4], expected F32 [4, 1]",
        () -> Fp8Linear.rowwise("L", weight, tensor("weight_scale", StorageDType.F32, 1, 4), a, null));
    assertMessage("layer L: tensor weight_scale_inv is F32 [1, 1], expected F32 [1, 2]",
        () -> Fp8Linear.blockwise("L", weight, tensor("weight_scale_inv", StorageDType.F32, 1, 1), 128, 32, a,
            null));
    assertMessage("layer L: an FP8 scale block has positive dimensions, not [0, 128]",
        () -> Fp8Linear.blockwise("L", weight, tensor("weight_scale_inv", StorageDType.F32, 1, 1), 0, 128, a,
            null));
    assertMessage("layer L: bias has 3 values, but the layer has 4 outputs",
        () -> Fp8Linear.tensorwise("L", weight, tensor("weight_scale", StorageDType.F32), a, new float[3]));
    Fp8Linear linear = Fp8Linear.rowwise("L", weight, tensor("weight_scale", StorageDType.F32, 4), a, null);
    assertMessage("layer L: forward of 2 rows needs x of 128 and y of 8 values; got 127 and 8",
        () -> linear.forward(new float[127], new float[8], 2));
    // The aliases checkpoints use: [1] for a tensor scale, [N] for row scales.
    assertEquals(4,
        Fp8Linear.tensorwise("L", weight, tensor("s", StorageDType.F32, 1), a, null).outFeatures());
  }

  static TensorView tensor(String name, StorageDType dtype, long... shape) {
    long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    return StoredTensor.of(name, dtype, new byte[(int) (count * dtype.bits() / 8)], shape).view();
  }

  static void assertMessage(String message, Runnable call) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, call::run).getMessage());
  }

  private static float[] filled(int count, float value) {
    float[] values = new float[count];
    Arrays.fill(values, value);
    return values;
  }
}
