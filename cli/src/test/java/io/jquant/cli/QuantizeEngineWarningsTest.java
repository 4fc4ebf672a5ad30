package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jquant quantize} warns, in the processor's words, when a serving engine reads the export otherwise
 * than written (the README's engine matrix), and is silent when every engine reads it.
 */
class QuantizeEngineWarningsTest {
  @TempDir
  Path tmp;

  private List<String> warnings(String format) throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in-" + format));
    Fixtures.Run run = Fixtures.run("quantize", "--format", format, in.toString(),
        tmp.resolve("out-" + format).toString());
    assertEquals(0, run.exit(), run.err());
    return run.err().lines().filter(line -> line.startsWith("warning: ")).toList();
  }

  @Test
  void mxfp8NamesTheEngineWithoutAParserForIt() throws IOException {
    assertEquals(List.of("warning: MAX has no parser for compressed-tensors MXFP8 (its compressed-tensors FP8"
        + " parser refuses strategy \"group\"; it reads MXFP8 only as quant_method \"mxfp8\"); vLLM and"
        + " compressed-tensors read the export. [Serving.EngineFormat]"), warnings("mxfp8"));
  }

  @Test
  void mxfp4WithEveryLayerQuantizedStillNamesMaxsMoeReading() throws IOException {
    assertEquals(List.of("warning: MAX reads compressed-tensors MXFP4 as gpt-oss's MoE layout"
        + " (_parse_mxfp4_config): the MLP of every layer quantized and no attention, whatever the ignore"
        + " list says; this model quantizes the MLP of layers 0-1 and the attention of layers 0-1. vLLM and"
        + " compressed-tensors honour the list. [Serving.MaxLayerSets]"), warnings("mxfp4"));
  }

  @Test
  void compressedTensorsFp8IsReadByEveryEngineWithoutAWarning() throws IOException {
    assertEquals(List.of(), warnings("fp8-channel"));
    assertEquals(List.of(), warnings("int8").stream().filter(w -> w.contains("Serving.")).toList());
  }
}
