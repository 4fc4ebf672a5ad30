package io.jquant.annotations.rules;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E8M0FNU;
import static io.jquant.annotations.QuantFormat.BLOCKSCALED_FP8;
import static io.jquant.annotations.QuantFormat.COMPRESSED_TENSORS_FP8;
import static io.jquant.annotations.QuantFormat.FBGEMM_FP8;
import static io.jquant.annotations.QuantFormat.INT8_W8A8;
import static io.jquant.annotations.QuantFormat.MXFP4;
import static io.jquant.annotations.QuantFormat.MXFP8;
import static io.jquant.annotations.QuantFormat.NVFP4;
import static io.jquant.annotations.ScaleGranularity.BLOCK;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;
import static io.jquant.annotations.rules.Decl.assertClean;
import static io.jquant.annotations.rules.Decl.assertOnly;
import static io.jquant.annotations.rules.Decl.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FormatProfileTest {
  private static final int PART = 0;

  // ---- the defaults are what MAX's parser builds (docs/FORMATS.md §2.6, §3.5, §5.2) ----

  @Test
  void nvfp4() {
    FormatProfile p = FormatProfile.of(NVFP4);
    assertEquals(new InputSpec(BLOCK, STATIC, FLOAT32, List.of(1, 16), null), p.defaultInput());
    assertEquals(new WeightSpec(BLOCK, FLOAT8_E4M3FN, List.of(1, 16)), p.defaultWeight());
    assertEquals(List.of(1, 16), p.weightBlock());
  }

  @Test
  void mxfp4AndMxfp8() {
    for (QuantFormat format : List.of(MXFP4, MXFP8)) {
      FormatProfile p = FormatProfile.of(format);
      assertEquals(new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(1, 32), null), p.defaultInput());
      assertEquals(new WeightSpec(BLOCK, FLOAT8_E8M0FNU, List.of(1, 32)), p.defaultWeight());
      assertEquals(Set.of(FLOAT32, FLOAT8_E8M0FNU), p.inputDtypes());
    }
  }

  @Test
  void blockscaledFp8() {
    FormatProfile p = FormatProfile.of(BLOCKSCALED_FP8);
    assertEquals(new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(1, 128), null), p.defaultInput());
    assertEquals(new WeightSpec(BLOCK, FLOAT32, List.of(128, 128)), p.defaultWeight());
    assertEquals(Set.of(DYNAMIC), p.inputOrigins());
  }

  @Test
  void fbgemmFp8() {
    FormatProfile p = FormatProfile.of(FBGEMM_FP8);
    assertEquals(new InputSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, null, 1200.0), p.defaultInput());
    assertEquals(new WeightSpec(ROWWISE, FLOAT32, null), p.defaultWeight());
    assertNull(p.weightBlock());
  }

  @Test
  void compressedTensorsFp8() {
    FormatProfile p = FormatProfile.of(COMPRESSED_TENSORS_FP8);
    assertEquals(new InputSpec(COLWISE, DYNAMIC, FLOAT32, null, null), p.defaultInput());
    assertEquals(new WeightSpec(ROWWISE, FLOAT32, null), p.defaultWeight());
    assertEquals(Set.of(TENSOR, COLWISE), p.inputGranularities());
    assertEquals(Set.of(TENSOR, ROWWISE), p.weightGranularities());
  }

  @Test
  void int8W8a8() {
    FormatProfile p = FormatProfile.of(INT8_W8A8);
    assertEquals(new InputSpec(COLWISE, DYNAMIC, FLOAT32, null, null), p.defaultInput());
    assertEquals(new WeightSpec(ROWWISE, FLOAT32, null), p.defaultWeight());
  }

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void profileNamesItsFormatAndAcceptsItsOwnDefaults(QuantFormat format) {
    FormatProfile p = FormatProfile.of(format);
    assertEquals(format, p.format());
    assertTrue(p.weightGranularities().contains(p.defaultWeight().granularity()));
    assertTrue(p.weightDtypes().contains(p.defaultWeight().dtype()));
    assertTrue(p.inputGranularities().contains(p.defaultInput().granularity()));
    assertTrue(p.inputOrigins().contains(p.defaultInput().origin()));
    assertTrue(p.inputDtypes().contains(p.defaultInput().dtype()));
    if (p.defaultWeight().granularity() == BLOCK) {
      assertEquals(p.weightBlock(), p.defaultWeight().block());
    }
    // Nobody's granularity sets admit the two forms MAX raises on.
    assertTrue(!p.weightGranularities().contains(COLWISE));
    assertTrue(!p.inputGranularities().contains(ROWWISE));
  }

  // ---- a correct declaration with the defaults has no violations ----

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void llamaWithTheFormatsDefaultsIsClean(QuantFormat format) {
    ModelCheck check = ModelRules.check(Decl.llama(format));
    assertClean(check);
    assertEquals(format, check.format());
    assertEquals(FormatProfile.of(format).defaultInput(), check.input());
    assertEquals(FormatProfile.of(format).defaultWeight(), check.weight());
    assertEquals(range(0, 16), check.mlpQuantizedLayers());
    assertEquals(range(1, 15), check.attnQuantizedLayers());
    assertEquals(List.of(Role.MLP, Role.ATTENTION), check.roles());
    assertTrue(check.isClean());
  }

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void configWithTheFormatsDefaultsIsClean(QuantFormat format) {
    assertClean(ConfigRules.check(Decl.config(format)));
  }

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void everyAcceptedDtypeIsAcceptedAndEveryOtherRefused(QuantFormat format) {
    FormatProfile p = FormatProfile.of(format);
    for (DType dtype : DType.values()) {
      List<Violation> w = SpecRules.check(PART, format, p.defaultInput(), p.weightWith(null, dtype, null));
      if (p.weightDtypes().contains(dtype)) {
        assertClean(w);
      } else {
        assertOnly(w, RuleId.FORMAT_WEIGHT_DTYPE, List.of(Place.of(PART, Attribute.WEIGHT_DTYPE)),
            format + " weight scales are " + SpecRules.oneOf(p.weightDtypes()) + ", not " + dtype + ".");
      }
      List<Violation> in = SpecRules.check(PART, format, p.inputWith(null, null, dtype, null, null),
          p.defaultWeight());
      if (p.inputDtypes().contains(dtype)) {
        assertClean(in);
      } else {
        assertOnly(in, RuleId.FORMAT_INPUT_DTYPE, List.of(Place.of(PART, Attribute.INPUT_DTYPE)),
            format + " input scales are " + SpecRules.oneOf(p.inputDtypes()) + ", not " + dtype + ".");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void everyAcceptedOriginIsAccepted(QuantFormat format) {
    FormatProfile p = FormatProfile.of(format);
    for (var origin : p.inputOrigins()) {
      InputSpec input = p.inputWith(format == COMPRESSED_TENSORS_FP8 || format == FBGEMM_FP8 ? TENSOR : null,
          origin, null, null, null);
      WeightSpec weight = format == FBGEMM_FP8 ? p.weightWith(TENSOR, null, null) : p.defaultWeight();
      assertClean(SpecRules.check(PART, format, input, weight));
    }
  }

  // ---- overrides: only the members written take effect ----

  @Test
  void weightWithNothingIsTheDefault() {
    for (QuantFormat format : QuantFormat.values()) {
      FormatProfile p = FormatProfile.of(format);
      assertEquals(p.defaultWeight(), p.weightWith(null, null, null));
      assertEquals(p.defaultInput(), p.inputWith(null, null, null, null, null));
    }
  }

  @Test
  void weightBlockCarriesOverOnlyWhileBlock() {
    FormatProfile nvfp4 = FormatProfile.of(NVFP4);
    assertEquals(new WeightSpec(BLOCK, FLOAT32, List.of(1, 16)), nvfp4.weightWith(null, FLOAT32, null));
    assertEquals(new WeightSpec(TENSOR, FLOAT8_E4M3FN, null), nvfp4.weightWith(TENSOR, null, null));
    assertEquals(new WeightSpec(BLOCK, FLOAT8_E4M3FN, List.of(1, 32)),
        nvfp4.weightWith(null, null, List.of(1, 32)));
    // A format without a default block: BLOCK written without a block has none.
    assertEquals(new WeightSpec(BLOCK, FLOAT32, null),
        FormatProfile.of(INT8_W8A8).weightWith(BLOCK, null, null));
    // A written block stays even where it does not belong; the rules report it.
    assertEquals(new WeightSpec(ROWWISE, FLOAT32, List.of(1, 16)),
        FormatProfile.of(INT8_W8A8).weightWith(null, null, List.of(1, 16)));
  }

  @Test
  void inputBlockCarriesOverOnlyWhileBlock() {
    FormatProfile nvfp4 = FormatProfile.of(NVFP4);
    assertEquals(new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(1, 16), null),
        nvfp4.inputWith(null, DYNAMIC, null, null, null));
    assertEquals(new InputSpec(TENSOR, STATIC, FLOAT32, null, null),
        nvfp4.inputWith(TENSOR, null, null, null, null));
  }

  @Test
  void defaultUpperBoundStaysOnlyOnTheDefaultGranularityAndOrigin() {
    FormatProfile fbgemm = FormatProfile.of(FBGEMM_FP8);
    // Same granularity and origin (another dtype): the bound stays.
    assertEquals(new InputSpec(COLWISE, DYNAMIC, FLOAT32, null, 1200.0),
        fbgemm.inputWith(null, null, FLOAT32, null, null));
    // Tensor-wise, even dynamic, is another spec: FBGEMM's bound belongs to its per-token scales.
    assertEquals(new InputSpec(TENSOR, DYNAMIC, FLOAT8_E4M3FN, null, null),
        fbgemm.inputWith(TENSOR, null, null, null, null));
    assertEquals(new InputSpec(TENSOR, STATIC, FLOAT32, null, null),
        fbgemm.inputWith(TENSOR, STATIC, FLOAT32, null, null));
    assertEquals(new InputSpec(COLWISE, STATIC, FLOAT8_E4M3FN, null, null),
        fbgemm.inputWith(null, STATIC, null, null, null));
    // A written bound is kept.
    assertEquals(new InputSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, null, 600.0),
        fbgemm.inputWith(null, null, null, null, 600.0));
    assertEquals(new InputSpec(TENSOR, DYNAMIC, FLOAT8_E4M3FN, null, 600.0),
        fbgemm.inputWith(TENSOR, null, null, null, 600.0));
    // A written bound on static inputs stays, and the rules report it.
    InputSpec staticWithBound = fbgemm.inputWith(TENSOR, STATIC, FLOAT32, null, 600.0);
    assertEquals(600.0, staticWithBound.activationUpperBound());
    assertOnly(SpecRules.check(PART, FBGEMM_FP8, staticWithBound, fbgemm.weightWith(TENSOR, null, null)),
        RuleId.SCALES_UPPER_BOUND_STATIC, Place.of(PART, Attribute.INPUT_UPPER_BOUND));
  }

  @Test
  void fbgemmTensorWiseOverrideIsClean() {
    // Hugging Face tensor-wise fp8: @WeightScale(granularity = TENSOR) @InputScale(granularity = TENSOR,
    // origin = STATIC)
    FormatProfile p = FormatProfile.of(FBGEMM_FP8);
    assertClean(SpecRules.check(PART, FBGEMM_FP8, p.inputWith(TENSOR, STATIC, FLOAT32, null, null),
        p.weightWith(TENSOR, BFLOAT16, null)));
  }

  @Test
  void specsCopyTheirBlocks() {
    List<Integer> block = new java.util.ArrayList<>(List.of(1, 16));
    WeightSpec w = new WeightSpec(BLOCK, FLOAT16, block);
    InputSpec in = new InputSpec(BLOCK, STATIC, FLOAT32, block, null);
    block.set(1, 32);
    assertEquals(List.of(1, 16), w.block());
    assertEquals(List.of(1, 16), in.block());
  }

  @Test
  void specsPrintAsMessagesQuoteThem() {
    assertEquals("BLOCK STATIC FLOAT32 (1, 16)", FormatProfile.of(NVFP4).defaultInput().toString());
    assertEquals("BLOCK FLOAT8_E4M3FN (1, 16)", FormatProfile.of(NVFP4).defaultWeight().toString());
    assertEquals("COLWISE DYNAMIC FLOAT8_E4M3FN ub 1200.0",
        FormatProfile.of(FBGEMM_FP8).defaultInput().toString());
    assertEquals("ROWWISE FLOAT32", FormatProfile.of(FBGEMM_FP8).defaultWeight().toString());
    assertEquals("(128, 128)", BlockSize.format(List.of(128, 128)));
  }

  @Test
  void blockSizeWellFormedness() {
    assertTrue(BlockSize.isWellFormed(List.of(1, 16)));
    assertTrue(!BlockSize.isWellFormed(null));
    assertTrue(!BlockSize.isWellFormed(List.of()));
    assertTrue(!BlockSize.isWellFormed(List.of(16)));
    assertTrue(!BlockSize.isWellFormed(List.of(0, 16)));
    assertTrue(!BlockSize.isWellFormed(List.of(1, -16)));
    assertTrue(!BlockSize.isWellFormed(List.of(1, 16, 1)));
  }
}
