package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.assertErrorAt;
import static io.jquant.processor.TestSources.assertMatchesGolden;
import static io.jquant.processor.TestSources.assertSucceededWithServingWarnings;
import static io.jquant.processor.TestSources.classPathWithout;
import static io.jquant.processor.TestSources.compile;
import static io.jquant.processor.TestSources.errorMessages;
import static io.jquant.processor.TestSources.generatedSource;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.source;
import static io.jquant.processor.TestSources.writeClassFiles;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated {@code <Model>Wiring}: goldens for a Llama, a BERT-like model with explicit kinds and a
 * nested model whose MLP role has two classes; each compiled against the runtime without warnings. And the
 * errors for layer classes the wiring cannot build.
 */
class WiringTest {
  private static final String NVFP4 = "@Quantized(format = QuantFormat.NVFP4)";

  /** The Llama shape of the samples: records of Linears. */
  private static JavaFileObject llamaMlp(String quantized) {
    return source("LlamaMlp",
        "import io.jquant.runtime.Linear;",
        "",
        quantized,
        "public record LlamaMlp(",
        "    @Projection(\"mlp.gate_proj\") Linear gate,",
        "    @Projection(\"mlp.up_proj\") Linear up,",
        "    @Projection(\"mlp.down_proj\") Linear down) {}");
  }

  private static JavaFileObject llamaAttention(String quantized) {
    return source("LlamaAttention",
        "import io.jquant.runtime.Linear;",
        "",
        quantized,
        "public final class LlamaAttention {",
        "  private final Linear q;",
        "",
        "  LlamaAttention(@Projection(\"self_attn.q_proj\") Linear q, @Projection(\"self_attn.k_proj\")"
            + " Linear k,",
        "      @Projection(\"self_attn.v_proj\") Linear v, @Projection(\"self_attn.o_proj\") Linear o) {",
        "    this.q = q;",
        "  }",
        "",
        "  Linear q() {",
        "    return q;",
        "  }",
        "}");
  }

  @Test
  void llamaShape() {
    Compilation c = compile(TestSources.llama(), llamaMlp(NVFP4),
        llamaAttention("@Quantized(format = QuantFormat.NVFP4, layers = \"1-15\")"));

    assertSucceededWithServingWarnings(c, "Serving.MaxLayerSets");
    assertMatchesGolden(WiringTest.class, "llama", "test.LlamaWiring",
        generatedSource(c, "test.LlamaWiring"));
  }

  @Test
  void bertLike_explicitKindsAndUpDownMlp() {
    Compilation c = compile(TestSources.miniLm(null));

    assertSucceededWithServingWarnings(c);
    assertMatchesGolden(WiringTest.class, "bertLike", "test.MiniLmWiring",
        generatedSource(c, "test.MiniLmWiring"));
  }

  /**
   * Nested classes flatten; an MLP role with two classes: each builds its layers, the first the unclaimed.
   */
  @Test
  void nestedModel_twoClassesOfOneRole() {
    JavaFileObject outer = source("Outer",
        "import io.jquant.runtime.Linear;",
        "",
        "public final class Outer {",
        "  @QuantizedModel(name = \"moe-mini\", numLayers = 6, layerClasses = {Outer.Mlp.class,"
            + " Outer.Dense.class})",
        "  public static final class Llama {}",
        "",
        "  @Quantized(format = QuantFormat.MXFP8, layers = \"0\")",
        "  record Mlp(@Projection(\"mlp.up_proj\") Linear up, @Projection(\"mlp.down_proj\") Linear down) {}",
        "",
        "  @Quantized(format = QuantFormat.MXFP8, layers = {\"2-3\", \"5\"})",
        "  record Dense(@Projection(\"mlp.up_proj\") Linear up, @Projection(\"mlp.down_proj\") Linear down)"
            + " {}",
        "}");

    Compilation c = compile(outer);

    assertSucceededWithServingWarnings(c, "Serving.EngineFormat");
    assertMatchesGolden(WiringTest.class, "nestedModel", "test.Outer_LlamaWiring",
        generatedSource(c, "test.Outer_LlamaWiring"));
  }

  /**
   * A record from a class file: javac does not mark its canonical constructor, and the parameter names may be
   * gone; the wiring still finds it, by the component types in order.
   */
  @Test
  void aRecordFromTheClassPath_isBuiltThroughItsCanonicalConstructor(@TempDir Path classes)
      throws IOException {
    Compilation library = Compiler.javac().withOptions("-proc:none").compile(llamaMlp(NVFP4));
    assertThat(library).succeededWithoutWarnings();
    writeClassFiles(library, classes);
    List<File> classPath = new ArrayList<>(classPathWithout(entry -> false));
    classPath.add(classes.toFile());

    Compilation c = TestSources.compiler().withClasspath(classPath)
        .compile(TestSources.llama(), llamaAttention(NVFP4));

    assertSucceededWithServingWarnings(c);
    assertThat(generatedSource(c, "test.LlamaWiring")).contains("    return new LlamaMlp(\n"
        + "        weights.projection(Role.MLP, ProjectionKind.GATE, layer, \"mlp.gate_proj\"),\n"
        + "        weights.projection(Role.MLP, ProjectionKind.UP, layer, \"mlp.up_proj\"),\n"
        + "        weights.projection(Role.MLP, ProjectionKind.DOWN, layer, \"mlp.down_proj\"));\n");
  }

  // ---- errors ----

  @Test
  void projectionsOnFields_areAnErrorOnTheClass() {
    JavaFileObject mlp = source("LlamaMlp",
        NVFP4,
        "public final class LlamaMlp {",
        "  @Projection(\"mlp.gate_proj\") Object gate;",
        "  @Projection(\"mlp.up_proj\") Object up;",
        "  @Projection(\"mlp.down_proj\") Object down;",
        "}");

    TestSources.RecordingProcessor processor = new TestSources.RecordingProcessor();
    Compilation c = Compiler.javac().withProcessors(processor).compile(llama(), mlp, llamaAttention(NVFP4));

    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Wiring.NoConstructor] jquant builds LlamaMlp through a constructor whose parameters "
            + "are all @Projection Linear; its projections (mlp.gate_proj, mlp.up_proj, mlp.down_proj) are"
            + " fields; take "
            + "them as the parameters of a constructor LlamaMlp(@Projection(...) Linear ...) instead (a"
            + " record's "
            + "components are both).",
        mlp, "class LlamaMlp");
    assertThat(processor.created()).isEmpty();
  }

  @Test
  void twoQualifyingConstructors_areAnError() {
    JavaFileObject mlp = source("LlamaMlp",
        NVFP4,
        "public final class LlamaMlp {",
        "  LlamaMlp(@Projection(\"mlp.up_proj\") Object up, @Projection(\"mlp.down_proj\") Object down) {}",
        "  LlamaMlp(@Projection(\"mlp.down_proj\") String down, @Projection(\"mlp.up_proj\") String up) {}",
        "}");

    Compilation c = compile(
        TestSources.model("Llama", "name = \"l\", numLayers = 2, layerClasses = LlamaMlp.class"),
        mlp);

    // Each constructor's projections count as their own: the rules see each name twice.
    assertThat(errorMessages(c).toString()).contains("[jquant:Projection.Duplicate]");
  }

  @Test
  void aPrivateConstructor_isAnError() {
    JavaFileObject mlp = source("LlamaMlp",
        NVFP4,
        "public final class LlamaMlp {",
        "  private LlamaMlp(@Projection(\"mlp.up_proj\") Object up, @Projection(\"mlp.down_proj\") Object"
            + " down) {}",
        "}");

    Compilation c = compile(
        TestSources.model("Llama", "name = \"l\", numLayers = 2, layerClasses = LlamaMlp.class"),
        mlp);

    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Wiring.NoConstructor] jquant builds LlamaMlp through a constructor whose parameters "
            + "are all @Projection Linear; the one it has, LlamaMlp(java.lang.Object up, java.lang.Object"
            + " down), is "
            + "private; make it package-private or public.",
        mlp, "class LlamaMlp");
  }

  @Test
  void aParameterThatCannotTakeALinear_isAnErrorOnIt() {
    JavaFileObject mlp = source("LlamaMlp",
        NVFP4,
        "public record LlamaMlp(",
        "    @Projection(\"mlp.up_proj\") Object up,",
        "    @Projection(\"mlp.down_proj\") String down) {}");

    Compilation c = compile(
        TestSources.model("Llama", "name = \"l\", numLayers = 2, layerClasses = LlamaMlp.class"),
        mlp);

    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Wiring.ParameterType] the wiring passes projection mlp.down_proj as a Linear, which "
            + "this java.lang.String cannot take; declare it Linear (or a supertype).",
        mlp,
        "@Projection(\"mlp.down_proj\")");
  }
}
