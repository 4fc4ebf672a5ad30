package io.jquant.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.assertErrorAt;
import static io.jquant.processor.TestSources.assertSucceededWithServingWarnings;
import static io.jquant.processor.TestSources.at;
import static io.jquant.processor.TestSources.attention;
import static io.jquant.processor.TestSources.compile;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.mlp;
import static io.jquant.processor.TestSources.model;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The {@code Layers.*} rules: {@code @Quantized(layers)} entries and which class claims a layer. */
class LayersTest {
  private static final JavaFileObject ATTENTION = attention("LlamaAttention",
      "@Quantized(format = QuantFormat.NVFP4)");

  private static JavaFileObject nvfp4Mlp(String layers) {
    return mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = " + layers + ")");
  }

  @Test
  void syntax_isReportedOnTheSecondEntryItself() {
    JavaFileObject mlp = nvfp4Mlp("{\"0-3\", \"x\"}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    // @Quantized(format = QuantFormat.NVFP4, layers = {"0-3", "x"}) is line 5; "x" starts in column 57.
    assertThat(c)
        .hadErrorContaining("[jquant:Layers.Syntax] layer entry \"x\" is neither an index like \"7\" nor an "
            + "inclusive range like \"0-15\".")
        .inFile(mlp)
        .onLine(5)
        .atColumn(57);
  }

  @Test
  void syntax_everyMalformedEntryIsReported() {
    JavaFileObject mlp = nvfp4Mlp("{\"1,2\", \"4-7\", \"9-\"}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    assertErrorAt(c, "[jquant:Layers.Syntax] layer entry \"1,2\" is neither an index", mlp, "\"1,2\"");
    assertErrorAt(c, "[jquant:Layers.Syntax] layer entry \"9-\" is neither an index", mlp, "\"9-\"");
  }

  @Test
  void syntax_singleEntryWithoutBraces() {
    JavaFileObject mlp = nvfp4Mlp("\"x\"");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Layers.Syntax] layer entry \"x\" is neither an index", mlp, "\"x\"");
  }

  @Test
  void negative() {
    JavaFileObject mlp = nvfp4Mlp("{\"0-3\", \"-1\", \"-3-1\"}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    assertErrorAt(c, "[jquant:Layers.Negative] layer entry \"-1\" is negative; layers are numbered from 0.",
        mlp, "\"-1\"");
    assertErrorAt(c, "[jquant:Layers.Negative] layer entry \"-3-1\" is negative; layers are numbered from 0.",
        mlp, "\"-3-1\"");
  }

  @Test
  void reversed() {
    JavaFileObject mlp = nvfp4Mlp("{\"0\", \"5-2\"}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Layers.Reversed] layer range \"5-2\" runs backwards; write \"2-5\".", mlp,
        "\"5-2\"");
  }

  @Test
  void outOfRange() {
    JavaFileObject mlp = nvfp4Mlp("{\"0-9\", \"10-16\"}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Layers.OutOfRange] layer entry \"10-16\" reaches layer 16, but the model has 16 "
            + "layers (0-15).",
        mlp, "\"10-16\"");
  }

  @Test
  void outOfRange_oneLayerModel() {
    JavaFileObject model = model("Llama",
        "name = \"tiny\", numLayers = 1, layerClasses = {LlamaMlp.class, LlamaAttention.class}");
    JavaFileObject mlp = nvfp4Mlp("{\"1\"}");

    Compilation c = compile(model, mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Layers.OutOfRange] layer entry \"1\" reaches layer 1, but the model has 1 layer (0).",
        mlp, "\"1\"");
  }

  @Test
  void outOfRange_numberTooLongForAnInt_isQuotedExactly() {
    JavaFileObject mlp = nvfp4Mlp("{\"99999999999999999999\"}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Layers.OutOfRange] layer entry \"99999999999999999999\" reaches layer "
        + "99999999999999999999, but the model has 16 layers (0-15).", mlp, "\"99999999999999999999\"");
  }

  @Test
  void overlap() {
    JavaFileObject mlp = nvfp4Mlp("{\"0-5\", \"3-7\"}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Layers.Overlap] layer entry \"3-7\" overlaps entry \"0-5\"; list each layer once.",
        mlp, "\"3-7\"");
  }

  @Test
  void overlap_repeatedEntry_isReportedOnTheRepetition() {
    JavaFileObject mlp = nvfp4Mlp("{\"4\", \"4\"}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Layers.Overlap] layer entry \"4\" repeats entry \"4\"; list each layer once.",
        mlp, at(mlp, "\"4\"", 2));
  }

  @Test
  void empty() {
    JavaFileObject mlp = nvfp4Mlp("{}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Layers.Empty] layers = {} quantizes no layer; omit layers to quantize every layer, "
            + "or list them like {\"0-15\"}.",
        mlp, "{}");
  }

  @Test
  void claimedTwice_explicitEntry() {
    JavaFileObject model = model("Llama", "name = \"llama\", numLayers = 16, "
        + "layerClasses = {LlamaMlp.class, SparseMlp.class, LlamaAttention.class}");
    JavaFileObject mlp = nvfp4Mlp("{\"0-7\"}");
    JavaFileObject sparse = mlp("SparseMlp",
        "@Quantized(format = QuantFormat.NVFP4, layers = {\"12-15\", \"6-9\"})");

    Compilation c = compile(model, mlp, sparse, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Layers.ClaimedTwice] layers 6-7 already have an MLP class, LlamaMlp; each layer has "
            + "one MLP class.",
        sparse, "\"6-9\"");
  }

  @Test
  void claimedTwice_singleLayer() {
    JavaFileObject model = model("Llama", "name = \"llama\", numLayers = 16, "
        + "layerClasses = {LlamaMlp.class, SparseMlp.class, LlamaAttention.class}");
    JavaFileObject mlp = nvfp4Mlp("{\"0-7\"}");
    JavaFileObject sparse = mlp("SparseMlp", "@Quantized(format = QuantFormat.NVFP4, layers = {\"7-15\"})");

    Compilation c = compile(model, mlp, sparse, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Layers.ClaimedTwice] layer 7 already has an MLP class, LlamaMlp; each layer has one "
            + "MLP class.",
        sparse, "\"7-15\"");
  }

  @Test
  void claimedTwice_omittedLayers_isReportedOnTheAnnotation() {
    JavaFileObject model = model("Llama", "name = \"llama\", numLayers = 16, "
        + "layerClasses = {LlamaMlp.class, LlamaAttention.class, CrossAttention.class}");
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4)");
    JavaFileObject cross = attention("CrossAttention", "@Quantized(format = QuantFormat.NVFP4)");

    Compilation c = compile(model, mlp, ATTENTION, cross);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    // No layers value to point at: the whole @Quantized annotation.
    assertErrorAt(c,
        "[jquant:Layers.ClaimedTwice] layers 0-15 already have an attention class, LlamaAttention; "
            + "each layer has one attention class.",
        cross, "@Quantized");
  }

  @Test
  void mlpAndAttentionMayCoverDifferentLayers() {
    JavaFileObject mlp = nvfp4Mlp("{\"0-7\", \"12\"}");
    JavaFileObject attention = attention("LlamaAttention",
        "@Quantized(format = QuantFormat.NVFP4, layers = {\"8-15\", \"0\"})");

    Compilation c = compile(llama(), mlp, attention);

    assertSucceededWithServingWarnings(c, "Serving.MaxLayerSets");
  }
}
