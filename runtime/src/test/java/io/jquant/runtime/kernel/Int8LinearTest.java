package io.jquant.runtime.kernel;

import static io.jquant.runtime.kernel.Fp8LinearTest.assertMessage;
import static io.jquant.runtime.kernel.Fp8LinearTest.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.tensor.TensorView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Int8LinearTest {
  private static final int[] OUTS = { 1, 3, 67, 129 };
  private static final int[] INS = { 1, 37, 300 };

  private static List<Int8Weights> weights(Random random, boolean integers) {
    List<Int8Weights> all = new ArrayList<>();
    for (int n : OUTS) {
      for (int k : INS) {
        float[] scales = new float[n];
        for (int j = 0; j < n; j++) {
          scales[j] = integers ? (j % 2 == 0 ? 0.125f : 1f) : (float) Math.exp(random.nextGaussian() * 3 - 5);
        }
        all.add(new Int8Weights("w", n, k, KernelData8.bytes(n * k, random), scales));
      }
    }
    return all;
  }

  @Test
  void randomWeightsMatchTheReferenceWeightOnlyAndPerToken() {
    Random random = new Random(21);
    KernelData8.assertRandomMatchReference(weights(random, false),
        Arrays.asList(null, ActivationQuantizer.int8PerToken()), Int8Linear::of, random);
  }

  @Test
  void exactDataGivesTheReferenceBitForBit() {
    // |q| <= 128 times |x| <= 3 summed over at most 300 columns stays far below 2^24: every sum is exact.
    Random random = new Random(22);
    KernelData8.assertExactData(weights(random, true), Int8Linear::of, random);
  }

  @Test
  void adversarialWeightsAndActivationsMatchTheReference() {
    Random random = new Random(23);
    int n = 67;
    int k = 300;
    byte[] extremes = new byte[n * k];
    for (int i = 0; i < extremes.length; i++) {
      extremes[i] = (byte) (random.nextBoolean() ? 127 : -128);
    }
    byte[] codes = KernelData8.bytes(n * k, random);
    Arrays.fill(codes, 2 * k, 2 * k + 10, (byte) 0);
    float[] scales = new float[n];
    Arrays.fill(scales, 0.01f);
    float[] odd = scales.clone();
    odd[0] = Float.NaN;
    odd[1] = 0f;
    odd[2] = Float.POSITIVE_INFINITY; // zero codes in this row give 0 · Inf = NaN in the reference
    odd[3] = Float.MIN_VALUE;
    List<Int8Weights> cases = List.of(new Int8Weights("zeros", n, k, new byte[n * k], scales),
        new Int8Weights("extremes", n, k, extremes, scales), new Int8Weights("odd scales", n, k, codes, odd));
    KernelData8.assertEachMatchesReference(cases, Int8Linear::of, random);
  }

  @Test
  void oneAndTwoThreadsGiveTheSameBits() {
    Random random = new Random(24);
    KernelData8.assertThreadsAgree(weights(random, false), Int8Linear::of, random);
  }

  @Test
  void refusesTensorsThatDoNotFit() {
    InputActivations a = InputActivations.weightOnly();
    TensorView weight = tensor("weight", StorageDType.I8, 4, 37);
    assertMessage("layer L: tensor weight is U8 [4, 37], expected a matrix I8 [out_features, in_features]",
        () -> Int8Linear.create("L", tensor("weight", StorageDType.U8, 4, 37),
            tensor("weight_scale", StorageDType.F32, 4, 1), a, null));
    assertMessage("layer L: tensor weight is I8 [0, 37], expected a matrix I8 [out_features, in_features]",
        () -> Int8Linear.create("L", tensor("weight", StorageDType.I8, 0, 37),
            tensor("weight_scale", StorageDType.F32, 0, 1), a, null));
    assertMessage("layer L: tensor weight_scale is F32 [4, 2], expected F32 [4, 1]",
        () -> Int8Linear.create("L", weight, tensor("weight_scale", StorageDType.F32, 4, 2), a, null));
    assertMessage("layer L: tensor weight_scale is BF16 [4, 1], expected F32 [4, 1]",
        () -> Int8Linear.create("L", weight, tensor("weight_scale", StorageDType.BF16, 4, 1), a, null));
    assertMessage("layer L: bias has 3 values, but the layer has 4 outputs",
        () -> Int8Linear.create("L", weight, tensor("weight_scale", StorageDType.F32, 4, 1), a,
            new float[3]));
    Int8Linear linear = Int8Linear.create("L", weight, tensor("weight_scale", StorageDType.F32, 4), a, null);
    assertEquals(4 * 37 + 4 * 4, linear.weightBytes());
    assertMessage("layer L: forward of 1 rows needs x of 37 and y of 4 values; got 37 and 3",
        () -> linear.forward(new float[37], new float[3], 1));
  }
}
