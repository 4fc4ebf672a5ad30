package io.jquant.annotations.rules;

import static io.jquant.annotations.ProjectionKind.DOWN;
import static io.jquant.annotations.ProjectionKind.GATE;
import static io.jquant.annotations.ProjectionKind.INFER;
import static io.jquant.annotations.ProjectionKind.K;
import static io.jquant.annotations.ProjectionKind.O;
import static io.jquant.annotations.ProjectionKind.Q;
import static io.jquant.annotations.ProjectionKind.QKV;
import static io.jquant.annotations.ProjectionKind.UP;
import static io.jquant.annotations.ProjectionKind.V;
import static io.jquant.annotations.QuantFormat.NVFP4;
import static io.jquant.annotations.rules.Decl.ATTN_CLASS;
import static io.jquant.annotations.rules.Decl.MLP_CLASS;
import static io.jquant.annotations.rules.Decl.assertClean;
import static io.jquant.annotations.rules.Decl.assertOnly;
import static io.jquant.annotations.rules.Decl.proj;
import static io.jquant.annotations.rules.Decl.projs;
import static io.jquant.annotations.rules.Decl.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.Role;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoleRulesTest {
  private static final int PART = 4;
  private static final String MLP_SHAPE = "an MLP has gate, up and down projections (or up and down)";
  private static final String ATTN_SHAPE = "attention has q, k, v and o projections (or qkv and o)";

  private static RoleRules.Result check(String className, Role role,
      List<ProjectionDeclaration> projections) {
    PartDeclaration part = new PartDeclaration(className, true, NVFP4, null, role,
        FormatProfile.of(NVFP4).defaultInput(), FormatProfile.of(NVFP4).defaultWeight(), projections);
    return RoleRules.check(PART, part);
  }

  private static RoleRules.Result mlp(Role role, List<ProjectionDeclaration> projections) {
    return check(MLP_CLASS, role, projections);
  }

  private static RoleRules.Result attn(Role role, List<ProjectionDeclaration> projections) {
    return check(ATTN_CLASS, role, projections);
  }

  private static Place projection(int index) {
    return new Place(PART, Attribute.PROJECTION, index);
  }

  /** A projection's kind value, where a structure violation goes when the kind was written. */
  private static Place kind(int index) {
    return new Place(PART, Attribute.PROJECTION_KIND, index);
  }

  /** A structure violation's places: the kind if written, else the name. */
  private static List<Place> kindOrName(int index) {
    return List.of(kind(index), projection(index));
  }

  private static final Place ROLE = Place.of(PART, Attribute.ROLE);

  @Nested
  class Inference {
    @Test
    void llamaMlp() {
      RoleRules.Result r = mlp(Role.INFER, projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"));
      assertClean(r.violations());
      assertEquals(Role.MLP, r.role());
    }

    @Test
    void llamaAttention() {
      RoleRules.Result r = attn(Role.INFER,
          projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"));
      assertClean(r.violations());
      assertEquals(Role.ATTENTION, r.role());
    }

    @Test
    void fusedQkvAndO() {
      RoleRules.Result r = attn(Role.INFER, projs("self_attn.qkv_proj", "self_attn.o_proj"));
      assertClean(r.violations());
      assertEquals(Role.ATTENTION, r.role());
    }

    @Test
    void upAndDownMlp() {
      RoleRules.Result r = mlp(Role.INFER, projs("mlp.up_proj", "mlp.down_proj"));
      assertClean(r.violations());
      assertEquals(Role.MLP, r.role());
    }

    @Test
    void orderDoesNotMatter() {
      assertClean(mlp(Role.INFER, projs("mlp.down_proj", "mlp.gate_proj", "mlp.up_proj")).violations());
      assertClean(attn(Role.INFER,
          projs("self_attn.o_proj", "self_attn.v_proj", "self_attn.q_proj", "self_attn.k_proj"))
          .violations());
    }

    @Test
    void declaredKindsForUnconventionalNames() {
      // GPT-NeoX / BERT-style names, kinds written out.
      RoleRules.Result r = attn(Role.INFER,
          List.of(proj("attention.self.query", Q), proj("attention.self.key", K),
              proj("attention.self.value", V), proj("attention.output.dense", O)));
      assertClean(r.violations());
      assertEquals(Role.ATTENTION, r.role());
    }

    @Test
    void declaredKindWinsOverTheName() {
      // A checkpoint whose "up_proj" tensor is really the gate (kind given) still forms an MLP.
      RoleRules.Result r = mlp(Role.INFER,
          List.of(proj("mlp.up_proj", GATE), proj("mlp.gate_proj", UP), proj("mlp.down_proj")));
      assertClean(r.violations());
      assertEquals(Role.MLP, r.role());
    }

    @Test
    void declaredRoleMatchingTheProjections() {
      RoleRules.Result r = mlp(Role.MLP, projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"));
      assertClean(r.violations());
      assertEquals(Role.MLP, r.role());
    }

    @Test
    void nullRoleIsInfer() {
      RoleRules.Result r = mlp(null, projs("mlp.up_proj", "mlp.down_proj"));
      assertClean(r.violations());
      assertEquals(Role.MLP, r.role());
    }

    @Test
    void noProjectionsToInferFrom() {
      RoleRules.Result r = mlp(Role.INFER, List.of());
      assertOnly(r.violations(), RuleId.ROLE_NO_PROJECTIONS, List.of(ROLE),
          "LlamaMlp has no @Projection constructor parameters or fields, so its role cannot be inferred; "
              + "annotate its Linear projections with @Projection(\"mlp.gate_proj\") and the like.");
      assertNull(r.role());
    }

    @Test
    void mlpAndAttentionProjectionsTogether() {
      RoleRules.Result r = mlp(Role.INFER,
          projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "self_attn.q_proj"));
      assertOnly(r.violations(), RuleId.ROLE_MIXED, List.of(ROLE),
          "LlamaMlp has both MLP and attention projections; MAX quantizes an MLP or an attention block as a"
              + " whole, "
              + "so declare them in two layer classes.");
      assertNull(r.role());
    }
  }

  @Nested
  class Structure {
    @Test
    void attentionWithoutO() {
      RoleRules.Result r = attn(Role.INFER,
          projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"));
      assertOnly(r.violations(), RuleId.ROLE_ATTENTION_PROJECTIONS, List.of(ROLE),
          "LlamaAttention is attention without O projection; " + ATTN_SHAPE + ".");
      assertEquals(Role.ATTENTION, r.role(), "the role is still known");
    }

    @Test
    void attentionWithOnlyO() {
      assertOnly(attn(Role.INFER, projs("self_attn.o_proj")).violations(), RuleId.ROLE_ATTENTION_PROJECTIONS,
          List.of(ROLE), "LlamaAttention is attention without Q, K, V projections; " + ATTN_SHAPE + ".");
    }

    @Test
    void fusedQkvWithoutO() {
      assertOnly(attn(Role.INFER, projs("self_attn.qkv_proj")).violations(),
          RuleId.ROLE_ATTENTION_PROJECTIONS,
          List.of(ROLE), "LlamaAttention is attention without O projection; " + ATTN_SHAPE + ".");
    }

    @Test
    void mlpWithoutDown() {
      assertOnly(mlp(Role.INFER, projs("mlp.gate_proj", "mlp.up_proj")).violations(),
          RuleId.ROLE_MLP_PROJECTIONS,
          List.of(ROLE), "LlamaMlp is an MLP without DOWN projection; " + MLP_SHAPE + ".");
    }

    @Test
    void mlpWithGateAndDownOnly() {
      assertOnly(mlp(Role.INFER, projs("mlp.gate_proj", "mlp.down_proj")).violations(),
          RuleId.ROLE_MLP_PROJECTIONS,
          List.of(ROLE), "LlamaMlp is an MLP without UP projection; " + MLP_SHAPE + ".");
    }

    @Test
    void mlpWithOnlyAGate() {
      assertOnly(mlp(Role.INFER, projs("mlp.gate_proj")).violations(), RuleId.ROLE_MLP_PROJECTIONS,
          List.of(ROLE),
          "LlamaMlp is an MLP without UP, DOWN projections; " + MLP_SHAPE + ".");
    }

    @Test
    void declaredMlpWithoutProjections() {
      // A declared role needs no projections to be known; it then lacks them all.
      RoleRules.Result r = mlp(Role.MLP, List.of());
      assertOnly(r.violations(), RuleId.ROLE_MLP_PROJECTIONS, List.of(ROLE),
          "LlamaMlp is an MLP without UP, DOWN projections; " + MLP_SHAPE + ".");
      assertEquals(Role.MLP, r.role());
      assertOnly(attn(Role.ATTENTION, List.of()).violations(), RuleId.ROLE_ATTENTION_PROJECTIONS,
          List.of(ROLE),
          "LlamaAttention is attention without Q, K, V, O projections; " + ATTN_SHAPE + ".");
    }

    @Test
    void qInADeclaredMlp() {
      RoleRules.Result r = mlp(Role.MLP,
          projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "self_attn.q_proj"));
      assertOnly(r.violations(), RuleId.ROLE_MLP_PROJECTIONS, kindOrName(3),
          "\"self_attn.q_proj\" is an attention projection (Q) but LlamaMlp is an MLP; " + MLP_SHAPE + ".");
      assertEquals(Role.MLP, r.role());
    }

    @Test
    void qNamedLikeAnMlpProjection() {
      // "mlp.q_proj": the name's last segment decides, not its path.
      RoleRules.Result r = mlp(Role.MLP,
          projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "mlp.q_proj"));
      assertOnly(r.violations(), RuleId.ROLE_MLP_PROJECTIONS, kindOrName(3),
          "\"mlp.q_proj\" is an attention projection (Q) but LlamaMlp is an MLP; " + MLP_SHAPE + ".");
    }

    @Test
    void gateInADeclaredAttention() {
      RoleRules.Result r = attn(Role.ATTENTION,
          projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
              "self_attn.o_proj", "mlp.gate_proj"));
      assertOnly(r.violations(), RuleId.ROLE_ATTENTION_PROJECTIONS, kindOrName(4),
          "\"mlp.gate_proj\" is an MLP projection (GATE) but LlamaAttention is attention; " + ATTN_SHAPE
              + ".");
    }

    @Test
    void mlpProjectionsInAClassDeclaredAttention() {
      RoleRules.Result r = attn(Role.ATTENTION, projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"));
      assertEquals(List.of(RuleId.ROLE_ATTENTION_PROJECTIONS, RuleId.ROLE_ATTENTION_PROJECTIONS,
          RuleId.ROLE_ATTENTION_PROJECTIONS, RuleId.ROLE_ATTENTION_PROJECTIONS), rules(r.violations()));
      assertEquals(List.of(kind(0), kind(1), kind(2), ROLE), Decl.places(r.violations()));
      assertEquals("LlamaAttention is attention without Q, K, V, O projections; " + ATTN_SHAPE + ".",
          r.violations().get(3).message());
      assertEquals(Role.ATTENTION, r.role(), "the declared role stands");
    }

    @Test
    void twoProjectionsOfOneKind() {
      RoleRules.Result r = mlp(Role.INFER,
          List.of(proj("mlp.gate_proj"), proj("mlp.w1", GATE), proj("mlp.up_proj"), proj("mlp.down_proj")));
      assertOnly(r.violations(), RuleId.ROLE_MLP_PROJECTIONS, kindOrName(1),
          "LlamaMlp has two GATE projections (\"mlp.gate_proj\" and \"mlp.w1\"); " + MLP_SHAPE + ".");
    }

    @Test
    void fusedQkvAfterSeparateQkv() {
      RoleRules.Result r = attn(Role.INFER, projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
          "self_attn.qkv_proj", "self_attn.o_proj"));
      assertOnly(r.violations(), RuleId.ROLE_ATTENTION_PROJECTIONS, kindOrName(3),
          "LlamaAttention has a fused QKV projection and separate q/k/v projections; " + ATTN_SHAPE + ".");
    }

    @Test
    void separateQAfterFusedQkv() {
      RoleRules.Result r = attn(Role.INFER,
          projs("self_attn.qkv_proj", "self_attn.q_proj", "self_attn.o_proj"));
      assertOnly(r.violations(), RuleId.ROLE_ATTENTION_PROJECTIONS, kindOrName(1),
          "LlamaAttention has a fused QKV projection and separate q/k/v projections; " + ATTN_SHAPE + ".");
    }

    @Test
    void structureIsNotJudgedWhileAKindIsUnknown() {
      // q/k/v and an unknown: the unknown may be the o projection; only it is reported.
      RoleRules.Result r = attn(Role.INFER,
          projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.dense"));
      assertOnly(r.violations(), RuleId.PROJECTION_UNKNOWN_KIND, projection(3));
      assertEquals(Role.ATTENTION, r.role(), "the known kinds still tell the role");
    }
  }

  @Nested
  class Projections {
    @Test
    void unknownKind() {
      RoleRules.Result r = mlp(Role.INFER, projs("mlp.fc1", "mlp.fc2"));
      assertEquals(List.of(RuleId.PROJECTION_UNKNOWN_KIND, RuleId.PROJECTION_UNKNOWN_KIND),
          rules(r.violations()));
      assertEquals(List.of(projection(0), projection(1)), Decl.places(r.violations()));
      assertEquals("cannot tell which projection \"mlp.fc2\" is from its name; add a kind, e.g. "
          + "@Projection(value = \"mlp.fc2\", kind = ProjectionKind.Q). Names whose last segment is"
          + " gate_proj, up_proj, "
          + "down_proj, q_proj, k_proj, v_proj, o_proj or qkv_proj need none.",
          r.violations().get(1).message());
      assertNull(r.role(), "nothing tells the role");
    }

    @Test
    void unknownKindInADeclaredRole() {
      RoleRules.Result r = mlp(Role.MLP, projs("mlp.fc1", "mlp.fc2"));
      assertEquals(List.of(RuleId.PROJECTION_UNKNOWN_KIND, RuleId.PROJECTION_UNKNOWN_KIND),
          rules(r.violations()));
      assertEquals(Role.MLP, r.role());
    }

    @Test
    void explicitInferIsNoKind() {
      assertOnly(
          mlp(Role.MLP, List.of(proj("mlp.gate_proj"), proj("mlp.up_proj"), proj("mlp.w2", INFER)))
              .violations(),
          RuleId.PROJECTION_UNKNOWN_KIND, projection(2));
    }

    @Test
    void caseMatters() {
      assertOnly(mlp(Role.INFER, projs("mlp.GATE_PROJ", "mlp.up_proj", "mlp.down_proj")).violations(),
          RuleId.PROJECTION_UNKNOWN_KIND, projection(0));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "mlp/gate_proj", "mlp..gate_proj", ".gate_proj", "mlp.gate_proj.",
        "mlp.gate proj", "mlp.gate_proj ", "mlp.gate-proj", "mlp.{layer}.gate_proj", "mlp.gäte_proj" })
    void malformedNameWithADeclaredKind(String name) {
      RoleRules.Result r = mlp(Role.INFER,
          List.of(proj(name, GATE), proj("mlp.up_proj"), proj("mlp.down_proj")));
      assertOnly(r.violations(), RuleId.PROJECTION_NAME, List.of(projection(0)),
          "projection name \"" + name + "\" is not a dotted checkpoint path like \"mlp.gate_proj\".");
      assertEquals(Role.MLP, r.role());
    }

    @ParameterizedTest
    @ValueSource(strings = { "mlp/gate_proj", "mlp.gate_proj ", "mlp.gate-proj", "mlp.gate_proj." })
    void malformedNameWithoutAKindIsOneError(String name) {
      // "add a kind" would be the wrong advice; the name is what to fix.
      RoleRules.Result r = mlp(Role.INFER, List.of(proj(name), proj("mlp.up_proj"), proj("mlp.down_proj")));
      assertOnly(r.violations(), RuleId.PROJECTION_NAME, projection(0));
      assertEquals(Role.MLP, r.role());
    }

    @Test
    void wellFormedNames() {
      for (String name : List.of("gate_proj", "mlp.gate_proj", "model.mlp.experts.0.gate_proj",
          "MLP.Gate.gate_proj",
          "h.0.gate_proj")) {
        assertClean(
            mlp(Role.INFER, List.of(proj(name), proj("mlp.up_proj"), proj("mlp.down_proj"))).violations());
      }
    }

    @Test
    void duplicateNameIsOneError() {
      RoleRules.Result r = mlp(Role.INFER,
          projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "mlp.up_proj"));
      assertOnly(r.violations(), RuleId.PROJECTION_DUPLICATE, List.of(projection(3)),
          "projection \"mlp.up_proj\" is declared twice in LlamaMlp; each projection reads its own tensors.");
      assertEquals(Role.MLP, r.role());
    }

    @Test
    void duplicateNameWithDifferentKinds() {
      // Renaming one of them is the fix; the MLP does not also "lack" the repeat's kind.
      RoleRules.Result r = mlp(Role.INFER,
          List.of(proj("mlp.w", GATE), proj("mlp.w", UP), proj("mlp.down_proj")));
      assertOnly(r.violations(), RuleId.PROJECTION_DUPLICATE, List.of(projection(1)),
          "projection \"mlp.w\" is declared twice in LlamaMlp; each projection reads its own tensors.");
    }

    @Test
    void repeatedNameOfTheWrongRoleIsOneError() {
      RoleRules.Result r = mlp(Role.MLP,
          projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "self_attn.q_proj", "self_attn.q_proj"));
      assertEquals(List.of(RuleId.PROJECTION_DUPLICATE, RuleId.ROLE_MLP_PROJECTIONS), rules(r.violations()));
      assertEquals(List.of(projection(4), kind(3)), Decl.places(r.violations()));
    }

    @Test
    void everyRepeatIsReported() {
      RoleRules.Result r = mlp(Role.INFER,
          projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "mlp.down_proj", "mlp.down_proj"));
      assertEquals(List.of(RuleId.PROJECTION_DUPLICATE, RuleId.PROJECTION_DUPLICATE), rules(r.violations()));
      assertEquals(List.of(projection(3), projection(4)), Decl.places(r.violations()));
    }

    @Test
    void projectionDeclarationNeedsNameAndKind() {
      assertThrows(NullPointerException.class, () -> new ProjectionDeclaration(null, GATE));
      assertThrows(NullPointerException.class, () -> new ProjectionDeclaration("mlp.gate_proj", null));
      assertEquals(GATE, proj("mlp.gate_proj").resolvedKind());
      assertEquals(DOWN, proj("mlp.gate_proj", DOWN).resolvedKind());
      assertEquals(INFER, proj("mlp.fc1").resolvedKind());
    }
  }

  @Test
  void inferFromTheLastSegment() {
    assertEquals(GATE, ProjectionKind.inferFrom("mlp.gate_proj"));
    assertEquals(GATE, ProjectionKind.inferFrom("gate_proj"));
    assertEquals(UP, ProjectionKind.inferFrom("model.layers.0.mlp.up_proj"));
    assertEquals(QKV, ProjectionKind.inferFrom("self_attn.qkv_proj"));
    assertEquals(O, ProjectionKind.inferFrom("self_attn.o_proj"));
    assertEquals(INFER, ProjectionKind.inferFrom("mlp.gate_proj.weight"));
    assertEquals(INFER, ProjectionKind.inferFrom("mlp.gate"));
    assertEquals(INFER, ProjectionKind.inferFrom(""));
    assertEquals(INFER, ProjectionKind.inferFrom("mlp."));
    assertEquals(INFER, ProjectionKind.inferFrom("_proj"));
    assertEquals("", INFER.conventionalName());
    assertEquals("qkv_proj", QKV.conventionalName());
    for (ProjectionKind kind : ProjectionKind.values()) {
      if (kind != INFER) {
        assertEquals(kind, ProjectionKind.inferFrom("x." + kind.conventionalName()));
        assertTrue(kind.role() == Role.MLP || kind.role() == Role.ATTENTION);
      }
    }
    assertEquals(Role.INFER, INFER.role());
  }

  @Test
  void gateAndUp() {
    PartDeclaration withBoth = Decl.mlp(NVFP4, "0");
    assertTrue(RoleRules.hasGateAndUp(withBoth));
    assertFalse(
        RoleRules.hasGateAndUp(Decl.withProjections(withBoth, projs("mlp.up_proj", "mlp.down_proj"))));
    assertFalse(
        RoleRules.hasGateAndUp(Decl.withProjections(withBoth, projs("mlp.gate_proj", "mlp.down_proj"))));
    assertTrue(
        RoleRules.hasGateAndUp(Decl.withProjections(withBoth, List.of(proj("a", GATE), proj("b", UP)))));
  }
}
