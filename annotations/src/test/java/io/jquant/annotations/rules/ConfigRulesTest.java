package io.jquant.annotations.rules;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.INT8;
import static io.jquant.annotations.QuantFormat.COMPRESSED_TENSORS_FP8;
import static io.jquant.annotations.QuantFormat.FBGEMM_FP8;
import static io.jquant.annotations.QuantFormat.MXFP4;
import static io.jquant.annotations.QuantFormat.NVFP4;
import static io.jquant.annotations.ScaleGranularity.BLOCK;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;
import static io.jquant.annotations.rules.Decl.assertClean;
import static io.jquant.annotations.rules.Decl.assertOnly;
import static io.jquant.annotations.rules.Decl.config;
import static io.jquant.annotations.rules.Decl.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.annotations.QuantFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The run-time check of a {@code QuantConfig}: the same spec and flag rules, at model-level places. */
class ConfigRulesTest {
  private static ConfigDeclaration with(ConfigDeclaration c, Set<Integer> mlp, Set<Integer> attn) {
    return new ConfigDeclaration(c.format(), c.input(), c.weight(), mlp, attn, c.embeddingOutputDtype(),
        c.biasDtype(), c.fusedMlp(), c.scalesPreInterleaved());
  }

  private static ConfigDeclaration withFlags(ConfigDeclaration c, boolean fused, boolean preInterleaved) {
    return new ConfigDeclaration(c.format(), c.input(), c.weight(), c.mlpQuantizedLayers(),
        c.attnQuantizedLayers(),
        c.embeddingOutputDtype(), c.biasDtype(), fused, preInterleaved);
  }

  @Test
  void specViolationsAreAtModelLevel() {
    List<Violation> v = ConfigRules.check(config(COMPRESSED_TENSORS_FP8,
        new InputSpec(COLWISE, STATIC, FLOAT32, null, null), new WeightSpec(ROWWISE, FLOAT32, null)));
    assertOnly(v, RuleId.FORMAT_INPUT_ORIGIN, List.of(Place.model(Attribute.INPUT_ORIGIN)),
        "COMPRESSED_TENSORS_FP8 per-token (COLWISE) input scales are DYNAMIC, not STATIC; "
            + "a static input scale is TENSOR.");
  }

  @Test
  void kMismatchAtRunTime() {
    List<Violation> v = ConfigRules.check(config(NVFP4,
        new InputSpec(BLOCK, STATIC, FLOAT32, List.of(1, 32), null),
        FormatProfile.of(NVFP4).defaultWeight()));
    assertOnly(v, RuleId.SCALES_K_MISMATCH,
        List.of(Place.model(Attribute.INPUT_BLOCK), Place.model(Attribute.INPUT_GRANULARITY),
            Place.model(Attribute.WEIGHT_BLOCK), Place.model(Attribute.WEIGHT_GRANULARITY)),
        "input and weight scales must agree on K: the input scales give K granularity 32 (BLOCK (1, 32)), "
            + "the weight scales 16 (BLOCK (1, 16)).");
  }

  @Test
  void fbgemmPairingAtRunTime() {
    List<Violation> v = ConfigRules.check(config(FBGEMM_FP8,
        new InputSpec(COLWISE, DYNAMIC, FLOAT32, null, 1200.0), new WeightSpec(TENSOR, FLOAT32, null)));
    assertOnly(v, RuleId.FORMAT_SCALE_PAIRING, Place.model(Attribute.INPUT_GRANULARITY));
  }

  @Test
  void sameWordsAsTheDeclarationCheck() {
    // One rule set, two users: a run-time config and an annotated model get the same message.
    InputSpec wrong = new InputSpec(BLOCK, STATIC, BFLOAT16, List.of(1, 16), null);
    Violation atRunTime = ConfigRules.check(config(NVFP4, wrong, FormatProfile.of(NVFP4).defaultWeight()))
        .get(0);
    Violation declared = ModelRules.check(Decl.model(16, Decl.withInput(Decl.mlp(NVFP4, "0-15"), wrong)))
        .violations().get(0);
    assertEquals(declared.rule(), atRunTime.rule());
    assertEquals(declared.message(), atRunTime.message());
    assertEquals(Place.of(0, Attribute.INPUT_DTYPE), declared.place());
    assertEquals(Place.model(Attribute.INPUT_DTYPE), atRunTime.place());
  }

  @Test
  void flags() {
    ConfigDeclaration mx = withFlags(config(MXFP4), true, true);
    List<Violation> v = ConfigRules.check(mx);
    assertEquals(List.of(RuleId.FLAGS_PRE_INTERLEAVED, RuleId.FLAGS_FUSED_MLP_FORMAT), rules(v));
    assertEquals(List.of(Place.model(Attribute.SCALES_PRE_INTERLEAVED), Place.model(Attribute.FUSED_MLP)),
        Decl.places(v));
    // Without layer classes there is nothing to say about gate and up: a fused NVFP4 config is fine.
    assertClean(ConfigRules.check(withFlags(config(NVFP4), true, true)));
  }

  @Test
  void dtypes() {
    ConfigDeclaration c = config(NVFP4);
    ConfigDeclaration bad = new ConfigDeclaration(c.format(), c.input(), c.weight(), c.mlpQuantizedLayers(),
        c.attnQuantizedLayers(), INT8, INT8, false, false);
    assertEquals(List.of(RuleId.FLAGS_EMBEDDING_DTYPE, RuleId.FLAGS_BIAS_DTYPE),
        rules(ConfigRules.check(bad)));
    ConfigDeclaration good = new ConfigDeclaration(c.format(), c.input(), c.weight(), c.mlpQuantizedLayers(),
        c.attnQuantizedLayers(), BFLOAT16, BFLOAT16, false, false);
    assertClean(ConfigRules.check(good));
  }

  @Test
  void negativeLayersInEachSet() {
    List<Violation> v = ConfigRules.check(with(config(NVFP4), Set.of(0, -1), Set.of(-7, -2, 3)));
    assertEquals(List.of(RuleId.CONFIG_LAYER_NEGATIVE, RuleId.CONFIG_LAYER_NEGATIVE), rules(v));
    assertEquals(List.of(Place.model(Attribute.MLP_LAYERS), Place.model(Attribute.ATTN_LAYERS)),
        Decl.places(v));
    assertEquals("mlpQuantizedLayers holds negative layer indices [-1]; layers are numbered from 0.",
        v.get(0).message());
    assertEquals("attnQuantizedLayers holds negative layer indices [-7, -2]; layers are numbered from 0.",
        v.get(1).message());
  }

  @Test
  void emptyAndLargeLayerSetsAreFine() {
    assertClean(ConfigRules.check(with(config(NVFP4), Set.of(), Set.of())));
    assertClean(ConfigRules.check(with(config(NVFP4), Set.of(0, 1_000_000), Set.of(Integer.MAX_VALUE))));
  }

  @Test
  void allAtOnceInOrderSpecsFlagsLayers() {
    ConfigDeclaration c = new ConfigDeclaration(MXFP4,
        FormatProfile.of(MXFP4).inputWith(null, STATIC, null, null,
            null),
        FormatProfile.of(MXFP4).defaultWeight(), Set.of(-1), Set.of(-1), INT8, null, false, true);
    assertEquals(
        List.of(RuleId.FORMAT_INPUT_ORIGIN, RuleId.FLAGS_EMBEDDING_DTYPE, RuleId.FLAGS_PRE_INTERLEAVED,
            RuleId.CONFIG_LAYER_NEGATIVE, RuleId.CONFIG_LAYER_NEGATIVE),
        rules(ConfigRules.check(c)));
  }

  @Test
  void everyFormatsDefaultsWithEveryFlagCombination() {
    for (QuantFormat format : QuantFormat.values()) {
      for (boolean fused : new boolean[] { false, true }) {
        for (boolean pre : new boolean[] { false, true }) {
          List<Violation> v = ConfigRules.check(withFlags(config(format), fused, pre));
          int expected = (fused && format == MXFP4 ? 1 : 0) + (pre && format != NVFP4 ? 1 : 0);
          assertEquals(expected, v.size(), format + " fused=" + fused + " pre=" + pre + ": " + v);
        }
      }
    }
  }

  @Test
  void declarationRequiresFormatAndSpecsAndCopiesLayerSets() {
    FormatProfile p = FormatProfile.of(NVFP4);
    assertThrows(NullPointerException.class,
        () -> new ConfigDeclaration(null, p.defaultInput(), p.defaultWeight(), Set.of(), Set.of(), null, null,
            false,
            false));
    assertThrows(NullPointerException.class,
        () -> new ConfigDeclaration(NVFP4, null, p.defaultWeight(), Set.of(), Set.of(), null, null, false,
            false));
    assertThrows(NullPointerException.class,
        () -> new ConfigDeclaration(NVFP4, p.defaultInput(), null, Set.of(), Set.of(), null, null, false,
            false));
    Set<Integer> layers = new java.util.HashSet<>(Set.of(1, 2));
    ConfigDeclaration c = new ConfigDeclaration(NVFP4, p.defaultInput(), p.defaultWeight(), layers, layers,
        null,
        null, false, false);
    layers.add(-1);
    assertClean(ConfigRules.check(c));
  }
}
