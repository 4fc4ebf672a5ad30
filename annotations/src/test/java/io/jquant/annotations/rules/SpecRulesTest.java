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
import static io.jquant.annotations.rules.Attribute.INPUT_BLOCK;
import static io.jquant.annotations.rules.Attribute.INPUT_DTYPE;
import static io.jquant.annotations.rules.Attribute.INPUT_GRANULARITY;
import static io.jquant.annotations.rules.Attribute.INPUT_ORIGIN;
import static io.jquant.annotations.rules.Attribute.INPUT_UPPER_BOUND;
import static io.jquant.annotations.rules.Attribute.WEIGHT_BLOCK;
import static io.jquant.annotations.rules.Attribute.WEIGHT_DTYPE;
import static io.jquant.annotations.rules.Attribute.WEIGHT_GRANULARITY;
import static io.jquant.annotations.rules.Decl.assertClean;
import static io.jquant.annotations.rules.Decl.assertOnly;
import static io.jquant.annotations.rules.Decl.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The scale spec rules, called as the model and config checks call them (part 2 here). */
class SpecRulesTest {
  private static final int PART = 2;

  private static List<Violation> check(QuantFormat format, InputSpec input, WeightSpec weight) {
    return SpecRules.check(PART, format, input, weight);
  }

  private static List<Violation> checkInput(QuantFormat format, InputSpec input) {
    return check(format, input, FormatProfile.of(format).defaultWeight());
  }

  private static List<Violation> checkWeight(QuantFormat format, WeightSpec weight) {
    return check(format, FormatProfile.of(format).defaultInput(), weight);
  }

  private static Place at(Attribute attribute) {
    return Place.of(PART, attribute);
  }

  private static InputSpec in(ScaleGranularity g, ScaleOrigin o, DType d, Integer... block) {
    return new InputSpec(g, o, d, block.length == 0 ? null : Arrays.asList(block), null);
  }

  private static InputSpec inUb(ScaleGranularity g, ScaleOrigin o, DType d, Double ub) {
    return new InputSpec(g, o, d, null, ub);
  }

  private static WeightSpec w(ScaleGranularity g, DType d, Integer... block) {
    return new WeightSpec(g, d, block.length == 0 ? null : Arrays.asList(block));
  }

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void formatDefaultsAreClean(QuantFormat format) {
    FormatProfile p = FormatProfile.of(format);
    assertClean(check(format, p.defaultInput(), p.defaultWeight()));
  }

  @Nested
  class FbgemmPairing {
    private static final List<Place> PAIRING = List.of(Place.of(PART, INPUT_GRANULARITY),
        Place.of(PART, INPUT_ORIGIN), Place.of(PART, WEIGHT_GRANULARITY));

    @Test
    void rowwiseWeightsWithPerTokenDynamicInputs() {
      assertClean(check(FBGEMM_FP8, inUb(COLWISE, DYNAMIC, FLOAT8_E4M3FN, 1200.0), w(ROWWISE, FLOAT32)));
    }

    @Test
    void tensorWeightsWithTensorInputsStaticOrDynamic() {
      // Hugging Face's tensor-wise fp8, which MAX files under FBGEMM_FP8.
      assertClean(check(FBGEMM_FP8, in(TENSOR, STATIC, FLOAT32), w(TENSOR, FLOAT32)));
      assertClean(check(FBGEMM_FP8, in(TENSOR, DYNAMIC, FLOAT32), w(TENSOR, BFLOAT16)));
      assertClean(check(FBGEMM_FP8, inUb(TENSOR, DYNAMIC, FLOAT8_E4M3FN, 1200.0), w(TENSOR, FLOAT16)));
    }

    @Test
    void rowwiseWeightsWithTensorInputs() {
      assertOnly(check(FBGEMM_FP8, in(TENSOR, STATIC, FLOAT32), w(ROWWISE, FLOAT32)),
          RuleId.FORMAT_SCALE_PAIRING, PAIRING,
          "FBGEMM_FP8 with ROWWISE weight scales takes COLWISE DYNAMIC input scales (per token), not TENSOR"
              + " STATIC; "
              + "tensor-wise FP8 is TENSOR weights with TENSOR inputs.");
    }

    @Test
    void rowwiseWeightsWithStaticPerTokenInputs() {
      assertOnly(check(FBGEMM_FP8, in(COLWISE, STATIC, FLOAT32), w(ROWWISE, FLOAT32)),
          RuleId.FORMAT_SCALE_PAIRING, PAIRING,
          "FBGEMM_FP8 with ROWWISE weight scales takes COLWISE DYNAMIC input scales (per token), not"
              + " COLWISE STATIC; "
              + "tensor-wise FP8 is TENSOR weights with TENSOR inputs.");
    }

    @Test
    void tensorWeightsWithPerTokenInputs() {
      String message = "FBGEMM_FP8 with TENSOR weight scales takes TENSOR input scales, not COLWISE; "
          + "per-token inputs go with ROWWISE weights.";
      assertOnly(check(FBGEMM_FP8, inUb(COLWISE, DYNAMIC, FLOAT8_E4M3FN, 1200.0), w(TENSOR, FLOAT32)),
          RuleId.FORMAT_SCALE_PAIRING, PAIRING, message);
      assertOnly(check(FBGEMM_FP8, in(COLWISE, STATIC, FLOAT32), w(TENSOR, FLOAT32)),
          RuleId.FORMAT_SCALE_PAIRING, PAIRING, message);
    }

    @Test
    void aRefusedGranularityIsNotAlsoAPairingError() {
      assertOnly(check(FBGEMM_FP8, in(ROWWISE, DYNAMIC, FLOAT32), w(ROWWISE, FLOAT32)),
          RuleId.SCALES_ROWWISE_INPUT, at(INPUT_GRANULARITY),
          "ROWWISE input scales are not supported (MAX raises on them): one scale per token is COLWISE; "
              + "FBGEMM_FP8 takes TENSOR or COLWISE.");
      assertOnly(check(FBGEMM_FP8, in(BLOCK, DYNAMIC, FLOAT32), w(ROWWISE, FLOAT32)),
          RuleId.FORMAT_INPUT_GRANULARITY, at(INPUT_GRANULARITY),
          "FBGEMM_FP8 input scales are TENSOR or COLWISE, not BLOCK.");
      assertOnly(check(FBGEMM_FP8, in(TENSOR, DYNAMIC, FLOAT32), w(BLOCK, FLOAT32, 128, 128)),
          RuleId.FORMAT_WEIGHT_GRANULARITY, at(WEIGHT_GRANULARITY),
          "FBGEMM_FP8 weight scales are TENSOR or ROWWISE, not BLOCK.");
      assertOnly(check(FBGEMM_FP8, in(TENSOR, DYNAMIC, FLOAT32), w(COLWISE, FLOAT32)),
          RuleId.SCALES_COLWISE_WEIGHT, at(WEIGHT_GRANULARITY));
    }

    @Test
    void pairingIsOnlyFbgemms() {
      // compressed-tensors takes tensor weights with per-token inputs and the other way round.
      assertClean(check(COMPRESSED_TENSORS_FP8, in(COLWISE, DYNAMIC, FLOAT32), w(TENSOR, FLOAT32)));
      assertClean(check(COMPRESSED_TENSORS_FP8, in(TENSOR, STATIC, FLOAT32), w(ROWWISE, FLOAT32)));
    }
  }

  @Nested
  class KGranularity {
    private final List<Place> kPlaces = List.of(Place.of(PART, INPUT_BLOCK),
        Place.of(PART, INPUT_GRANULARITY),
        Place.of(PART, WEIGHT_BLOCK), Place.of(PART, WEIGHT_GRANULARITY));

    @Test
    void nvfp4WithA32WideInputBlock() {
      assertOnly(checkInput(NVFP4, in(BLOCK, STATIC, FLOAT32, 1, 32)), RuleId.SCALES_K_MISMATCH, kPlaces,
          "input and weight scales must agree on K: the input scales give K granularity 32 (BLOCK (1, 32)), "
              + "the weight scales 16 (BLOCK (1, 16)).");
    }

    @Test
    void mxWithA16WideInputBlock() {
      for (QuantFormat format : List.of(MXFP4, MXFP8)) {
        assertOnly(checkInput(format, in(BLOCK, DYNAMIC, FLOAT32, 1, 16)), RuleId.SCALES_K_MISMATCH, kPlaces,
            "input and weight scales must agree on K: the input scales give K granularity 16 (BLOCK (1,"
                + " 16)), "
                + "the weight scales 32 (BLOCK (1, 32)).");
      }
    }

    @Test
    void blockscaledWithA64WideInputBlock() {
      assertOnly(checkInput(BLOCKSCALED_FP8, in(BLOCK, DYNAMIC, FLOAT32, 1, 64)), RuleId.SCALES_K_MISMATCH,
          kPlaces.get(0));
    }

    @Test
    void wholeRowIsDescribedAsSuch() {
      // An input spec that is not BLOCK has K granularity -1: the whole row.
      InputSpec perToken = in(COLWISE, DYNAMIC, FLOAT32);
      assertEquals(-1, perToken.kGranularity());
      assertEquals(-1, in(TENSOR, STATIC, FLOAT32).kGranularity());
      assertEquals(null, in(ROWWISE, STATIC, FLOAT32).kGranularity());
      assertEquals(null, in(BLOCK, STATIC, FLOAT32).kGranularity());
      assertEquals(null, in(BLOCK, STATIC, FLOAT32, 0, 16).kGranularity());
      assertEquals(16, in(BLOCK, STATIC, FLOAT32, 1, 16).kGranularity());
      assertEquals(-1, w(ROWWISE, FLOAT32).kGranularity());
      assertEquals(-1, w(TENSOR, FLOAT32).kGranularity());
      assertEquals(null, w(COLWISE, FLOAT32).kGranularity());
      assertEquals(128, w(BLOCK, FLOAT32, 128, 128).kGranularity());
    }

    @Test
    void mismatchIsNotReportedOnTopOfAnotherViolation() {
      // The dtype is wrong too; that is reported, and K is left until the spec is otherwise right.
      assertOnly(checkInput(NVFP4, in(BLOCK, STATIC, BFLOAT16, 1, 32)), RuleId.FORMAT_INPUT_DTYPE,
          at(INPUT_DTYPE));
      // A weight block of the wrong size is the one error, though its K differs from the input's.
      assertOnly(checkWeight(NVFP4, w(BLOCK, FLOAT8_E4M3FN, 1, 32)), RuleId.FORMAT_WEIGHT_BLOCK,
          at(WEIGHT_BLOCK),
          "NVFP4 weight scale blocks are (1, 16) elements, not (1, 32).");
      assertOnly(checkWeight(BLOCKSCALED_FP8, w(BLOCK, FLOAT32, 1, 128)), RuleId.FORMAT_WEIGHT_BLOCK,
          at(WEIGHT_BLOCK), "BLOCKSCALED_FP8 weight scale blocks are (128, 128) elements, not (1, 128).");
    }
  }

  @Nested
  class CompressedTensorsFp8 {
    @Test
    void perTokenInputsAreDynamic() {
      assertOnly(checkInput(COMPRESSED_TENSORS_FP8, in(COLWISE, STATIC, FLOAT32)), RuleId.FORMAT_INPUT_ORIGIN,
          List.of(at(INPUT_ORIGIN)),
          "COMPRESSED_TENSORS_FP8 per-token (COLWISE) input scales are DYNAMIC, not STATIC; "
              + "a static input scale is TENSOR.");
    }

    @Test
    void everyAcceptedCombination() {
      for (ScaleGranularity wg : List.of(TENSOR, ROWWISE)) {
        for (DType wd : List.of(FLOAT32, BFLOAT16, FLOAT16)) {
          assertClean(check(COMPRESSED_TENSORS_FP8, in(TENSOR, STATIC, FLOAT32), w(wg, wd)));
          assertClean(check(COMPRESSED_TENSORS_FP8, in(TENSOR, DYNAMIC, BFLOAT16), w(wg, wd)));
          assertClean(check(COMPRESSED_TENSORS_FP8, in(COLWISE, DYNAMIC, FLOAT16), w(wg, wd)));
        }
      }
    }

    @Test
    void blockIsRefused() {
      assertOnly(checkWeight(COMPRESSED_TENSORS_FP8, w(BLOCK, FLOAT32, 128, 128)),
          RuleId.FORMAT_WEIGHT_GRANULARITY,
          List.of(at(WEIGHT_GRANULARITY)),
          "COMPRESSED_TENSORS_FP8 weight scales are TENSOR or ROWWISE, not BLOCK.");
      assertOnly(checkInput(COMPRESSED_TENSORS_FP8, in(BLOCK, DYNAMIC, FLOAT32, 1, 128)),
          RuleId.FORMAT_INPUT_GRANULARITY, List.of(at(INPUT_GRANULARITY)),
          "COMPRESSED_TENSORS_FP8 input scales are TENSOR or COLWISE, not BLOCK.");
    }

    @Test
    void fp8ScaleDtypesAreRefused() {
      assertOnly(checkWeight(COMPRESSED_TENSORS_FP8, w(ROWWISE, FLOAT8_E4M3FN)), RuleId.FORMAT_WEIGHT_DTYPE,
          List.of(at(WEIGHT_DTYPE)),
          "COMPRESSED_TENSORS_FP8 weight scales are FLOAT32, BFLOAT16 or FLOAT16, not FLOAT8_E4M3FN.");
    }
  }

  @Nested
  class UpperBound {
    @ParameterizedTest
    @ValueSource(doubles = { 1e-9, 1.0, 1200.0, 448.0, Double.MAX_VALUE })
    void positiveFiniteBoundOnDynamicInputs(double ub) {
      assertClean(checkInput(FBGEMM_FP8, inUb(COLWISE, DYNAMIC, FLOAT8_E4M3FN, ub)));
    }

    @ParameterizedTest
    @ValueSource(doubles = { 0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        -Double.MIN_VALUE })
    void notPositiveOrNotFinite(double ub) {
      assertOnly(checkInput(FBGEMM_FP8, inUb(COLWISE, DYNAMIC, FLOAT8_E4M3FN, ub)),
          RuleId.SCALES_UPPER_BOUND_NOT_POSITIVE, List.of(at(INPUT_UPPER_BOUND)),
          "an activation upper bound is a positive finite number, not " + ub + ".");
    }

    @Test
    void boundOnStaticInputs() {
      assertOnly(check(FBGEMM_FP8, inUb(TENSOR, STATIC, FLOAT32, 1200.0), w(TENSOR, FLOAT32)),
          RuleId.SCALES_UPPER_BOUND_STATIC, List.of(at(INPUT_UPPER_BOUND)),
          "an activation upper bound (1200.0) only bounds DYNAMIC input scales; these are STATIC. Remove it"
              + " or "
              + "make the input scales DYNAMIC.");
      // Static is tested before the value: a bad bound on static inputs is one error.
      assertOnly(checkInput(NVFP4, new InputSpec(BLOCK, STATIC, FLOAT32, List.of(1, 16), -5.0)),
          RuleId.SCALES_UPPER_BOUND_STATIC, at(INPUT_UPPER_BOUND));
    }

    @Test
    void boundOnARefusedStaticOriginIsOnlyTheOriginsError() {
      // INT8_W8A8 inputs must be DYNAMIC; making them so also settles the bound.
      assertOnly(checkInput(INT8_W8A8, inUb(COLWISE, STATIC, FLOAT32, 100.0)), RuleId.FORMAT_INPUT_ORIGIN,
          List.of(at(INPUT_ORIGIN)),
          "INT8_W8A8 input scales are DYNAMIC (computed from each input), not STATIC.");
    }

    @Test
    void fbgemmStaticPerTokenWithABoundIsTwoMistakes() {
      List<Violation> v = check(FBGEMM_FP8, inUb(COLWISE, STATIC, FLOAT32, 1200.0), w(ROWWISE, FLOAT32));
      assertEquals(List.of(RuleId.SCALES_UPPER_BOUND_STATIC, RuleId.FORMAT_SCALE_PAIRING), rules(v));
    }

    @Test
    void otherFormatsMayBoundDynamicInputs() {
      assertClean(checkInput(COMPRESSED_TENSORS_FP8, inUb(COLWISE, DYNAMIC, FLOAT32, 100.0)));
      assertClean(checkInput(INT8_W8A8, inUb(COLWISE, DYNAMIC, FLOAT32, 100.0)));
    }
  }

  @Nested
  class Blocks {
    @Test
    void missingInputBlock() {
      assertOnly(checkInput(MXFP8, in(BLOCK, DYNAMIC, FLOAT32)), RuleId.SCALES_BLOCK_MISSING,
          List.of(at(INPUT_BLOCK), at(INPUT_GRANULARITY)),
          "BLOCK input scales need a block size {rows, cols}.");
    }

    @Test
    void missingWeightBlock() {
      assertOnly(checkWeight(BLOCKSCALED_FP8, w(BLOCK, FLOAT32)), RuleId.SCALES_BLOCK_MISSING,
          List.of(at(WEIGHT_BLOCK), at(WEIGHT_GRANULARITY)),
          "BLOCK weight scales need a block size {rows, cols}.");
    }

    @Test
    void malformedInputBlocks() {
      List<List<Integer>> blocks = List.of(List.of(), List.of(32), List.of(0, 32), List.of(1, 0),
          List.of(-1, 16),
          List.of(1, 16, 1));
      for (List<Integer> block : blocks) {
        String written = block.toString().replace('[', '{').replace(']', '}');
        assertOnly(checkInput(NVFP4, new InputSpec(BLOCK, STATIC, FLOAT32, block, null)),
            RuleId.SCALES_BLOCK_SHAPE,
            List.of(at(INPUT_BLOCK)),
            "an input scale block size is two positive integers {rows, cols}, not " + written + ".");
      }
    }

    @Test
    void malformedWeightBlock() {
      assertOnly(checkWeight(MXFP4, w(BLOCK, FLOAT8_E8M0FNU, 32)), RuleId.SCALES_BLOCK_SHAPE,
          List.of(at(WEIGHT_BLOCK)),
          "a weight scale block size is two positive integers {rows, cols}, not {32}.");
    }

    @Test
    void unexpectedInputBlock() {
      assertOnly(checkInput(INT8_W8A8, in(COLWISE, DYNAMIC, FLOAT32, 1, 128)), RuleId.SCALES_BLOCK_UNEXPECTED,
          List.of(at(INPUT_BLOCK)),
          "a block size is only for BLOCK scales; these input scales are COLWISE. Remove the block size or"
              + " make "
              + "them BLOCK.");
    }

    @Test
    void aBlockOnARefusedGranularityIsOnlyTheGranularitysError() {
      // The format wants BLOCK; TENSOR with the right block is one mistake, the granularity.
      assertOnly(checkWeight(NVFP4, w(TENSOR, FLOAT8_E4M3FN, 1, 16)), RuleId.FORMAT_WEIGHT_GRANULARITY,
          List.of(at(WEIGHT_GRANULARITY)), "NVFP4 weight scales are BLOCK, not TENSOR.");
      assertOnly(checkInput(MXFP4, in(COLWISE, DYNAMIC, FLOAT32, 1, 32)), RuleId.FORMAT_INPUT_GRANULARITY,
          List.of(at(INPUT_GRANULARITY)), "MXFP4 input scales are BLOCK, not COLWISE.");
      // BLOCK where the format refuses it: no "needs a block size" on top.
      assertOnly(checkInput(INT8_W8A8, in(BLOCK, DYNAMIC, FLOAT32)), RuleId.FORMAT_INPUT_GRANULARITY,
          List.of(at(INPUT_GRANULARITY)), "INT8_W8A8 input scales are COLWISE, not BLOCK.");
      assertOnly(checkWeight(INT8_W8A8, w(BLOCK, FLOAT32, 0)), RuleId.FORMAT_WEIGHT_GRANULARITY,
          at(WEIGHT_GRANULARITY));
      assertOnly(checkInput(FBGEMM_FP8, in(BLOCK, DYNAMIC, FLOAT32, 2, 128)), RuleId.FORMAT_INPUT_GRANULARITY,
          at(INPUT_GRANULARITY));
    }

    @Test
    void inputBlockSpansOneToken() {
      assertClean(checkInput(BLOCKSCALED_FP8, in(BLOCK, DYNAMIC, FLOAT32, 1, 128)));
      assertOnly(checkInput(BLOCKSCALED_FP8, in(BLOCK, DYNAMIC, FLOAT32, 128, 128)),
          RuleId.SCALES_INPUT_BLOCK_ROWS,
          List.of(at(INPUT_BLOCK)),
          "an input scale block spans one token, (1, k); (128, 128) spans 128 tokens.");
    }

    @Test
    void weightBlockRowsAreTheFormats() {
      // MX weight blocks are (1, 32): one row, 32 along K.
      assertOnly(checkWeight(MXFP8, w(BLOCK, FLOAT8_E8M0FNU, 32, 32)), RuleId.FORMAT_WEIGHT_BLOCK,
          List.of(at(WEIGHT_BLOCK)), "MXFP8 weight scale blocks are (1, 32) elements, not (32, 32).");
    }
  }

  @Nested
  class Granularities {
    @Test
    void colwiseWeightsNameTheFormatsChoice() {
      assertOnly(checkWeight(NVFP4, w(COLWISE, FLOAT8_E4M3FN)), RuleId.SCALES_COLWISE_WEIGHT,
          List.of(at(WEIGHT_GRANULARITY)),
          "COLWISE weight scales are not supported (MAX raises on them): one scale per output channel is"
              + " ROWWISE; "
              + "NVFP4 takes BLOCK.");
    }

    @Test
    void rowwiseInputsNameTheFormatsChoice() {
      assertOnly(checkInput(MXFP4, in(ROWWISE, DYNAMIC, FLOAT32)), RuleId.SCALES_ROWWISE_INPUT,
          List.of(at(INPUT_GRANULARITY)),
          "ROWWISE input scales are not supported (MAX raises on them): one scale per token is COLWISE; "
              + "MXFP4 takes BLOCK.");
    }

    @Test
    void staticInputsWhereTheFormatComputesThem() {
      for (QuantFormat format : List.of(MXFP4, MXFP8, BLOCKSCALED_FP8)) {
        FormatProfile p = FormatProfile.of(format);
        InputSpec input = p.inputWith(null, STATIC, null, null, null);
        assertOnly(checkInput(format, input), RuleId.FORMAT_INPUT_ORIGIN, List.of(at(INPUT_ORIGIN)),
            format + " input scales are DYNAMIC (computed from each input), not STATIC.");
      }
    }

    @Test
    void nvfp4InputsMayBeDynamic() {
      assertClean(checkInput(NVFP4, in(BLOCK, DYNAMIC, FLOAT32, 1, 16)));
    }
  }

  @Test
  void violationsComeInOrderWeightInputPairing() {
    List<Violation> v = check(NVFP4, in(BLOCK, STATIC, BFLOAT16, 1, 16), w(BLOCK, FLOAT32, 1, 16));
    assertEquals(List.of(RuleId.FORMAT_WEIGHT_DTYPE, RuleId.FORMAT_INPUT_DTYPE), rules(v));
    assertEquals(List.of(at(WEIGHT_DTYPE), at(INPUT_DTYPE)), Decl.places(v));
  }

  @Test
  void independentMistakesAreEachReported() {
    // Weight: refused granularity and dtype; input: refused origin and dtype, bad bound.
    List<Violation> v = check(INT8_W8A8, new InputSpec(COLWISE, STATIC, FLOAT8_E4M3FN, null, null),
        w(TENSOR, FLOAT8_E4M3FN));
    assertEquals(
        List.of(RuleId.FORMAT_WEIGHT_GRANULARITY, RuleId.FORMAT_WEIGHT_DTYPE, RuleId.FORMAT_INPUT_ORIGIN,
            RuleId.FORMAT_INPUT_DTYPE),
        rules(v));
  }

  @Test
  void modelLevelPartForConfigs() {
    Violation v = SpecRules.check(Place.MODEL, NVFP4, FormatProfile.of(NVFP4).defaultInput(),
        w(BLOCK, FLOAT32, 1, 16)).get(0);
    assertEquals(Place.model(WEIGHT_DTYPE), v.place());
  }

  @Test
  void everyViolationHasOnlyPlacesOfItsOwnPart() {
    List<Violation> all = new ArrayList<>();
    for (QuantFormat format : QuantFormat.values()) {
      for (ScaleGranularity ig : ScaleGranularity.values()) {
        for (ScaleGranularity wg : ScaleGranularity.values()) {
          for (ScaleOrigin o : ScaleOrigin.values()) {
            all.addAll(check(format, new InputSpec(ig, o, FLOAT32, List.of(1, 16), 0.0),
                new WeightSpec(wg, FLOAT32, List.of(1, 16))));
          }
        }
      }
    }
    assertTrue(all.size() > 100);
    for (Violation v : all) {
      for (Place place : v.places()) {
        assertEquals(PART, place.part(), v::toString);
        assertEquals(Place.WHOLE, place.index(), v::toString);
      }
    }
  }

  @Test
  void noValueIsReportedTwice() {
    // Across every granularity/origin/dtype combination (with blocks and bounds, well-formed or not),
    // no two violations prefer the same value: one mistake, one error.
    for (QuantFormat format : QuantFormat.values()) {
      for (ScaleGranularity ig : ScaleGranularity.values()) {
        for (ScaleGranularity wg : ScaleGranularity.values()) {
          for (ScaleOrigin o : ScaleOrigin.values()) {
            for (DType d : DType.values()) {
              for (List<Integer> block : Arrays.asList(null, List.of(1, 16), List.of(2, 8), List.of(0))) {
                for (Double ub : Arrays.asList(null, 1.0, -1.0)) {
                  List<Violation> v = check(format, new InputSpec(ig, o, d, block, ub),
                      new WeightSpec(wg, d, block));
                  assertEquals(Set.copyOf(Decl.places(v)).size(), v.size(), v::toString);
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void oneOfListsInEnumOrder() {
    assertEquals("TENSOR or ROWWISE", SpecRules.oneOf(Set.of(ROWWISE, TENSOR)));
    assertEquals("BLOCK", SpecRules.oneOf(Set.of(BLOCK)));
    assertEquals("FLOAT32, BFLOAT16 or FLOAT16", SpecRules.oneOf(Set.of(FLOAT16, FLOAT32, BFLOAT16)));
  }
}
