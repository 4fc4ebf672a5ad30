package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.runtime.tensor.StoredTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jquant inspect} reads a quantize export with the module names its weights use, so a BERT model with
 * a float layer reports the layer sets that were written, not Llama's reading of the ignore list.
 */
class InspectModuleNamesTest {
  @TempDir
  Path tmp;

  private Path bert() throws IOException {
    List<StoredTensor> tensors = new ArrayList<>();
    tensors.add(Fixtures.bf16("embeddings.word_embeddings.weight", 32, 64));
    for (int i = 0; i < 2; i++) { // config.json: num_hidden_layers 2
      String p = "encoder.layer." + i + ".";
      for (String proj : List.of("self.query", "self.key", "self.value", "output.dense")) {
        tensors.add(Fixtures.bf16(p + "attention." + proj + ".weight", 64, 64));
      }
      tensors.add(Fixtures.bf16(p + "intermediate.dense.weight", 96, 64));
      tensors.add(Fixtures.bf16(p + "output.dense.weight", 64, 96));
    }
    return Fixtures.write(tmp.resolve("bert"), tensors);
  }

  @Test
  void aBertExportWithAFloatMlpReportsTheWrittenLayerSets() throws IOException {
    Path out = tmp.resolve("out");
    Fixtures.Run quantize = Fixtures.run("quantize", "--format", "mxfp4", "--exclude",
        "encoder.layer.1.intermediate", "--exclude", "encoder.layer.1.output.dense", bert().toString(),
        out.toString());
    assertEquals(0, quantize.exit(), quantize.err());

    Fixtures.Run inspect = Fixtures.run("inspect", "--json", out.toString());

    assertEquals(0, inspect.exit(), inspect.err());
    Map<?, ?> doc = HfQuantConfigParser.readJson("inspect", inspect.out());
    Map<?, ?> config = (Map<?, ?>) doc.get("quant_config");
    assertEquals("mxfp4", doc.get("quant_format"));
    assertEquals(List.of(0L), longs(config.get("mlp_quantized_layers")), String.valueOf(config));
    assertEquals(List.of(0L, 1L), longs(config.get("attn_quantized_layers")), String.valueOf(config));
  }

  private static List<Long> longs(Object list) {
    return ((List<?>) list).stream().map(n -> ((Number) n).longValue()).toList();
  }
}
