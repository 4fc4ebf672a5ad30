package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.at;
import static io.jquant.processor.TestSources.attention;
import static io.jquant.processor.TestSources.compile;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.mlp;
import static io.jquant.processor.TestSources.model;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.Locale;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A correct declaration that a serving engine would read otherwise gets a WARNING on the value at fault, the
 * code still generated; {@code @SuppressWarnings("jquant:<id>")} silences it.
 */
class ServingWarningsTest {
  private static final String MAX_LAYER_SETS = "[jquant:Serving.MaxLayerSets] MAX's modelopt NVFP4 parser"
      + " (a0626853) skips the exclude list; newer versions honour only the subtree globs jquant adds for"
      + " Llama names (model.layers.N.mlp*, model.layers.N.self_attn*) and reads every layer as NVFP4, so it"
      + " would quantize the attention of layers 0, 15, which this model leaves float. vLLM and transformers"
      + " honour the list. Silence with @SuppressWarnings(\"jquant:Serving.MaxLayerSets\") on the model or"
      + " the layer class.";

  @Test
  void partlyFloatNvfp4WarnsOnTheLayersValue() {
    JavaFileObject attention = attention("LlamaAttention",
        "@Quantized(format = QuantFormat.NVFP4, layers = \"1-14\")");

    Compilation c = compile(llama(), mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4)"), attention);

    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining(MAX_LAYER_SETS).inFile(attention)
        .onLine(at(attention, "\"1-14\"").line()).atColumn(at(attention, "\"1-14\"").column());
    assertThat(warnings(c)).containsExactly(MAX_LAYER_SETS);
    assertThat(c).generatedSourceFile("test.LlamaWiring");
  }

  @Test
  void suppressWarningsWithTheTagSilencesIt() {
    JavaFileObject model = TestSources.source("Llama",
        "@SuppressWarnings(\"jquant:Serving.MaxLayerSets\")",
        "@QuantizedModel(" + TestSources.LLAMA_MODEL + ")",
        "public final class Llama {}");

    Compilation c = compile(model, mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4)"),
        attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4, layers = \"1-14\")"));

    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void anotherTagDoesNotSilenceIt() {
    Compilation c = compile(llama(), mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4)"),
        attention("LlamaAttention", "@SuppressWarnings(\"jquant:Serving.EngineFormat\")",
            "@Quantized(format = QuantFormat.NVFP4, layers = \"1-14\")"));

    assertThat(warnings(c)).containsExactly(MAX_LAYER_SETS);
  }

  @Test
  void mxfp8WarnsOnTheFormatThatMaxHasNoParserForIt() {
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.MXFP8)");

    Compilation c = compile(model("Llama", "name = \"llama\", numLayers = 4, layerClasses = LlamaMlp.class"),
        mlp);

    String expected = "[jquant:Serving.EngineFormat] MAX has no parser for compressed-tensors MXFP8 (its"
        + " compressed-tensors FP8 parser refuses strategy \"group\"; it reads MXFP8 only as quant_method"
        + " \"mxfp8\"); vLLM and compressed-tensors read the export. Silence with"
        + " @SuppressWarnings(\"jquant:Serving.EngineFormat\") on the model or the layer class.";
    // javac puts a qualified enum constant's position at the dot before its name.
    assertThat(c).hadWarningContaining(expected).inFile(mlp).onLine(at(mlp, ".MXFP8").line())
        .atColumn(at(mlp, ".MXFP8").column());
    assertThat(warnings(c)).containsExactly(expected);
  }

  @Test
  void dynamicNvfp4InputsWarnOnTheOriginThatEnginesReadStatic() {
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4)",
        "@InputScale(origin = ScaleOrigin.DYNAMIC)");
    JavaFileObject attention = attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)",
        "@InputScale(origin = ScaleOrigin.DYNAMIC)");

    Compilation c = compile(llama(), mlp, attention);

    String expected = "[jquant:Serving.EngineFormat] NVFP4 is exported as modelopt NVFP4, which vLLM and MAX"
        + " read with STATIC input scales whatever the config says: a checkpoint without calibrated"
        + " input_scale tensors does not load there as declared with DYNAMIC inputs. Silence with"
        + " @SuppressWarnings(\"jquant:Serving.EngineFormat\") on the model or the layer class.";
    assertThat(c).hadWarningContaining(expected).inFile(mlp).onLine(at(mlp, ".DYNAMIC").line())
        .atColumn(at(mlp, ".DYNAMIC").column());
    assertThat(warnings(c)).containsExactly(expected);
  }

  @Test
  void everyLayerInAFormatEveryEngineReadsHasNoWarning() {
    Compilation c = compile(llama(), mlp("LlamaMlp", "@Quantized(format = QuantFormat.INT8_W8A8)"),
        attention("LlamaAttention", "@Quantized(format = QuantFormat.INT8_W8A8, layers = \"1-14\")"));

    assertThat(c).succeededWithoutWarnings();
  }

  private static List<String> warnings(Compilation c) {
    return c.warnings().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
  }
}
