package io.jquant.config;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E8M0FNU;
import static io.jquant.annotations.DType.INT8;
import static io.jquant.annotations.ScaleGranularity.BLOCK;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.QuantFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class QuantConfigBuilderTest {

  private static String rejection(Executable build) {
    return assertThrows(IllegalArgumentException.class, build).getMessage();
  }

  @Test
  void defaultsAreWhatMaxParsersBuild() {
    // Each format's pre-filled specs equal MAX's parser output (MaxConfigs); only layers and dtypes differ.
    for (QuantFormat format : QuantFormat.values()) {
      QuantConfig defaults = QuantConfig.builder(format).build();
      QuantConfig max = MaxConfigs.forFormat(format);
      if (format == QuantFormat.COMPRESSED_TENSORS_FP8) {
        // MAX takes the tensor's dtype.
        assertEquals(new WeightScaleSpec(ROWWISE, FLOAT32), defaults.weightScale());
      } else {
        assertEquals(max.weightScale(), defaults.weightScale(), format.name());
      }
      assertEquals(max.inputScale(), defaults.inputScale(), format.name());
    }
  }

  @Test
  void nvfp4DefaultsSpelledOut() {
    QuantConfig c = QuantConfig.builder(QuantFormat.NVFP4).build();
    assertEquals(new InputScaleSpec(BLOCK, STATIC, FLOAT32, null,
        new BlockSize(1, 16)), c.inputScale());
    assertEquals(WeightScaleSpec.block(FLOAT8_E4M3FN, 1, 16), c.weightScale());
    assertEquals(Set.of(), c.mlpQuantizedLayers());
    assertEquals(Set.of(), c.attnQuantizedLayers());
    assertNull(c.embeddingOutputDtype());
    assertNull(c.sharedExpertsWeightDtype());
    assertNull(c.biasDtype());
    assertFalse(c.canUseFusedMlp() || c.canUseFusedSwiglu() || c.scalesPreInterleaved()
        || c.blockScaledPreshuffledB());
  }

  @Test
  void fbgemmDefaultCarriesFbgemmsUpperBound() {
    InputScaleSpec in = QuantConfig.builder(QuantFormat.FBGEMM_FP8).build().inputScale();
    assertEquals(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, 1200.0, null), in);
  }

  @Test
  void layerSetsAreSortedCopiesAndUnmodifiable() {
    QuantConfig c = QuantConfig.builder(QuantFormat.NVFP4).mlpQuantizedLayers(5, 1, 3, 1).attnQuantizedLayers(
        List.of(9, 0)).build();
    assertEquals(List.of(1, 3, 5), List.copyOf(c.mlpQuantizedLayers()));
    assertEquals(List.of(0, 9), List.copyOf(c.attnQuantizedLayers()));
    assertThrows(UnsupportedOperationException.class, () -> c.mlpQuantizedLayers().add(7));
  }

  @Test
  void allLayersQuantizesEveryMlpAndAttention() {
    QuantConfig c = QuantConfig.builder(QuantFormat.NVFP4).allLayers(3).build();
    assertEquals(Set.of(0, 1, 2), c.mlpQuantizedLayers());
    assertEquals(Set.of(0, 1, 2), c.attnQuantizedLayers());
    // The compiler's words for the same rule (ModelRules), so a count reads the same everywhere.
    assertEquals("[jquant:Model.NumLayers] a model has at least one layer; numLayers is 0.",
        rejection(() -> QuantConfig.builder(QuantFormat.NVFP4).allLayers(0)));
    assertEquals("[jquant:Model.NumLayers] jquant supports at most 4096 layers; numLayers is 4097.",
        rejection(() -> QuantConfig.builder(QuantFormat.NVFP4).allLayers(4097)));
  }

  @Test
  void nullLayerIsRefused() {
    List<Integer> withNull = Arrays.asList(1, null);
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> QuantConfig.builder(QuantFormat.NVFP4).mlpQuantizedLayers(withNull));
    assertEquals("mlpQuantizedLayers holds a null layer index", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void toBuilderRebuildsAnEqualConfig(QuantFormat format) {
    QuantConfig c = MaxConfigs.forFormat(format);
    QuantConfig copy = c.toBuilder().build();
    assertEquals(c, copy);
    assertEquals(c.hashCode(), copy.hashCode());
    assertEquals(c.toString(), copy.toString());
  }

  @Test
  void equalityCoversEveryField() {
    QuantConfig base = MaxConfigs.nvfp4();
    List<QuantConfig> variants = List.of(
        base.toBuilder().inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 16)).build(),
        base.toBuilder().weightScale(WeightScaleSpec.block(FLOAT8_E4M3FN, 1, 16)).mlpQuantizedLayers(0)
            .build(),
        base.toBuilder().attnQuantizedLayers(1).build(),
        base.toBuilder().embeddingOutputDtype(FLOAT16).build(),
        base.toBuilder().sharedExpertsWeightDtype(BFLOAT16).build(),
        base.toBuilder().biasDtype(BFLOAT16).build(),
        base.toBuilder().canUseFusedMlp(true).build(),
        base.toBuilder().canUseFusedSwiglu(true).build(),
        base.toBuilder().scalesPreInterleaved(true).build(),
        QuantConfig.builder(QuantFormat.MXFP8).allLayers(16).embeddingOutputDtype(BFLOAT16).build());
    for (QuantConfig v : variants) {
      assertNotEquals(base, v, v.toString());
    }
    // Preshuffled B exists only for MXFP4, so that field is compared on an MXFP4 config.
    QuantConfig mxfp4 = MaxConfigs.forFormat(QuantFormat.MXFP4);
    assertNotEquals(mxfp4, mxfp4.toBuilder().blockScaledPreshuffledB(true).build());
  }

  @Test
  void moeFieldsFollowTheirFormats() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Flags.FusedSwigluFormat] the fused MoE gate/up + SwiGLU kernel "
            + "exists for MXFP8, NVFP4 or MXFP4; this config is INT8_W8A8. Leave canUseFusedSwiglu false.",
        rejection(() -> QuantConfig.builder(QuantFormat.INT8_W8A8).canUseFusedSwiglu(true).build()));
    assertEquals("invalid QuantConfig:\n[jquant:Flags.PreshuffledBFormat] preshuffled B is a layout of MXFP4 "
        + "expert weights; this config is NVFP4. Leave blockScaledPreshuffledB false.",
        rejection(() -> MaxConfigs.nvfp4().toBuilder().blockScaledPreshuffledB(true).build()));
    assertTrue(
        rejection(() -> MaxConfigs.nvfp4().toBuilder().sharedExpertsWeightDtype(FLOAT8_E8M0FNU).build())
            .startsWith(
                "invalid QuantConfig:\n[jquant:Flags.SharedExpertsDType] shared experts store weights"));
  }

  @Test
  void toStringNamesTheFields() {
    assertEquals("QuantConfig[format=NVFP4, inputScale=InputScaleSpec[granularity=BLOCK, origin=STATIC, "
        + "dtype=FLOAT32, activationScaleUb=null, blockSize=(1, 16)], weightScale=WeightScaleSpec["
        + "granularity=BLOCK, dtype=FLOAT8_E4M3FN, blockSize=(1, 16)], mlpQuantizedLayers=[0, 1], "
        + "attnQuantizedLayers=[1], embeddingOutputDtype=BFLOAT16, sharedExpertsWeightDtype=null,"
        + " biasDtype=null, "
        + "canUseFusedMlp=false, canUseFusedSwiglu=false, scalesPreInterleaved=true,"
        + " blockScaledPreshuffledB=false]",
        QuantConfig.builder(QuantFormat.NVFP4).mlpQuantizedLayers(1, 0).attnQuantizedLayers(1)
            .embeddingOutputDtype(BFLOAT16).scalesPreInterleaved(true).build().toString());
  }

  // ---- rejections: the rule set's ids and words ----

  @Test
  void nvfp4RowwiseWeightsAreRefused() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Format.WeightGranularity] NVFP4 weight scales are BLOCK, not ROWWISE.",
        rejection(() -> QuantConfig.builder(QuantFormat.NVFP4)
            .weightScale(new WeightScaleSpec(ROWWISE, FLOAT8_E4M3FN)).build()));
  }

  @Test
  void everyViolationIsListedOnItsOwnLine() {
    assertEquals("invalid QuantConfig:\n"
        + "[jquant:Format.WeightGranularity] NVFP4 weight scales are BLOCK, not ROWWISE.\n"
        + "[jquant:Flags.BiasDType] biases are FLOAT32, BFLOAT16 or FLOAT16, not INT8.\n"
        + "[jquant:Config.LayerNegative] attnQuantizedLayers holds negative layer indices [-3, -1]; "
        + "layers are numbered from 0.",
        rejection(() -> QuantConfig.builder(QuantFormat.NVFP4)
            .weightScale(new WeightScaleSpec(ROWWISE, FLOAT8_E4M3FN))
            .biasDtype(INT8)
            .attnQuantizedLayers(-1, 2, -3)
            .build()));
  }

  @Test
  void disagreeingKIsRefused() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Scales.KMismatch] input and weight scales must agree on K: the input "
            + "scales give K granularity 16 (BLOCK (1, 16)), the weight scales 32 (BLOCK (1, 32)).",
        rejection(() -> QuantConfig.builder(QuantFormat.MXFP8)
            .inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 16)).build()));
  }

  @Test
  void wrongWeightBlockIsRefused() {
    assertEquals("invalid QuantConfig:\n[jquant:Format.WeightBlock] BLOCKSCALED_FP8 weight scale blocks are "
        + "(128, 128) elements, not (1, 128).",
        rejection(() -> QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8)
            .weightScale(WeightScaleSpec.block(FLOAT32, 1, 128)).build()));
  }

  @Test
  void rowwiseInputsAreRefused() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Scales.RowwiseInput] ROWWISE input scales are not supported (MAX "
            + "raises on them): one scale per token is COLWISE; COMPRESSED_TENSORS_FP8 takes TENSOR or"
            + " COLWISE.",
        rejection(() -> QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
            .inputScale(new InputScaleSpec(ROWWISE, DYNAMIC, FLOAT32)).build()));
  }

  @Test
  void fbgemmPairsRowwiseWeightsWithPerTokenInputs() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Format.ScalePairing] FBGEMM_FP8 with ROWWISE weight scales takes "
            + "COLWISE DYNAMIC input scales (per token), not TENSOR STATIC; tensor-wise FP8 is TENSOR"
            + " weights with "
            + "TENSOR inputs.",
        rejection(() -> QuantConfig.builder(QuantFormat.FBGEMM_FP8)
            .inputScale(new InputScaleSpec(TENSOR, STATIC, FLOAT32)).build()));
  }

  @Test
  void upperBoundOnStaticInputsIsRefused() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Scales.UpperBoundStatic] an activation upper bound (1200.0) only "
            + "bounds DYNAMIC input scales; these are STATIC. Remove it or make the input scales DYNAMIC.",
        rejection(() -> QuantConfig.builder(QuantFormat.FBGEMM_FP8)
            .inputScale(new InputScaleSpec(TENSOR, STATIC, FLOAT32, 1200.0, null))
            .weightScale(new WeightScaleSpec(TENSOR, FLOAT32)).build()));
  }

  @Test
  void blockSizeOnRowwiseWeightsIsRefused() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Scales.BlockUnexpected] a block size is only for BLOCK scales; these "
            + "weight scales are ROWWISE. Remove the block size or make them BLOCK.",
        rejection(() -> QuantConfig.builder(QuantFormat.INT8_W8A8)
            .weightScale(new WeightScaleSpec(ROWWISE, FLOAT32, new BlockSize(1, 32))).build()));
  }

  @Test
  void mxfp4NeverFusesTheMlp() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Flags.FusedMlpFormat] MXFP4 gate and up projections cannot run as "
            + "one fused matmul (MAX never fuses them). Remove fusedMlp.",
        rejection(() -> QuantConfig.builder(QuantFormat.MXFP4).canUseFusedMlp(true).build()));
  }

  @Test
  void preInterleavedScalesAreNvfp4Only() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Flags.PreInterleaved] pre-interleaved (128x4 tiled) weight scales "
            + "are an NVFP4 checkpoint layout; this model is MXFP4. Remove scalesPreInterleaved.",
        rejection(() -> QuantConfig.builder(QuantFormat.MXFP4).scalesPreInterleaved(true).build()));
    assertTrue(
        QuantConfig.builder(QuantFormat.NVFP4).scalesPreInterleaved(true).build().scalesPreInterleaved());
  }

  @Test
  void wrongScaleDtypesAreRefused() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Format.WeightDType] MXFP4 weight scales are FLOAT8_E8M0FNU, not "
            + "FLOAT8_E4M3FN.",
        rejection(() -> QuantConfig.builder(QuantFormat.MXFP4)
            .weightScale(WeightScaleSpec.block(FLOAT8_E4M3FN, 1, 32)).build()));
    assertTrue(QuantConfig.builder(QuantFormat.MXFP8)
        .inputScale(InputScaleSpec.block(DYNAMIC, FLOAT8_E8M0FNU, 1, 32)).build().isMxfp8()); // MiniMax-M3
  }

  @Test
  void embeddingOutputIsAFloatActivation() {
    assertEquals("invalid QuantConfig:\n[jquant:Flags.EmbeddingDType] the embedding output is an activation: "
        + "FLOAT32, BFLOAT16, FLOAT16, FLOAT8_E4M3FN or FLOAT8_E5M2, not INT8.",
        rejection(() -> QuantConfig.builder(QuantFormat.NVFP4).embeddingOutputDtype(INT8).build()));
  }
}
