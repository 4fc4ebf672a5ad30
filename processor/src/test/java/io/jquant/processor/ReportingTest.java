package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.assertErrorAt;
import static io.jquant.processor.TestSources.at;
import static io.jquant.processor.TestSources.attention;
import static io.jquant.processor.TestSources.classPathWithout;
import static io.jquant.processor.TestSources.compile;
import static io.jquant.processor.TestSources.compiler;
import static io.jquant.processor.TestSources.errorAt;
import static io.jquant.processor.TestSources.layer;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.mlp;
import static io.jquant.processor.TestSources.model;
import static io.jquant.processor.TestSources.source;
import static io.jquant.processor.TestSources.writeClassFiles;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import io.jquant.processor.TestSources.GeneratingProcessor;
import io.jquant.processor.TestSources.RecordingProcessor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where and how diagnostics land: joined when they share a position, in the file that holds the value, on the
 * listing for a class compiled earlier; processing goes on after an error; only javac's error for a value
 * javac cannot read.
 */
class ReportingTest {
  private static final String NVFP4 = "@Quantized(format = QuantFormat.NVFP4)";

  @Test
  void violationsOnTheSameValue_areJoinedIntoOneDiagnostic_oneLineEach() {
    // javac prints only the first error at a source position; the second "mlp/x" breaks two rules.
    JavaFileObject mlp = layer("LlamaMlp",
        List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "mlp/x", "mlp/x"), NVFP4);

    Compilation c = compile(llama(), mlp, attention("LlamaAttention", NVFP4));

    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    String name = "[jquant:Projection.Name] projection name \"mlp/x\" is not a dotted checkpoint path like "
        + "\"mlp.gate_proj\".";
    String duplicate = "[jquant:Projection.Duplicate] projection \"mlp/x\" is declared twice in LlamaMlp;"
        + " each "
        + "projection reads its own tensors.";
    assertThat(messageLines(errorAt(c, mlp, at(mlp, "\"mlp/x\"", 1)))).containsExactly(name);
    assertThat(messageLines(errorAt(c, mlp, at(mlp, "\"mlp/x\"", 2)))).containsExactly(name, duplicate)
        .inOrder();
    assertErrorAt(c, duplicate, mlp, at(mlp, "\"mlp/x\"", 2));
  }

  @Test
  void violationsOnTheSameAnnotation_areJoinedToo() {
    // Both land on SparseMlp's @Quantized: its role (no value written) and its layers (omitted).
    JavaFileObject model = model("Llama", "name = \"llama\", numLayers = 16, "
        + "layerClasses = {LlamaMlp.class, SparseMlp.class, LlamaAttention.class}");
    JavaFileObject sparse = layer("SparseMlp", List.of("mlp.gate_proj", "mlp.up_proj"), NVFP4);

    Compilation c = compile(model, mlp("LlamaMlp", NVFP4), sparse, attention("LlamaAttention", NVFP4));

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(messageLines(errorAt(c, sparse, at(sparse, "@Quantized")))).containsExactly(
        "[jquant:Role.MlpProjections] SparseMlp is an MLP without DOWN projection; an MLP has gate, up and"
            + " down "
            + "projections (or up and down).",
        "[jquant:Layers.ClaimedTwice] layers 0-15 already have an MLP class, LlamaMlp; each layer has one "
            + "MLP class.")
        .inOrder();
  }

  @Test
  void processingContinuesAfterAnError_acrossValuesAndClasses() {
    JavaFileObject model = llama("biasDtype = DType.INT8");
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = {\"x\", \"3-1\"})");
    JavaFileObject attention = attention("LlamaAttention", NVFP4, "@InputScale(dtype = DType.BFLOAT16)");

    Compilation c = compile(model, mlp, attention);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(4);
    assertErrorAt(c, "[jquant:Flags.BiasDType] biases are FLOAT32, BFLOAT16 or FLOAT16, not INT8.", model,
        ".INT8");
    assertErrorAt(c, "[jquant:Layers.Syntax] layer entry \"x\"", mlp, "\"x\"");
    assertErrorAt(c, "[jquant:Layers.Reversed] layer range \"3-1\" runs backwards; write \"1-3\".", mlp,
        "\"3-1\"");
    assertErrorAt(c, "[jquant:Format.InputDType] NVFP4 input scales are FLOAT32, not BFLOAT16.",
        attention, ".BFLOAT16");
  }

  @Test
  void processingContinuesWithTheNextModel() {
    JavaFileObject broken = model("Broken", "name = \"\", numLayers = 16, layerClasses = {LlamaMlp.class}");
    JavaFileObject clean = model("Clean",
        "name = \"clean\", numLayers = 16, layerClasses = {LlamaMlp.class}");
    RecordingProcessor processor = new RecordingProcessor();

    Compilation c = Compiler.javac().withProcessors(processor)
        .compile(broken, clean, mlp("LlamaMlp", NVFP4));

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Model.Name] a model needs a name", broken, "\"\"");
    assertThat(processor.createdFiles()).containsExactly(
        "RESOURCE META-INF/jquant/test.Clean/hf_quant_config.json",
        "RESOURCE META-INF/jquant/test.Clean/quantization_config.json",
        "SOURCE test.CleanQuantConfig",
        "SOURCE test.CleanWiring");
  }

  @Test
  void aLayerClassInItsOwnFile_getsItsErrorsInThatFile() {
    JavaFileObject model = llama();
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = {\"0-3\", \"x\"})");

    Compilation c = compile(model, mlp, attention("LlamaAttention", NVFP4));

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[jquant:Layers.Syntax]").inFile(mlp).onLine(5).atColumn(57);
  }

  @Test
  void nestedLayerClasses_getTheirErrorsInTheModelFile() {
    JavaFileObject model = source("Llama",
        "@QuantizedModel(name = \"llama\", numLayers = 16, layerClasses = {Llama.Mlp.class,"
            + " Llama.Attention.class})",
        "public final class Llama {",
        "  @Quantized(format = QuantFormat.NVFP4, layers = {\"0-3\", \"x\"})",
        "  static final class Mlp {",
        "    @Projection(\"mlp.gate_proj\") Object gate;",
        "    @Projection(\"mlp.up_proj\") Object up;",
        "    @Projection(\"mlp.down_proj\") Object down;",
        "  }",
        "",
        "  @Quantized(format = QuantFormat.MXFP4)",
        "  static final class Attention {",
        "    @Projection(\"self_attn.qkv_proj\") Object qkv;",
        "    @Projection(\"self_attn.o_proj\") Object o;",
        "  }",
        "}");

    Compilation c = compile(model);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    assertErrorAt(c, "[jquant:Layers.Syntax] layer entry \"x\"", model, "\"x\"");
    assertErrorAt(c,
        "[jquant:Model.MixedFormats] Attention is MXFP4 but Mlp is NVFP4; a model has one format.",
        model, ".MXFP4");
  }

  /**
   * A layer class compiled earlier has no source positions: its errors go on its layerClasses entry, prefixed
   * with its name, and all of them share that position, so they are joined.
   */
  @Test
  void aLayerClassFromTheClassPath_getsItsErrorsOnItsListing(@TempDir Path classes) throws IOException {
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = {\"0-3\", \"x\"})",
        "@WeightScale(dtype = DType.FLOAT32)");
    // The library is compiled without jquant, as a jar built elsewhere would be.
    Compilation library = Compiler.javac().withOptions("-proc:none").compile(mlp);
    assertThat(library).succeededWithoutWarnings();
    writeClassFiles(library, classes);
    List<File> classPath = new ArrayList<>(classPathWithout(entry -> false));
    classPath.add(classes.toFile());
    JavaFileObject model = llama();

    Compilation c = compiler().withClasspath(classPath).compile(model, attention("LlamaAttention", NVFP4));

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(messageLines(errorAt(c, model, at(model, ".class", 1)))).containsExactly(
        "in layer class LlamaMlp: [jquant:Layers.Syntax] layer entry \"x\" is neither an index like \"7\""
            + " nor an "
            + "inclusive range like \"0-15\".",
        "in layer class LlamaMlp: [jquant:Format.WeightDType] NVFP4 weight scales are FLOAT8_E4M3FN, not "
            + "FLOAT32.")
        .inOrder();
  }

  @Test
  void aValueJavacCannotRead_getsOnlyJavacsError() {
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = {1})");

    Compilation c = compile(llama(), mlp, attention("LlamaAttention", NVFP4));

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "incompatible types", mlp, "1}");
  }

  @Test
  void aLayerClassGeneratedInALaterRound_isWaitedFor() {
    GeneratingProcessor generator = new GeneratingProcessor("LlamaMlp",
        NVFP4,
        "public record LlamaMlp(",
        "  @Projection(\"mlp.gate_proj\") Object gate,",
        "  @Projection(\"mlp.up_proj\") Object up,",
        "  @Projection(\"mlp.down_proj\") Object down) {}");

    Compilation c = Compiler.javac().withProcessors(generator, new QuantizedProcessor())
        .compile(llama(), attention("LlamaAttention", NVFP4));

    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.LlamaQuantConfig").contentsAsUtf8String()
        .contains("QuantConfig.builder(QuantFormat.NVFP4)");
  }

  /**
   * A failure inside the processor becomes one error on the model, never a compiler crash. Here two models
   * flatten to the same generated names ({@code Outer_Llama} and {@code Outer.Llama} both get
   * {@code Outer_LlamaQuantConfig}), so the Filer refuses the second model's files.
   */
  @Test
  void anInternalFailure_isOneErrorOnTheModel() {
    JavaFileObject model = source("Llama",
        "@QuantizedModel(name = \"a\", numLayers = 2, layerClasses = LlamaMlp.class)",
        "public final class Llama {}");
    TestSources.RecordingProcessor failing = new TestSources.RecordingProcessor("disk full");

    Compilation c = Compiler.javac().withProcessors(failing).compile(model, mlp("LlamaMlp", NVFP4));

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Setup.Internal] the jquant processor failed on this element; please report it with this "
            + "trace:",
        model, "class Llama");
    assertThat(c).hadErrorContaining("java.io.IOException: disk full");
  }

  @Test
  void twoModelsFlatteningToOneGeneratedName_areToldSo() {
    JavaFileObject flat = source("Outer_Llama",
        "@QuantizedModel(name = \"a\", numLayers = 2, layerClasses = LlamaMlp.class)",
        "public final class Outer_Llama {}");
    JavaFileObject nested = source("Outer",
        "public final class Outer {",
        "  @QuantizedModel(name = \"b\", numLayers = 2, layerClasses = LlamaMlp.class)",
        "  public static final class Llama {}",
        "}");

    Compilation c = compile(flat, nested, mlp("LlamaMlp", NVFP4));

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Setup.GeneratedNameClash] jquant generates test.Outer_LlamaQuantConfig for this "
            + "model, but model test.Outer_Llama generates a class of the same name; rename one of them.",
        nested, "@QuantizedModel(name = \"b\"");
  }

  @Test
  void aLayerClassNoModelLists_isCheckedOnItsOwn() {
    JavaFileObject mlp = mlp("LlamaMlp",
        "@Quantized(format = QuantFormat.NVFP4, layers = {\"0-3\", \"x\"})",
        "@WeightScale(block = {1, 32})");

    Compilation c = compile(mlp);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    assertErrorAt(c,
        "[jquant:Layers.Syntax] layer entry \"x\" is neither an index like \"7\" nor an inclusive range "
            + "like \"0-15\".",
        mlp, "\"x\"");
    assertErrorAt(c,
        "[jquant:Format.WeightBlock] NVFP4 weight scale blocks are (1, 16) elements, not (1, 32).",
        mlp, "{1, 32}");
  }

  @Test
  void aCorrectLayerClassNoModelLists_compilesAndGeneratesNothing() {
    Compilation c = compile(mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = \"0-15\")"));

    assertThat(c).succeededWithoutWarnings();
    assertThat(c.generatedSourceFiles()).isEmpty();
  }

  /**
   * The lines of a diagnostic's message. javac indents the continuation lines of a multi-line message (by two
   * spaces), so each line is stripped.
   */
  private static List<String> messageLines(Diagnostic<? extends JavaFileObject> diagnostic) {
    return diagnostic.getMessage(Locale.ROOT).lines().map(String::strip).toList();
  }
}
