package io.jquant.runtime.kernel;

import static io.jquant.runtime.kernel.Fp8LinearTest.assertMessage;
import static io.jquant.runtime.kernel.Fp8LinearTest.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.tensor.TensorView;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Mxfp8LinearTest {
  private static final int[] OUTS = { 1, 3, 67, 129 };
  private static final int[] INS = { 32, 96, 320 };

  /** Random codes and scale bytes around 2^0 (integers: scales 2^-1..2^1 and integer codes). */
  private static List<MxWeights> weights(Random random, boolean integers) {
    List<MxWeights> all = new ArrayList<>();
    for (int n : OUTS) {
      for (int k : INS) {
        byte[] data = integers ? KernelData8.e4m3Integers(n * k, random)
            : KernelData8.e4m3Codes(n * k, random);
        byte[] scales = new byte[n * k / 32];
        for (int i = 0; i < scales.length; i++) {
          scales[i] = (byte) (integers ? 126 + random.nextInt(3) : 110 + random.nextInt(25));
        }
        all.add(new MxWeights("w", n, k, MxElement.FP8_E4M3, data, scales));
      }
    }
    return all;
  }

  @Test
  void randomWeightsMatchTheReferenceWeightOnlyAndQuantized() {
    Random random = new Random(11);
    List<ActivationQuantizer> quantizers = new ArrayList<>();
    quantizers.add(null);
    quantizers.add(ActivationQuantizer.mx(MxElement.FP8_E4M3, MxScaleMode.EVEN));
    quantizers.add(ActivationQuantizer.fp8DynamicPerToken(null));
    KernelData8.assertRandomMatchReference(weights(random, false), quantizers, Mxfp8Linear::of, random);
  }

  @Test
  void exactDataGivesTheReferenceBitForBit() {
    Random random = new Random(12);
    KernelData8.assertExactData(weights(random, true), Mxfp8Linear::of, random);
  }

  @Test
  void adversarialWeightsAndActivationsMatchTheReference() {
    Random random = new Random(13);
    int n = 67;
    int k = 320;
    byte[] extremes = new byte[n * k];
    for (int i = 0; i < extremes.length; i++) {
      extremes[i] = (byte) (random.nextBoolean() ? 0x7E : 0xFE);
    }
    byte[] codes = KernelData8.e4m3Codes(n * k, random);
    codes[3 * k + 5] = 0x7F;
    byte[] scales = new byte[n * k / 32];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = (byte) (100 + random.nextInt(40));
    }
    scales[0] = 0; // 2^-127
    scales[11] = (byte) 255; // NaN block
    scales[25] = (byte) 135; // 2^8: the constant 2^128 overflows, the row takes the exact path
    scales[37] = (byte) 254; // 2^127
    List<MxWeights> cases = List.of(
        new MxWeights("zeros", n, k, MxElement.FP8_E4M3, new byte[n * k], scales),
        new MxWeights("extremes", n, k, MxElement.FP8_E4M3, extremes, scales),
        new MxWeights("odd scales", n, k, MxElement.FP8_E4M3, codes, scales));
    KernelData8.assertEachMatchesReference(cases, Mxfp8Linear::of, random);
  }

  @Test
  void oneAndTwoThreadsGiveTheSameBits() {
    Random random = new Random(14);
    KernelData8.assertThreadsAgree(weights(random, false), Mxfp8Linear::of, random);
  }

  @Test
  void refusesTensorsThatDoNotFit() {
    InputActivations a = InputActivations.weightOnly();
    TensorView weight = tensor("weight", StorageDType.F8_E4M3, 4, 64);
    assertMessage("layer L: MXFP8 needs in_features to be a multiple of 32, got 48",
        () -> Mxfp8Linear.create("L", tensor("weight", StorageDType.F8_E4M3, 4, 48),
            tensor("weight_scale", StorageDType.U8, 4, 2), a, null));
    assertMessage("layer L: tensor weight_scale is U8 [4, 1], expected U8 [4, 2]",
        () -> Mxfp8Linear.create("L", weight, tensor("weight_scale", StorageDType.U8, 4, 1), a, null));
    assertMessage("layer L: tensor weight_scale is F32 [4, 2], expected U8 [4, 2]",
        () -> Mxfp8Linear.create("L", weight, tensor("weight_scale", StorageDType.F32, 4, 2), a, null));
    assertMessage("layer L: tensor weight is F8_E5M2 [4, 64], expected a matrix F8_E4M3 [out_features, "
        + "in_features]",
        () -> Mxfp8Linear.create("L", tensor("weight", StorageDType.F8_E5M2, 4, 64),
            tensor("weight_scale", StorageDType.U8, 4, 2), a, null));
    assertMessage("layer L: MXFP8 runs FP8_E4M3 elements, not FP4_E2M1",
        () -> Mxfp8Linear.of("L", new MxWeights("w", 4, 64, MxElement.FP4_E2M1, new byte[128], new byte[8]),
            a,
            null));
    assertMessage("layer L: MXFP8 needs in_features to be a multiple of 32, got 40",
        () -> Mxfp8Linear.of("L", new MxWeights("w", 4, 40, MxElement.FP8_E4M3, new byte[160], new byte[8]),
            a,
            null));
    assertMessage("layer L: bias has 5 values, but the layer has 4 outputs",
        () -> Mxfp8Linear.create("L", weight, tensor("weight_scale", StorageDType.U8, 4, 2), a,
            new float[5]));
    Mxfp8Linear linear = Mxfp8Linear.create("L", weight, tensor("weight_scale", StorageDType.F8_E8M0, 4, 2),
        a, null);
    assertEquals(4 * 64 + 4 * 2, linear.weightBytes());
    assertEquals(64, linear.inFeatures());
  }
}
