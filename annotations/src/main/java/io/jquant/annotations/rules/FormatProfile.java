package io.jquant.annotations.rules;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E8M0FNU;
import static io.jquant.annotations.ScaleGranularity.BLOCK;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import java.util.List;
import java.util.Set;

/**
 * What a format prescribes: the scale specs a declaration gets when it says nothing else (what MAX's Hugging
 * Face parser builds for that format), and the values it may take instead.
 *
 * <p>The weight block, when BLOCK, is fixed per format. The input block's K is not listed here: it must equal
 * the weight's ({@link RuleId#SCALES_K_MISMATCH}), which is the one rule that says so.
 */
public record FormatProfile(
    QuantFormat format,
    InputSpec defaultInput,
    WeightSpec defaultWeight,
    Set<ScaleGranularity> weightGranularities,
    Set<DType> weightDtypes,
    List<Integer> weightBlock,
    Set<ScaleGranularity> inputGranularities,
    Set<ScaleOrigin> inputOrigins,
    Set<DType> inputDtypes) {

  private static final Set<DType> FLOAT_SCALES = Set.of(FLOAT32, BFLOAT16, FLOAT16);

  /** The profile of {@code format}. */
  public static FormatProfile of(QuantFormat format) {
    return switch (format) {
      // compressed-tensors FP8_DYNAMIC preset: channel weights, dynamic per-token activations. MAX takes
      // the input dtype from the input_scale tensor, or the model dtype (float8_e4m3fn) without one.
      case COMPRESSED_TENSORS_FP8 -> new FormatProfile(format,
          new InputSpec(COLWISE, DYNAMIC, FLOAT32, null, null),
          new WeightSpec(ROWWISE, FLOAT32, null),
          Set.of(TENSOR, ROWWISE), FLOAT_SCALES, null,
          Set.of(TENSOR, COLWISE), Set.of(STATIC, DYNAMIC),
          Set.of(FLOAT32, BFLOAT16, FLOAT16, FLOAT8_E4M3FN));
      // MAX: input COLWISE DYNAMIC float8_e4m3fn with FBGEMM's default activation_scale_ub 1200.
      case FBGEMM_FP8 -> new FormatProfile(format,
          new InputSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, null, 1200.0),
          new WeightSpec(ROWWISE, FLOAT32, null),
          Set.of(ROWWISE, TENSOR), FLOAT_SCALES, null,
          Set.of(COLWISE, TENSOR), Set.of(STATIC, DYNAMIC),
          Set.of(FLOAT32, BFLOAT16, FLOAT16, FLOAT8_E4M3FN));
      case BLOCKSCALED_FP8 -> new FormatProfile(format,
          new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(1, 128), null),
          new WeightSpec(BLOCK, FLOAT32, List.of(128, 128)),
          Set.of(BLOCK), Set.of(FLOAT32, BFLOAT16), List.of(128, 128),
          Set.of(BLOCK), Set.of(DYNAMIC), Set.of(FLOAT32, BFLOAT16));
      case MXFP8, MXFP4 -> new FormatProfile(format,
          new InputSpec(BLOCK, DYNAMIC, FLOAT32, List.of(1, 32), null),
          new WeightSpec(BLOCK, FLOAT8_E8M0FNU, List.of(1, 32)),
          Set.of(BLOCK), Set.of(FLOAT8_E8M0FNU), List.of(1, 32),
          Set.of(BLOCK), Set.of(DYNAMIC), Set.of(FLOAT32, FLOAT8_E8M0FNU));
      // modelopt NVFP4: static input_scale per tensor, activations quantized per 1x16 block.
      case NVFP4 -> new FormatProfile(format,
          new InputSpec(BLOCK, STATIC, FLOAT32, List.of(1, 16), null),
          new WeightSpec(BLOCK, FLOAT8_E4M3FN, List.of(1, 16)),
          Set.of(BLOCK), Set.of(FLOAT8_E4M3FN), List.of(1, 16),
          Set.of(BLOCK), Set.of(STATIC, DYNAMIC), Set.of(FLOAT32));
      case INT8_W8A8 -> new FormatProfile(format,
          new InputSpec(COLWISE, DYNAMIC, FLOAT32, null, null),
          new WeightSpec(ROWWISE, FLOAT32, null),
          Set.of(ROWWISE), FLOAT_SCALES, null,
          Set.of(COLWISE), Set.of(DYNAMIC), FLOAT_SCALES);
    };
  }

  /**
   * The spec a declaration ends up with when it overrides some members of the default weight spec: null
   * arguments keep the default. A block only carries over while the granularity stays BLOCK.
   */
  public WeightSpec weightWith(ScaleGranularity granularity, DType dtype, List<Integer> block) {
    ScaleGranularity g = granularity != null ? granularity : defaultWeight.granularity();
    List<Integer> b = block != null ? block : (g == BLOCK ? defaultWeight.block() : null);
    return new WeightSpec(g, dtype != null ? dtype : defaultWeight.dtype(), b);
  }

  /** Like {@link #weightWith}, for the input spec; the default upper bound stays only on the default spec. */
  public InputSpec inputWith(
      ScaleGranularity granularity, ScaleOrigin origin, DType dtype, List<Integer> block, Double upperBound) {
    ScaleGranularity g = granularity != null ? granularity : defaultInput.granularity();
    ScaleOrigin o = origin != null ? origin : defaultInput.origin();
    List<Integer> b = block != null ? block : (g == BLOCK ? defaultInput.block() : null);
    // The default bound belongs to the default spec (FBGEMM's per-token scales); a changed spec drops it.
    boolean defaultShape = g == defaultInput.granularity() && o == defaultInput.origin();
    Double ub = upperBound != null ? upperBound : (defaultShape ? defaultInput.activationUpperBound() : null);
    return new InputSpec(g, o, dtype != null ? dtype : defaultInput.dtype(), b, ub);
  }
}
