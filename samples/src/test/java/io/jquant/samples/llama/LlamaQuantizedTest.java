package io.jquant.samples.llama;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.quant.FormatPreset;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * stories260K quantized on the fly in every format, on the declaration's layers (every MLP, attention 1 to
 * 3), against transformers' float32 reference.
 *
 * <p>The model has 260K parameters and a hidden size of 64: every weight matters, and weight rounding alone
 * costs what README tables show for billion-parameter models many times over. transformers with the same
 * weight-only rounding on every layer (src/test/resources/.../fake_quant.py) gives cosines of 0.949 (FP8 per
 * row), 0.995 (INT8), 0.924 (MXFP8), 0.674 (NVFP4), 0.551 (MXFP4), and jquant's weight-only runs give the
 * same to 6 digits; so the floors below are this model's sensitivity, not a kernel's error. A wrong scale or
 * packing order gives cosines near 0 and top-1 agreement at chance (1 in 512).
 *
 * <p>Floors: the measured value (deterministic: no random input) less a margin for a legitimate change in
 * accumulation order, 0.02 in cosine and one position in top-1.
 */
class LlamaQuantizedTest {
  /** Measured cosine and top-1 (of 16) per format, see the class comment. */
  private static final Map<FormatPreset, double[]> MEASURED = Map.of(
      FormatPreset.NVFP4, new double[] { 0.5797, 2 },
      FormatPreset.MXFP4, new double[] { 0.7533, 2 },
      FormatPreset.MXFP8, new double[] { 0.9228, 10 },
      FormatPreset.FP8_TENSOR, new double[] { 0.9139, 9 },
      FormatPreset.FP8_CHANNEL, new double[] { 0.8482, 10 },
      FormatPreset.FP8_BLOCK, new double[] { 0.7943, 9 },
      FormatPreset.INT8, new double[] { 0.9864, 14 });

  @ParameterizedTest
  @EnumSource(FormatPreset.class)
  void staysAboveItsMeasuredFloor(FormatPreset preset) throws IOException {
    LlamaFormats.Format format = LlamaFormats.of(preset);
    Agreement agreement;
    try (ModelWeights weights = StoriesFixture.open(format.config())) {
      agreement = Agreement.measure(LlamaModel.load(weights, StoriesFixture.CONFIG), StoriesFixture.REFERENCE,
          KernelThreads.single());
    }
    System.out.println(format + ": " + agreement.summary());
    double[] measured = MEASURED.get(preset);
    assertTrue(agreement.cosine() > measured[0] - 0.02, format + ": " + agreement.summary());
    assertTrue(agreement.top1() >= measured[1] - 1, format + ": " + agreement.summary());
  }
}
