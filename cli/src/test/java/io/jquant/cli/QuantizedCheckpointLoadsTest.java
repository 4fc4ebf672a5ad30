package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.Role;
import io.jquant.config.QuantConfig;
import io.jquant.runtime.Linear;
import io.jquant.runtime.model.ModelLayout;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.quant.FormatPreset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code jquant quantize} writes in each exported convention (compressed-tensors MXFP4's weight_packed,
 * per-tensor FP8's [1] scale, ...) loads through ModelWeights under the preset's own config, which the
 * checkpoint's config must agree with, and computes exactly what the float checkpoint quantized on the fly
 * computes.
 */
class QuantizedCheckpointLoadsTest {
  private static final ModelLayout LAYOUT = new ModelLayout(2, "model.layers.{layer}");
  private static final List<String> ATTENTION = List.of("self_attn.q_proj", "self_attn.k_proj",
      "self_attn.v_proj", "self_attn.o_proj");
  private static final List<String> MLP = List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = { "mxfp4", "mxfp8", "fp8-tensor", "fp8-channel", "fp8-block", "int8" })
  void theExportLoadsAndComputesAsTheDeclarationOnTheFly(String format) throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    assertEquals(0, Fixtures.run("quantize", "--format", format, in.toString(), out.toString()).exit());
    QuantConfig config = FormatPreset.ofOption(format).config(Set.of(0, 1), Set.of(0, 1));

    try (ModelWeights stored = ModelWeights.open(out, LAYOUT, config);
        ModelWeights onTheFly = ModelWeights.open(in, LAYOUT, config)) {
      for (int layer = 0; layer < 2; layer++) {
        for (String projection : ATTENTION) {
          assertSameOutputs(stored.projection(Role.ATTENTION, ProjectionKind.INFER, layer, projection),
              onTheFly.projection(Role.ATTENTION, ProjectionKind.INFER, layer, projection));
        }
        for (String projection : MLP) {
          assertSameOutputs(stored.projection(Role.MLP, ProjectionKind.INFER, layer, projection),
              onTheFly.projection(Role.MLP, ProjectionKind.INFER, layer, projection));
        }
      }
    }
  }

  private static void assertSameOutputs(Linear stored, Linear onTheFly) {
    int rows = 3;
    float[] x = new float[rows * stored.inFeatures()];
    Random random = new Random(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float[] expected = new float[rows * onTheFly.outFeatures()];
    float[] actual = new float[rows * stored.outFeatures()];
    onTheFly.forward(x, expected, rows);
    stored.forward(x, actual, rows);
    assertArrayEquals(expected, actual, stored.name());
  }
}
