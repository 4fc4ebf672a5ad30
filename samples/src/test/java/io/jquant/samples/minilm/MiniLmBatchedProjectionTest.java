package io.jquant.samples.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The error bound behind batching: one projection over a batch's stacked rows against the same projection per
 * sentence. Both compute {@code Σ_k x̂_k · ŵ_k + b} (x̂, ŵ the values the codes stand for) in float32, each
 * in its own order, so each is within {@code γ_{K+1} · (Σ|x̂_k · ŵ_k| + |b|)} of the exact value
 * ({@code γ_m = m·u/(1 - m·u)}, u = 2⁻²⁴, Higham's bound for a sum of K products plus the bias), and they are
 * within twice that of each other. Asserted for every output of layer 0's six projections (K = 384 and 1536)
 * in float32 and each format whose activation scales are per row or per block of a row (the others share one
 * scale over the call, see {@link MiniLmBatchedTest}); a row of one sentence leaking into another's would
 * break it by orders of magnitude.
 */
class MiniLmBatchedProjectionTest {
  private static final double U = 0x1p-24;

  @Test
  void aBatchedProjectionIsWithinTheSummationOrderBoundOfPerSentenceCalls() {
    MiniLmFixture f = MiniLmFixture.get();
    // The first 12 sentences' lengths (7-24 rows each, 170 or so in all): the per-sentence calls take the
    // small-batch loops, the batched one the blocked GEMM.
    int[] lengths = f.ids.stream().limit(12).mapToInt(a -> a.length).toArray();
    int rows = Arrays.stream(lengths).sum();
    assertTrue(rows > 64);
    int checkedFormats = 0;
    for (MiniLmFormats.Format format : MiniLmFormats.all()) {
      if (MiniLmBatchedTest.TENSOR_SCALED.contains(format.label())) {
        continue;
      }
      MiniLmEncoder encoder = MiniLmEncoder.create(f.source, format.config());
      List<Linear> layer0 = encoder.projections().subList(0, 6);
      for (Linear p : layer0) {
        check(f, format, p, lengths, rows);
      }
      checkedFormats++;
    }
    assertEquals(6, checkedFormats);
  }

  private static void check(MiniLmFixture f, MiniLmFormats.Format format, Linear p, int[] lengths,
      int rows) {
    int k = p.inFeatures();
    int n = p.outFeatures();
    float[] x = new float[rows * k];
    Random random = new Random(20261208L + k);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float[] batched = new float[rows * n];
    p.forward(x, batched, rows, KernelThreads.single());
    float[] perSentence = new float[rows * n];
    int first = 0;
    for (int length : lengths) {
      float[] own = Arrays.copyOfRange(x, first * k, (first + length) * k);
      float[] out = new float[length * n];
      p.forward(own, out, length, KernelThreads.single());
      System.arraycopy(out, 0, perSentence, first * n, length * n);
      first += length;
    }
    float[] xq = dequantizedInput(format, x, rows, k);
    float[] w = dequantizedWeight(f, format.config(), p.name(), n, k);
    float[] bias = floats(f, p.name() + ".bias");
    double gamma = (k + 1) * U / (1 - (k + 1) * U);
    int unequal = 0;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        double magnitude = Math.abs(bias[j]);
        for (int i = 0; i < k; i++) {
          magnitude += Math.abs((double) xq[r * k + i] * w[j * k + i]);
        }
        double bound = 2 * gamma * magnitude;
        double difference = Math.abs(batched[r * n + j] - perSentence[r * n + j]);
        if (!(difference <= bound)) {
          fail(format.label() + " " + p.name() + ": row " + r + ", output " + j + ": batched "
              + batched[r * n + j] + ", per sentence " + perSentence[r * n + j] + ", difference " + difference
              + " above the bound " + bound);
        }
        unequal += difference == 0 ? 0 : 1;
      }
    }
    System.out.printf("%s %s: %d of %d outputs differ in their last bits%n", format.label(), p.name(),
        unequal,
        rows * n);
  }

  /**
   * The values the layer multiplies: x itself in float32, else its row-local quantizer's dequantized codes.
   */
  private static float[] dequantizedInput(MiniLmFormats.Format format, float[] x, int rows, int k) {
    QuantConfig config = format.config();
    if (config == null) {
      return x;
    }
    FormatPreset preset = Arrays.stream(FormatPreset.values())
        .filter(candidate -> candidate.displayName().equals(format.label())).findFirst().orElseThrow();
    // The quantizers ModelWeights gives a float checkpoint's layers (InputQuantizers.dynamic).
    ActivationQuantizer quantizer = switch (preset) {
      case MXFP4 -> ActivationQuantizer.mx(MxElement.FP4_E2M1, MxScaleMode.RCEIL);
      case MXFP8 -> ActivationQuantizer.mx(MxElement.FP8_E4M3, MxScaleMode.RCEIL);
      case FP8_CHANNEL -> ActivationQuantizer.fp8DynamicPerToken(upperBound(config));
      case FP8_BLOCK ->
        ActivationQuantizer.fp8DynamicBlocks(ActivationQuantizer.FP8_BLOCK, upperBound(config));
      case INT8 -> ActivationQuantizer.int8PerToken();
      default -> throw new IllegalArgumentException("not a row-local format: " + preset);
    };
    return quantizer.quantize(new FloatMatrix("x", rows, k, x)).dequantize().values();
  }

  private static Float upperBound(QuantConfig config) {
    Double ub = config.inputScale().activationScaleUb();
    return ub == null ? null : ub.floatValue();
  }

  private static float[] dequantizedWeight(MiniLmFixture f, QuantConfig config, String module, int n, int k) {
    float[] w = floats(f, module + ".weight");
    assertEquals((long) n * k, w.length, module);
    if (config == null) {
      return w;
    }
    return WeightQuantizer.forConfig(config).quantize(new FloatMatrix(module, n, k, w)).dequantize().values();
  }

  private static float[] floats(MiniLmFixture f, String name) {
    TensorView view = f.source.tensor(name);
    return view.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
  }
}
