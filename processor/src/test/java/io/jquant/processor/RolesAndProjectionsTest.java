package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.assertErrorAt;
import static io.jquant.processor.TestSources.at;
import static io.jquant.processor.TestSources.attention;
import static io.jquant.processor.TestSources.compile;
import static io.jquant.processor.TestSources.layer;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.loadConfig;
import static io.jquant.processor.TestSources.mlp;
import static io.jquant.processor.TestSources.source;

import com.google.testing.compile.Compilation;
import io.jquant.config.QuantConfig;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The {@code Role.*} and {@code Projection.*} rules: what a layer class is, from its {@code @Projection}s.
 */
class RolesAndProjectionsTest {
  private static final String NVFP4 = "@Quantized(format = QuantFormat.NVFP4)";
  private static final JavaFileObject MLP = mlp("LlamaMlp", NVFP4);
  private static final JavaFileObject ATTENTION = attention("LlamaAttention", NVFP4);

  // ---- Role.* ----

  @Test
  void roleNoProjections_onTheAnnotation() {
    JavaFileObject mlp = layer("LlamaMlp", List.of(), NVFP4);

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Role.NoProjections] LlamaMlp has no @Projection constructor parameters or fields, so "
            + "its role cannot be inferred; annotate its Linear projections with"
            + " @Projection(\"mlp.gate_proj\") and the "
            + "like.",
        mlp, "@Quantized");
  }

  @Test
  void roleMixed() {
    JavaFileObject mlp = layer("LlamaMlp",
        List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "self_attn.q_proj"), NVFP4);

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Role.Mixed] LlamaMlp has both MLP and attention projections; MAX quantizes an MLP or "
            + "an attention block as a whole, so declare them in two layer classes.",
        mlp, "@Quantized");
  }

  @Test
  void roleMlpProjections_missingDown() {
    JavaFileObject mlp = layer("LlamaMlp", List.of("mlp.gate_proj", "mlp.up_proj"), NVFP4);

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Role.MlpProjections] LlamaMlp is an MLP without DOWN projection; an MLP has gate, up "
            + "and down projections (or up and down).",
        mlp, "@Quantized");
  }

  @Test
  void roleMlpProjections_twoGates() {
    JavaFileObject mlp = source("LlamaMlp",
        NVFP4,
        "public final class LlamaMlp {",
        "  @Projection(value = \"mlp.w1\", kind = ProjectionKind.GATE) Object w1;",
        "  @Projection(value = \"mlp.w3\", kind = ProjectionKind.GATE) Object w3;",
        "  @Projection(\"mlp.up_proj\") Object up;",
        "  @Projection(\"mlp.down_proj\") Object down;",
        "}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Role.MlpProjections] LlamaMlp has two GATE projections (\"mlp.w1\" and \"mlp.w3\"); "
            + "an MLP has gate, up and down projections (or up and down).",
        mlp, ".GATE) Object w3");
  }

  @Test
  void roleMlpProjections_upAndDownAlone_isAnMlp() {
    JavaFileObject mlp = layer("LlamaMlp", List.of("mlp.up_proj", "mlp.down_proj"), NVFP4);

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void roleDeclared_projectionsOfTheOtherRoleAreEachReported() {
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, role = Role.ATTENTION)");
    // Only this class: with LlamaAttention too, both attention classes would claim every layer.
    JavaFileObject model = TestSources.model("Llama",
        "name = \"llama\", numLayers = 16, layerClasses = LlamaMlp.class");

    Compilation c = compile(model, mlp);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(4);
    String shape = "; attention has q, k, v and o projections (or qkv and o).";
    assertErrorAt(c,
        "[jquant:Role.AttentionProjections] \"mlp.gate_proj\" is an MLP projection (GATE) but LlamaMlp "
            + "is attention" + shape,
        mlp, "\"mlp.gate_proj\"");
    assertErrorAt(c,
        "[jquant:Role.AttentionProjections] \"mlp.up_proj\" is an MLP projection (UP) but LlamaMlp "
            + "is attention" + shape,
        mlp, "\"mlp.up_proj\"");
    assertErrorAt(c,
        "[jquant:Role.AttentionProjections] \"mlp.down_proj\" is an MLP projection (DOWN) but LlamaMlp "
            + "is attention" + shape,
        mlp, "\"mlp.down_proj\"");
    assertErrorAt(c, "[jquant:Role.AttentionProjections] LlamaMlp is attention without Q, K, V, O projections"
        + shape, mlp, ".ATTENTION");
  }

  @Test
  void roleAttentionProjections_missingV() {
    JavaFileObject attention = layer("LlamaAttention",
        List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.o_proj"), NVFP4);

    Compilation c = compile(llama(), MLP, attention);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Role.AttentionProjections] LlamaAttention is attention without V projection; "
        + "attention has q, k, v and o projections (or qkv and o).", attention, "@Quantized");
  }

  @Test
  void roleAttentionProjections_fusedQkvAndSeparateQ() {
    JavaFileObject attention = layer("LlamaAttention",
        List.of("self_attn.qkv_proj", "self_attn.q_proj", "self_attn.o_proj"), NVFP4);

    Compilation c = compile(llama(), MLP, attention);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Role.AttentionProjections] LlamaAttention has a fused QKV projection and separate "
            + "q/k/v projections; attention has q, k, v and o projections (or qkv and o).",
        attention, "\"self_attn.q_proj\"");
  }

  @Test
  void roleAttentionProjections_fusedQkvAndO_isAttention() {
    JavaFileObject attention = layer("LlamaAttention", List.of("self_attn.qkv_proj", "self_attn.o_proj"),
        NVFP4);

    Compilation c = compile(llama(), MLP, attention);

    assertThat(c).succeededWithoutWarnings();
  }

  // ---- Projection.* ----

  @Test
  void projectionUnknownKind() {
    JavaFileObject mlp = layer("LlamaMlp",
        List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "mlp.extra"), NVFP4);

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Projection.UnknownKind] cannot tell which projection \"mlp.extra\" is from its name; "
            + "add a kind, e.g. @Projection(value = \"mlp.extra\", kind = ProjectionKind.Q). Names whose"
            + " last segment is "
            + "gate_proj, up_proj, down_proj, q_proj, k_proj, v_proj, o_proj or qkv_proj need none.",
        mlp, "\"mlp.extra\"");
  }

  @Test
  void projectionName() {
    JavaFileObject mlp = layer("LlamaMlp", List.of("mlp..gate_proj", "mlp.up_proj", "mlp.down_proj"), NVFP4);

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Projection.Name] projection name \"mlp..gate_proj\" is not a dotted checkpoint path "
            + "like \"mlp.gate_proj\".",
        mlp, "\"mlp..gate_proj\"");
  }

  @Test
  void projectionDuplicate_onTheSecondDeclaration() {
    JavaFileObject mlp = layer("LlamaMlp",
        List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "mlp.up_proj"), NVFP4);

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Projection.Duplicate] projection \"mlp.up_proj\" is declared twice in LlamaMlp; each "
            + "projection reads its own tensors.",
        mlp, at(mlp, "\"mlp.up_proj\"", 2));
  }

  @Test
  void projectionOnAConstructorParameter_isReportedThere() {
    JavaFileObject mlp = source("LlamaMlp",
        NVFP4,
        "public final class LlamaMlp {",
        "  LlamaMlp(@Projection(\"mlp.gate_proj\") Object gate,",
        "      @Projection(\"mlp.up_proj\") Object up,",
        "      @Projection(\"mlp.down proj\") Object down) {}",
        "}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Projection.Name] projection name \"mlp.down proj\" is not a dotted checkpoint path",
        mlp, "\"mlp.down proj\"");
  }

  @Test
  void declaredKinds_allowAnyCheckpointNames() {
    JavaFileObject mlp = source("GptMlp",
        "@Quantized(format = QuantFormat.INT8_W8A8)",
        "public final class GptMlp {",
        "  GptMlp(@Projection(value = \"mlp.c_fc\", kind = ProjectionKind.UP) Object fc,",
        "      @Projection(value = \"mlp.c_proj\", kind = ProjectionKind.DOWN) Object proj) {}",
        "}");
    JavaFileObject attention = source("GptAttention",
        "@Quantized(format = QuantFormat.INT8_W8A8, role = Role.ATTENTION)",
        "public final class GptAttention {",
        "  GptAttention(@Projection(value = \"attn.c_attn\", kind = ProjectionKind.QKV) Object qkv,",
        "      @Projection(value = \"attn.c_proj\", kind = ProjectionKind.O) Object out) {}",
        "}");
    JavaFileObject model = TestSources.model("Gpt2",
        "name = \"gpt2\", numLayers = 12, checkpointPrefix = \"transformer.h.{layer}\", "
            + "layerClasses = {GptMlp.class, GptAttention.class}");

    Compilation c = compile(model, mlp, attention);

    assertThat(c).succeededWithoutWarnings();
    QuantConfig config = loadConfig(c, "test.Gpt2QuantConfig");
    assertThat(config.mlpQuantizedLayers()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).inOrder();
    assertThat(config.attnQuantizedLayers()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).inOrder();
  }

  /**
   * A record component's {@code @Projection} reaches both its field and the canonical constructor's
   * parameter. Before the fix each projection was read twice and reported as Projection.Duplicate.
   */
  @Test
  void aRecordLayerClass_readsEachComponentOnce() {
    JavaFileObject mlp = source("LlamaMlp",
        NVFP4,
        "public record LlamaMlp(@Projection(\"mlp.gate_proj\") Object gate,",
        "    @Projection(\"mlp.up_proj\") Object up,",
        "    @Projection(\"mlp.down_proj\") Object down) {}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void aRecordLayerClass_errorIsOnTheComponent() {
    JavaFileObject mlp = source("LlamaMlp",
        NVFP4,
        "public record LlamaMlp(@Projection(\"mlp.gate_proj\") Object gate,",
        "    @Projection(\"mlp.up_proj\") Object up,",
        "    @Projection(\"mlp.down_proj\") Object down,",
        "    @Projection(\"mlp.w4\") Object extra) {}");

    Compilation c = compile(llama(), mlp, ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Projection.UnknownKind] cannot tell which projection \"mlp.w4\" is from its name;",
        mlp, "\"mlp.w4\"");
  }
}
