package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jquant quantize --format fp8-block} warns when a weight's blocks do not tile it (vLLM refuses such a
 * layer, transformers reads its edge scales elsewhere), and only then.
 */
class BlockFp8EdgeWarningTest {
  @TempDir
  Path tmp;

  @Test
  void weightsOffThe128GridAreWrittenWithOneWarningNamingTheFirst() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));

    Fixtures.Run run = Fixtures.run("quantize", "--format", "fp8-block", in.toString(),
        tmp.resolve("out").toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("warning: 14 fp8-block weight(s) have a dimension that is not a multiple of 128"
        + " (first: model.layers.0.mlp.down_proj.weight [64, 96]): vLLM refuses such layers and"
        + " transformers' CPU dequantization reads their last blocks with other scales; jquant and MAX read"
        + " the short edge blocks as written"), warnings(run));
  }

  @Test
  void weightsOnThe128GridGiveNoWarning() throws IOException {
    Path in = Fixtures.write(tmp.resolve("in"), List.of(
        Fixtures.bf16("model.layers.0.self_attn.q_proj.weight", 128, 256),
        Fixtures.bf16("model.layers.0.self_attn.k_proj.weight", 128, 256),
        Fixtures.bf16("model.layers.0.self_attn.v_proj.weight", 128, 256),
        Fixtures.bf16("model.layers.0.self_attn.o_proj.weight", 256, 128)));

    Fixtures.Run run = Fixtures.run("quantize", "--format", "fp8-block", in.toString(),
        tmp.resolve("out").toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of(), warnings(run));
  }

  @Test
  void otherFormatsNeverWarnAboutTheFp8Grid() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));

    Fixtures.Run run = Fixtures.run("quantize", "--format", "fp8-channel", in.toString(),
        tmp.resolve("out").toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of(), warnings(run));
  }

  /** The plan's warnings; the engines' readings (EngineWarnings) are QuantizeEngineWarningsTest's. */
  private static List<String> warnings(Fixtures.Run run) {
    return run.err().lines().filter(l -> l.startsWith("warning: ") && !l.contains(" [Serving.")).toList();
  }
}
