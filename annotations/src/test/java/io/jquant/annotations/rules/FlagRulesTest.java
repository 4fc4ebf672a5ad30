package io.jquant.annotations.rules;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E5M2;
import static io.jquant.annotations.DType.UINT8;
import static io.jquant.annotations.ProjectionKind.GATE;
import static io.jquant.annotations.ProjectionKind.UP;
import static io.jquant.annotations.QuantFormat.MXFP4;
import static io.jquant.annotations.QuantFormat.NVFP4;
import static io.jquant.annotations.rules.Decl.assertClean;
import static io.jquant.annotations.rules.Decl.assertOnly;
import static io.jquant.annotations.rules.Decl.attn;
import static io.jquant.annotations.rules.Decl.llama;
import static io.jquant.annotations.rules.Decl.mlp;
import static io.jquant.annotations.rules.Decl.model;
import static io.jquant.annotations.rules.Decl.proj;
import static io.jquant.annotations.rules.Decl.projs;
import static io.jquant.annotations.rules.Decl.rules;
import static io.jquant.annotations.rules.Decl.withDtypes;
import static io.jquant.annotations.rules.Decl.withFlags;
import static io.jquant.annotations.rules.Decl.withProjections;
import static io.jquant.annotations.rules.Decl.withRole;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FlagRulesTest {
  private static final Place FUSED = Place.model(Attribute.FUSED_MLP);
  private static final String NEEDS_GATE_UP = "fusedMlp runs gate and up as one matmul, but no MLP layer"
      + " class has both a gate and an up projection.";

  private static List<Violation> check(ModelDeclaration model) {
    return ModelRules.check(model).violations();
  }

  private static ModelDeclaration fused(ModelDeclaration model) {
    return withFlags(model, true, false);
  }

  // ---- pre-interleaved ----

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void preInterleavedIsOnlyForNvfp4(QuantFormat format) {
    List<Violation> v = check(withFlags(llama(format), false, true));
    if (format == NVFP4) {
      assertClean(v);
    } else {
      assertOnly(v, RuleId.FLAGS_PRE_INTERLEAVED, List.of(Place.model(Attribute.SCALES_PRE_INTERLEAVED)),
          "pre-interleaved (128x4 tiled) weight scales are an NVFP4 checkpoint layout; this model is "
              + format
              + ". Remove scalesPreInterleaved.");
    }
  }

  // ---- fused MLP ----

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void fusedMlpWithGateAndUp(QuantFormat format) {
    List<Violation> v = check(fused(llama(format)));
    if (format == MXFP4) {
      assertOnly(v, RuleId.FLAGS_FUSED_MLP_FORMAT, List.of(FUSED),
          "MXFP4 gate and up projections cannot run as one fused matmul (MAX never fuses them). Remove"
              + " fusedMlp.");
    } else {
      assertClean(v);
    }
  }

  @Test
  void fusedMlpWithAnUpDownMlp() {
    var upDown = withProjections(mlp(NVFP4, "0-15"), projs("mlp.up_proj", "mlp.down_proj"));
    assertClean(check(model(16, upDown, attn(NVFP4, "1-14"))));
    assertOnly(check(fused(model(16, upDown, attn(NVFP4, "1-14")))), RuleId.FLAGS_FUSED_MLP_NEEDS_GATE_UP,
        List.of(FUSED), NEEDS_GATE_UP);
  }

  @Test
  void fusedMlpWithoutAnyMlpClass() {
    assertOnly(check(fused(model(16, attn(NVFP4, "0-15")))), RuleId.FLAGS_FUSED_MLP_NEEDS_GATE_UP,
        List.of(FUSED), NEEDS_GATE_UP);
  }

  @Test
  void fusedMlpNeedsOneMlpClassWithBoth() {
    // One MLP class with gate and up suffices, even if another MLP class is up/down.
    var upDown = withProjections(Decl.withClassName(mlp(NVFP4, "8-15"), Decl.PKG + "LlamaUpDownMlp"),
        projs("mlp.up_proj", "mlp.down_proj"));
    assertClean(check(fused(model(16, mlp(NVFP4, "0-7"), upDown, attn(NVFP4, "1-14")))));
  }

  @Test
  void gateAndUpMayBeDeclaredByKind() {
    var declared = withProjections(mlp(NVFP4, "0-15"),
        List.of(proj("mlp.w1", GATE), proj("mlp.w3", UP),
            proj("mlp.w2", io.jquant.annotations.ProjectionKind.DOWN)));
    assertClean(check(fused(model(16, declared, attn(NVFP4, "1-14")))));
  }

  @Test
  void gateAndUpOfAnAttentionClassDoNotCount() {
    // An attention class that (wrongly) holds gate and up is not an MLP to fuse.
    var odd = withRole(withProjections(attn(NVFP4, "0-15"),
        projs("mlp.gate_proj", "mlp.up_proj", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
            "self_attn.o_proj")),
        Role.ATTENTION);
    List<Violation> v = check(fused(model(16, odd)));
    assertEquals(List.of(RuleId.ROLE_ATTENTION_PROJECTIONS, RuleId.ROLE_ATTENTION_PROJECTIONS,
        RuleId.FLAGS_FUSED_MLP_NEEDS_GATE_UP), rules(v));
  }

  @Test
  void mxfp4WithoutGateAndUpIsOneError() {
    // "Remove fusedMlp" settles both; the format's refusal is the one reported.
    var upDown = withProjections(mlp(MXFP4, "0-15"), projs("mlp.up_proj", "mlp.down_proj"));
    assertOnly(check(fused(model(16, upDown, attn(MXFP4, "1-14")))), RuleId.FLAGS_FUSED_MLP_FORMAT, FUSED);
  }

  @Test
  void fusedMlpIsNotJudgedWhileAClassesRoleIsUnknown() {
    // The MLP's projections have names that say nothing; its own error says so, and it may turn out
    // to have gate and up once they are declared.
    var unknown = withProjections(mlp(NVFP4, "0-15"), projs("mlp.fc1", "mlp.fc2"));
    List<Violation> v = check(fused(model(16, unknown, attn(NVFP4, "1-14"))));
    assertEquals(List.of(RuleId.PROJECTION_UNKNOWN_KIND, RuleId.PROJECTION_UNKNOWN_KIND), rules(v));

    var mixed = withProjections(mlp(NVFP4, "0-15"),
        projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "self_attn.q_proj"));
    assertEquals(List.of(RuleId.ROLE_MIXED), rules(check(fused(model(16, mixed, attn(NVFP4, "1-14"))))));

    var none = withProjections(mlp(NVFP4, "0-15"), List.of());
    assertEquals(List.of(RuleId.ROLE_NO_PROJECTIONS),
        rules(check(fused(model(16, none, attn(NVFP4, "1-14"))))));
  }

  @Test
  void fusedMlpIsNotJudgedWhileAListedClassLacksQuantized() {
    var v = check(fused(model(16, PartDeclaration.unquantized(Decl.MLP_CLASS), attn(NVFP4, "1-14"))));
    assertEquals(List.of(RuleId.MODEL_NOT_QUANTIZED), rules(v));
  }

  @Test
  void fusedMlpIsNotJudgedWithoutLayerClasses() {
    assertEquals(List.of(RuleId.MODEL_NO_LAYER_CLASSES), rules(check(fused(model(16)))));
  }

  @Test
  void aRepeatedListingDoesNotHideTheMlp() {
    // The repeated attention listing has no role of its own; the model is still judged.
    var v = check(fused(model(16, attn(NVFP4, "1-14"), attn(NVFP4, "1-14"))));
    assertEquals(List.of(RuleId.MODEL_DUPLICATE_LAYER_CLASS, RuleId.FLAGS_FUSED_MLP_NEEDS_GATE_UP), rules(v));
  }

  // ---- dtypes ----

  @ParameterizedTest
  @EnumSource(DType.class)
  void embeddingOutputDtype(DType dtype) {
    List<Violation> v = check(withDtypes(llama(NVFP4), dtype, null));
    if (Set.of(FLOAT32, BFLOAT16, FLOAT16, FLOAT8_E4M3FN, FLOAT8_E5M2).contains(dtype)) {
      assertClean(v);
    } else {
      assertOnly(v, RuleId.FLAGS_EMBEDDING_DTYPE, List.of(Place.model(Attribute.EMBEDDING_OUTPUT_DTYPE)),
          "the embedding output is an activation: FLOAT32, BFLOAT16, FLOAT16, FLOAT8_E4M3FN or FLOAT8_E5M2,"
              + " not "
              + dtype + ".");
    }
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void biasDtype(DType dtype) {
    List<Violation> v = check(withDtypes(llama(NVFP4), null, dtype));
    if (Set.of(FLOAT32, BFLOAT16, FLOAT16).contains(dtype)) {
      assertClean(v);
    } else {
      assertOnly(v, RuleId.FLAGS_BIAS_DTYPE, List.of(Place.model(Attribute.BIAS_DTYPE)),
          "biases are FLOAT32, BFLOAT16 or FLOAT16, not " + dtype + ".");
    }
  }

  @Test
  void undeclaredDtypesAreFine() {
    assertClean(check(withDtypes(llama(NVFP4), null, null)));
  }

  @Test
  void allFlagsAtOnceInOrder() {
    ModelDeclaration m = withFlags(withDtypes(llama(MXFP4), UINT8, UINT8), true, true);
    List<Violation> v = check(m);
    assertEquals(List.of(RuleId.FLAGS_EMBEDDING_DTYPE, RuleId.FLAGS_BIAS_DTYPE, RuleId.FLAGS_PRE_INTERLEAVED,
        RuleId.FLAGS_FUSED_MLP_FORMAT), rules(v));
    assertEquals(List.of(Place.model(Attribute.EMBEDDING_OUTPUT_DTYPE), Place.model(Attribute.BIAS_DTYPE),
        Place.model(Attribute.SCALES_PRE_INTERLEAVED), FUSED), Decl.places(v));
  }

  @Test
  void formatFlagsWaitForAQuantizedClass() {
    // No @Quantized class: no format, so the format's flag rules cannot be applied.
    ModelDeclaration m = withFlags(model(16, PartDeclaration.unquantized(Decl.MLP_CLASS)), false, true);
    assertEquals(List.of(RuleId.MODEL_NOT_QUANTIZED), rules(check(m)));
  }

  @Test
  void flagRulesDirectly() {
    assertClean(FlagRules.check(NVFP4, null, null, true, true));
    assertEquals(List.of(RuleId.FLAGS_PRE_INTERLEAVED),
        rules(FlagRules.check(MXFP4, BFLOAT16, FLOAT32, false, true)));
    assertEquals(List.of(RuleId.FLAGS_FUSED_MLP_FORMAT),
        rules(FlagRules.check(MXFP4, null, null, true, false)));
  }
}
