package io.jquant.annotations.rules;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E8M0FNU;
import static io.jquant.annotations.ProjectionKind.DOWN;
import static io.jquant.annotations.ProjectionKind.UP;
import static io.jquant.annotations.QuantFormat.FBGEMM_FP8;
import static io.jquant.annotations.QuantFormat.MXFP4;
import static io.jquant.annotations.QuantFormat.MXFP8;
import static io.jquant.annotations.QuantFormat.NVFP4;
import static io.jquant.annotations.ScaleGranularity.BLOCK;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;
import static io.jquant.annotations.rules.Decl.ATTN_CLASS;
import static io.jquant.annotations.rules.Decl.MLP_CLASS;
import static io.jquant.annotations.rules.Decl.PKG;
import static io.jquant.annotations.rules.Decl.assertClean;
import static io.jquant.annotations.rules.Decl.assertOnly;
import static io.jquant.annotations.rules.Decl.attn;
import static io.jquant.annotations.rules.Decl.llama;
import static io.jquant.annotations.rules.Decl.mlp;
import static io.jquant.annotations.rules.Decl.model;
import static io.jquant.annotations.rules.Decl.proj;
import static io.jquant.annotations.rules.Decl.projs;
import static io.jquant.annotations.rules.Decl.range;
import static io.jquant.annotations.rules.Decl.rules;
import static io.jquant.annotations.rules.Decl.set;
import static io.jquant.annotations.rules.Decl.withClassName;
import static io.jquant.annotations.rules.Decl.withInput;
import static io.jquant.annotations.rules.Decl.withLayers;
import static io.jquant.annotations.rules.Decl.withName;
import static io.jquant.annotations.rules.Decl.withNumLayers;
import static io.jquant.annotations.rules.Decl.withPrefix;
import static io.jquant.annotations.rules.Decl.withProjections;
import static io.jquant.annotations.rules.Decl.withRole;
import static io.jquant.annotations.rules.Decl.withWeight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.annotations.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelRulesTest {
  private static final String WIDE_MLP_CLASS = PKG + "LlamaWideMlp";

  private static ModelCheck check(ModelDeclaration model) {
    return ModelRules.check(model);
  }

  @Nested
  class Llama {
    @Test
    void designExample() {
      ModelCheck c = check(llama(NVFP4));
      assertClean(c);
      assertEquals(range(0, 16), c.mlpQuantizedLayers());
      assertEquals(range(1, 15), c.attnQuantizedLayers());
      assertEquals(List.of(Role.MLP, Role.ATTENTION), c.roles());
    }

    @Test
    void layersSplitAcrossTwoMlpClasses() {
      PartDeclaration narrow = mlp(NVFP4, "0-7");
      PartDeclaration wide = withClassName(mlp(NVFP4, "8-13", "15"), WIDE_MLP_CLASS);
      ModelCheck c = check(model(16, narrow, wide, attn(NVFP4, "1-14")));
      assertClean(c);
      assertEquals(NVFP4, c.format());
      assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15), c.mlpQuantizedLayers());
      assertEquals(range(1, 15), c.attnQuantizedLayers());
      assertEquals(List.of(Role.MLP, Role.MLP, Role.ATTENTION), c.roles());
      assertEquals(FormatProfile.of(NVFP4).defaultInput(), c.input());
      assertEquals(FormatProfile.of(NVFP4).defaultWeight(), c.weight());
    }

    @Test
    void attentionListedFirst() {
      ModelCheck c = check(model(16, attn(NVFP4, "1-14"), mlp(NVFP4, "0-15")));
      assertClean(c);
      assertEquals(List.of(Role.ATTENTION, Role.MLP), c.roles());
      assertEquals(range(0, 16), c.mlpQuantizedLayers());
    }

    @Test
    void omittedLayersMeanEveryLayer() {
      ModelCheck c = check(model(16, withLayers(mlp(NVFP4), null), attn(NVFP4, "1-14")));
      assertClean(c);
      assertEquals(range(0, 16), c.mlpQuantizedLayers());
    }

    @Test
    void onlyAttentionQuantized() {
      ModelCheck c = check(model(16, attn(NVFP4, "0-15")));
      assertClean(c);
      assertEquals(Set.of(), c.mlpQuantizedLayers());
      assertEquals(range(0, 16), c.attnQuantizedLayers());
    }

    @Test
    void mxfp4MlpOnlyAsMaxParsesGptOss() {
      ModelCheck c = check(model(24, withLayers(mlp(MXFP4), null)));
      assertClean(c);
      assertEquals(range(0, 24), c.mlpQuantizedLayers());
      assertEquals(Set.of(), c.attnQuantizedLayers());
    }

    @Test
    void declaredRoleWithUnconventionalNames() {
      PartDeclaration phi = withRole(withProjections(mlp(NVFP4, "0-15"),
          List.of(proj("mlp.fc1", UP), proj("mlp.fc2", DOWN))), Role.MLP);
      PartDeclaration qkv = withProjections(attn(NVFP4, "0-15"), List.of(proj("self_attn.qkv_proj"),
          proj("self_attn.dense", io.jquant.annotations.ProjectionKind.O)));
      ModelCheck c = check(model(16, phi, qkv));
      assertClean(c);
      assertEquals(List.of(Role.MLP, Role.ATTENTION), c.roles());
    }

    @Test
    void singleLayerModel() {
      ModelCheck c = check(model(1, mlp(NVFP4, "0"), attn(NVFP4, "0-0")));
      assertClean(c);
      assertEquals(set(0), c.mlpQuantizedLayers());
      assertEquals(set(0), c.attnQuantizedLayers());
    }
  }

  @Nested
  class Claims {
    @Test
    void twoMlpClassesOnOneLayer() {
      ModelCheck c = check(
          model(16, mlp(NVFP4, "0-7"), withClassName(mlp(NVFP4, "7", "8-15"), WIDE_MLP_CLASS),
              attn(NVFP4, "1-14")));
      assertOnly(c.violations(), RuleId.LAYERS_CLAIMED_TWICE, List.of(new Place(1, Attribute.LAYERS, 0)),
          "layer 7 already has an MLP class, LlamaMlp; each layer has one MLP class.");
      // The first class keeps the layer; the sets still say what was declared.
      assertEquals(range(0, 16), c.mlpQuantizedLayers());
    }

    @Test
    void eachOverlappingEntryIsReported() {
      ModelCheck c = check(model(16, mlp(NVFP4, "0-7"),
          withClassName(mlp(NVFP4, "0-3", "10", "4-5"), WIDE_MLP_CLASS)));
      assertEquals(List.of(RuleId.LAYERS_CLAIMED_TWICE, RuleId.LAYERS_CLAIMED_TWICE), rules(c.violations()));
      assertEquals(List.of(new Place(1, Attribute.LAYERS, 0), new Place(1, Attribute.LAYERS, 2)),
          Decl.places(c.violations()));
      assertEquals("layers 0-3 already have an MLP class, LlamaMlp; each layer has one MLP class.",
          c.violations().get(0).message());
      assertEquals("layers 4-5 already have an MLP class, LlamaMlp; each layer has one MLP class.",
          c.violations().get(1).message());
    }

    @Test
    void partlyTakenRangeNamesOnlyTheTakenLayers() {
      ModelCheck c = check(
          model(16, attn(NVFP4, "0-3", "9"), withClassName(attn(NVFP4, "2-12"), PKG + "Other")));
      assertOnly(c.violations(), RuleId.LAYERS_CLAIMED_TWICE, List.of(new Place(1, Attribute.LAYERS, 0)),
          "layers 2-3, 9 already have an attention class, LlamaAttention; each layer has one attention"
              + " class.");
    }

    @Test
    void omittedLayersClaimEveryLayerAndAreReportedOnTheWholeAttribute() {
      ModelCheck c = check(
          model(16, mlp(NVFP4, "3"), withClassName(withLayers(mlp(NVFP4), null), WIDE_MLP_CLASS)));
      assertOnly(c.violations(), RuleId.LAYERS_CLAIMED_TWICE, List.of(Place.of(1, Attribute.LAYERS)),
          "layer 3 already has an MLP class, LlamaMlp; each layer has one MLP class.");
    }

    @Test
    void threeClassesNameTheFirstOwner() {
      ModelCheck c = check(model(16, mlp(NVFP4, "0-3"), withClassName(mlp(NVFP4, "4-7"), WIDE_MLP_CLASS),
          withClassName(mlp(NVFP4, "2-5"), PKG + "Third")));
      assertOnly(c.violations(), RuleId.LAYERS_CLAIMED_TWICE, new Place(2, Attribute.LAYERS, 0));
      // Layers 2-5 are taken by two classes; the message names the first owner found.
      assertEquals("layers 2-5 already have an MLP class, LlamaMlp; each layer has one MLP class.",
          c.violations().get(0).message());
    }

    @Test
    void mlpAndAttentionShareLayers() {
      assertClean(check(model(16, mlp(NVFP4, "0-15"), attn(NVFP4, "0-15"))));
    }

    @Test
    void brokenEntriesClaimNothing() {
      ModelCheck c = check(
          model(16, mlp(NVFP4, "0-7"), withClassName(mlp(NVFP4, "20", "7-3"), WIDE_MLP_CLASS)));
      assertEquals(List.of(RuleId.LAYERS_OUT_OF_RANGE, RuleId.LAYERS_REVERSED), rules(c.violations()));
      assertEquals(range(0, 8), c.mlpQuantizedLayers());
    }

    @Test
    void aClassWithoutARoleClaimsNothing() {
      ModelCheck c = check(model(16, mlp(NVFP4, "0-15"),
          withClassName(withProjections(mlp(NVFP4, "0-15"), projs("mlp.fc1", "mlp.fc2")), WIDE_MLP_CLASS)));
      assertEquals(List.of(RuleId.PROJECTION_UNKNOWN_KIND, RuleId.PROJECTION_UNKNOWN_KIND),
          rules(c.violations()));
      assertEquals(Arrays.asList(Role.MLP, null), c.roles());
    }

    @Test
    void layersEmpty() {
      ModelCheck c = check(model(16, mlp(NVFP4, "0-15"), attn(NVFP4)));
      assertOnly(c.violations(), RuleId.LAYERS_EMPTY, Place.of(1, Attribute.LAYERS));
      assertEquals(Set.of(), c.attnQuantizedLayers());
    }
  }

  @Nested
  class LayerClasses {
    @Test
    void duplicateListing() {
      ModelCheck c = check(model(16, mlp(NVFP4, "0-15"), attn(NVFP4, "1-14"), mlp(NVFP4, "0-15")));
      assertOnly(c.violations(), RuleId.MODEL_DUPLICATE_LAYER_CLASS,
          List.of(Place.model(Attribute.LAYER_CLASSES, 2)),
          "LlamaMlp is listed twice in layerClasses; list it once.");
      // The repeat is neither checked again nor does it claim its layers a second time.
      assertEquals(Arrays.asList(Role.MLP, Role.ATTENTION, null), c.roles());
      assertEquals(range(0, 16), c.mlpQuantizedLayers());
    }

    @Test
    void duplicateListingOfAnUnquantizedClass() {
      ModelCheck c = check(model(16, PartDeclaration.unquantized(PKG + "Norm"), mlp(NVFP4, "0-15"),
          PartDeclaration.unquantized(PKG + "Norm")));
      assertEquals(List.of(RuleId.MODEL_NOT_QUANTIZED, RuleId.MODEL_DUPLICATE_LAYER_CLASS),
          rules(c.violations()));
      assertEquals(List.of(Place.model(Attribute.LAYER_CLASSES, 0), Place.model(Attribute.LAYER_CLASSES, 2)),
          Decl.places(c.violations()));
    }

    @Test
    void unquantizedClass() {
      ModelCheck c = check(model(16, PartDeclaration.unquantized(PKG + "LlamaNorm"), mlp(NVFP4, "0-15")));
      assertOnly(c.violations(), RuleId.MODEL_NOT_QUANTIZED, List.of(Place.model(Attribute.LAYER_CLASSES, 0)),
          "LlamaNorm is listed in layerClasses but has no @Quantized; annotate it with @Quantized(format ="
              + " ...) or "
              + "remove it from the list.");
      // The first @Quantized class is the model's reference.
      assertEquals(NVFP4, c.format());
      assertEquals(Arrays.asList(null, Role.MLP), c.roles());
    }

    @Test
    void onlyUnquantizedClasses() {
      ModelCheck c = check(model(16, PartDeclaration.unquantized(MLP_CLASS)));
      assertEquals(List.of(RuleId.MODEL_NOT_QUANTIZED), rules(c.violations()));
      assertNull(c.format());
      assertNull(c.input());
      assertNull(c.weight());
      assertEquals(Set.of(), c.mlpQuantizedLayers());
    }

    @Test
    void noLayerClasses() {
      ModelCheck c = check(model(16));
      assertOnly(c.violations(), RuleId.MODEL_NO_LAYER_CLASSES, List.of(Place.model(Attribute.LAYER_CLASSES)),
          "Llama lists no layer classes; name its @Quantized MLP and attention classes in layerClasses.");
      assertNull(c.format());
      assertEquals(List.of(), c.roles());
    }

    @Test
    void unquantizedFactory() {
      PartDeclaration p = PartDeclaration.unquantized(MLP_CLASS);
      assertEquals(false, p.quantized());
      assertNull(p.format());
      assertNull(p.layers());
      assertEquals(List.of(), p.projections());
    }
  }

  @Nested
  class Agreement {
    @Test
    void mixedFormatsIsOneErrorThoughTheScalesDifferToo() {
      ModelCheck c = check(model(16, mlp(NVFP4, "0-15"), attn(MXFP8, "1-14")));
      assertOnly(c.violations(), RuleId.MODEL_MIXED_FORMATS, List.of(Place.of(1, Attribute.FORMAT)),
          "LlamaAttention is MXFP8 but LlamaMlp is NVFP4; a model has one format.");
      assertEquals(NVFP4, c.format(), "the first class is the reference");
    }

    @Test
    void everyClassIsComparedWithTheFirst() {
      ModelCheck c = check(model(16, mlp(NVFP4, "0-7"), withClassName(mlp(MXFP4, "8-15"), WIDE_MLP_CLASS),
          attn(MXFP4, "1-14")));
      assertEquals(List.of(RuleId.MODEL_MIXED_FORMATS, RuleId.MODEL_MIXED_FORMATS), rules(c.violations()));
      assertEquals("LlamaWideMlp is MXFP4 but LlamaMlp is NVFP4; a model has one format.",
          c.violations().get(0).message());
      assertEquals(Place.of(2, Attribute.FORMAT), c.violations().get(1).place());
    }

    @Test
    void theReferenceIsTheFirstQuantizedClass() {
      ModelCheck c = check(model(16, PartDeclaration.unquantized(PKG + "Norm"), attn(MXFP4, "1-14"),
          mlp(NVFP4, "0-15")));
      assertEquals(List.of(RuleId.MODEL_NOT_QUANTIZED, RuleId.MODEL_MIXED_FORMATS), rules(c.violations()));
      assertEquals("LlamaMlp is NVFP4 but LlamaAttention is MXFP4; a model has one format.",
          c.violations().get(1).message());
      assertEquals(MXFP4, c.format());
    }

    @Test
    void mixedScalesNameEveryDifferingMember() {
      // FBGEMM allows both: per-token dynamic with row-wise weights, and tensor-wise static.
      PartDeclaration tensorWise = withWeight(withInput(attn(FBGEMM_FP8, "1-14"),
          new InputSpec(TENSOR, STATIC, FLOAT32, null, null)), new WeightSpec(TENSOR, BFLOAT16, null));
      ModelCheck c = check(model(16, mlp(FBGEMM_FP8, "0-15"), tensorWise));
      assertOnly(c.violations(), RuleId.MODEL_MIXED_SCALES,
          List.of(Place.of(1, Attribute.INPUT_GRANULARITY), Place.of(1, Attribute.INPUT_ORIGIN),
              Place.of(1, Attribute.INPUT_DTYPE), Place.of(1, Attribute.INPUT_UPPER_BOUND),
              Place.of(1, Attribute.WEIGHT_GRANULARITY), Place.of(1, Attribute.WEIGHT_DTYPE)),
          "LlamaAttention has input scales TENSOR STATIC FLOAT32 and weight scales TENSOR BFLOAT16, but"
              + " LlamaMlp has "
              + "COLWISE DYNAMIC FLOAT8_E4M3FN ub 1200.0 and ROWWISE FLOAT32; a model has one input and one"
              + " weight "
              + "scale spec, so declare the same @InputScale/@WeightScale on both.");
    }

    @Test
    void mixedUpperBoundsOnly() {
      PartDeclaration bounded = withInput(attn(FBGEMM_FP8, "1-14"),
          FormatProfile.of(FBGEMM_FP8).inputWith(null, null, null, null, 600.0));
      assertOnly(check(model(16, mlp(FBGEMM_FP8, "0-15"), bounded)).violations(), RuleId.MODEL_MIXED_SCALES,
          Place.of(1, Attribute.INPUT_UPPER_BOUND));
    }

    @Test
    void mixedInputDtypesOnly() {
      PartDeclaration e8m0 = withInput(attn(MXFP8, "1-14"),
          new InputSpec(BLOCK, DYNAMIC, FLOAT8_E8M0FNU, List.of(1, 32), null));
      ModelCheck c = check(model(16, mlp(MXFP8, "0-15"), e8m0));
      assertOnly(c.violations(), RuleId.MODEL_MIXED_SCALES, List.of(Place.of(1, Attribute.INPUT_DTYPE)),
          "LlamaAttention has input scales BLOCK DYNAMIC FLOAT8_E8M0FNU (1, 32) and weight scales BLOCK "
              + "FLOAT8_E8M0FNU (1, 32), but LlamaMlp has BLOCK DYNAMIC FLOAT32 (1, 32) and BLOCK"
              + " FLOAT8_E8M0FNU "
              + "(1, 32); a model has one input and one weight scale spec, so declare the same "
              + "@InputScale/@WeightScale on both.");
      assertEquals(FormatProfile.of(MXFP8).defaultInput(), c.input(),
          "the first class's specs are the model's");
    }

    @Test
    void aWrongSpecIsReportedOnceNotAlsoAsMixed() {
      // The attention's weight dtype breaks NVFP4's rule: that one error, not also "mixed scales".
      PartDeclaration wrong = withWeight(attn(NVFP4, "1-14"), new WeightSpec(BLOCK, FLOAT32, List.of(1, 16)));
      assertOnly(check(model(16, mlp(NVFP4, "0-15"), wrong)).violations(), RuleId.FORMAT_WEIGHT_DTYPE,
          Place.of(1, Attribute.WEIGHT_DTYPE));
    }

    @Test
    void aWrongReferenceDoesNotBlameTheCorrectClass() {
      // The MLP (the reference) is wrong; the correct attention class gets no "mixed scales" error.
      PartDeclaration wrong = withWeight(mlp(NVFP4, "0-15"), new WeightSpec(BLOCK, FLOAT32, List.of(1, 16)));
      assertOnly(check(model(16, wrong, attn(NVFP4, "1-14"))).violations(), RuleId.FORMAT_WEIGHT_DTYPE,
          Place.of(0, Attribute.WEIGHT_DTYPE));
    }

    @Test
    void twoClassesWithTheSameOverridesAgree() {
      InputSpec dynamic = new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(1, 16), null);
      assertClean(
          check(model(16, withInput(mlp(NVFP4, "0-15"), dynamic), withInput(attn(NVFP4, "1-14"), dynamic))));
    }
  }

  @Nested
  class ModelAttributes {
    @ParameterizedTest
    @ValueSource(strings = { "", " ", "\t" })
    void blankName(String name) {
      assertOnly(check(withName(llama(NVFP4), name)).violations(), RuleId.MODEL_NAME,
          List.of(Place.model(Attribute.MODEL_NAME)), "a model needs a name, e.g. name = \"llama-3.2-1b\".");
    }

    @Test
    void nullName() {
      assertOnly(check(withName(llama(NVFP4), null)).violations(), RuleId.MODEL_NAME,
          Place.model(Attribute.MODEL_NAME));
    }

    @Test
    void negativeLayerCount() {
      assertOnly(check(withNumLayers(llama(NVFP4), -1)).violations(), RuleId.MODEL_NUM_LAYERS,
          List.of(Place.model(Attribute.NUM_LAYERS)), "a model has at least one layer; numLayers is -1.");
    }

    @Test
    void noLayersAndOmittedLayerLists() {
      ModelCheck c = check(model(0, withLayers(mlp(NVFP4), null)));
      assertOnly(c.violations(), RuleId.MODEL_NUM_LAYERS, Place.model(Attribute.NUM_LAYERS));
      assertEquals(Set.of(), c.mlpQuantizedLayers());
    }

    @Test
    void noLayersStillReadsExplicitEntries() {
      ModelCheck c = check(model(0, mlp(NVFP4, "0-3"), attn(NVFP4, "70000")));
      assertEquals(List.of(RuleId.MODEL_NUM_LAYERS, RuleId.LAYERS_OUT_OF_RANGE), rules(c.violations()));
      assertEquals("layer entry \"70000\" reaches layer 70000, but jquant supports at most 4096 layers.",
          c.violations().get(1).message());
      assertEquals(range(0, 4), c.mlpQuantizedLayers());
    }

    @Test
    void absurdLayerCountIsAnErrorNotAnOutOfMemory() {
      for (int huge : new int[] { LayerRanges.MAX_LAYERS + 1, 100_000_000, Integer.MAX_VALUE }) {
        ModelCheck[] checked = new ModelCheck[1];
        Allocations.assertSmall(
            () -> checked[0] = check(model(huge, withLayers(mlp(NVFP4), null), attn(NVFP4, "0-2000000000"))),
            "checking numLayers " + huge);
        ModelCheck c = checked[0];
        assertEquals(List.of(RuleId.MODEL_NUM_LAYERS, RuleId.LAYERS_OUT_OF_RANGE), rules(c.violations()));
        assertEquals("jquant supports at most 4096 layers; numLayers is " + huge + ".",
            c.violations().get(0).message());
        assertEquals(Place.model(Attribute.NUM_LAYERS), c.violations().get(0).place());
      }
    }

    @Test
    void largestSupportedLayerCount() {
      ModelCheck c = check(model(LayerRanges.MAX_LAYERS, withLayers(mlp(NVFP4), null)));
      assertClean(c);
      assertEquals(LayerRanges.MAX_LAYERS, c.mlpQuantizedLayers().size());
    }

    @ParameterizedTest
    @ValueSource(strings = { "model.layers.{layer}", "{layer}", "transformer.h.{layer}",
        "model.language_model.layers.{layer}", "layers.{layer}.block", "blocks_{layer}" })
    void goodPrefixes(String prefix) {
      assertClean(check(withPrefix(llama(NVFP4), prefix)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "model.layers", "", "model.layers.{layer}.{layer}", "model layers.{layer}",
        "model.layers.{layer}.", "model..{layer}", ".{layer}", "model.layers.{ layer }",
        "model.layers.{Layer}",
        "model.layers.{0}", "model/layers/{layer}", "model.layers.{layer", "model.layers.layer}" })
    void badPrefixes(String prefix) {
      assertOnly(check(withPrefix(llama(NVFP4), prefix)).violations(), RuleId.MODEL_CHECKPOINT_PREFIX,
          List.of(Place.model(Attribute.CHECKPOINT_PREFIX)),
          "checkpoint prefix \"" + prefix + "\" is not a dotted name with one {layer} placeholder, like "
              + "\"model.layers.{layer}\".");
    }

    @Test
    void modelAttributesComeFirst() {
      ModelDeclaration m = withPrefix(withNumLayers(withName(model(16, mlp(NVFP4, "x")), ""), 0), "m");
      assertEquals(List.of(RuleId.MODEL_NAME, RuleId.MODEL_NUM_LAYERS, RuleId.MODEL_CHECKPOINT_PREFIX,
          RuleId.LAYERS_SYNTAX), rules(check(m).violations()));
    }
  }

  @Test
  void violationsOfOneClassComeInOrderLayersRoleSpecs() {
    PartDeclaration bad = withInput(withProjections(mlp(NVFP4, "x"), projs("mlp.gate_proj", "mlp.up_proj")),
        new InputSpec(BLOCK, STATIC, FLOAT8_E4M3FN, List.of(1, 16), null));
    ModelCheck c = check(model(16, bad));
    assertEquals(List.of(RuleId.LAYERS_SYNTAX, RuleId.ROLE_MLP_PROJECTIONS, RuleId.FORMAT_INPUT_DTYPE),
        rules(c.violations()));
    assertEquals(List.of(new Place(0, Attribute.LAYERS, 0), Place.of(0, Attribute.ROLE),
        Place.of(0, Attribute.INPUT_DTYPE)), Decl.places(c.violations()));
  }

  @Test
  void checkResultIsImmutable() {
    ModelCheck c = check(llama(NVFP4));
    assertThrows(UnsupportedOperationException.class, () -> c.violations().add(null));
    assertThrows(UnsupportedOperationException.class, () -> c.mlpQuantizedLayers().add(99));
    assertThrows(UnsupportedOperationException.class, () -> c.roles().add(Role.MLP));
  }

  @Test
  void declarationsCopyTheirLists() {
    List<PartDeclaration> parts = new java.util.ArrayList<>(List.of(mlp(NVFP4, "0-15")));
    ModelDeclaration m = new ModelDeclaration(Decl.MODEL_CLASS, "x", 16, "model.layers.{layer}", parts, null,
        null,
        false, false);
    parts.clear();
    assertEquals(1, m.layerClasses().size());
    assertEquals(ATTN_CLASS, attn(NVFP4).className());
  }
}
