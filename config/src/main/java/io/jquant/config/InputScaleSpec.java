package io.jquant.config;

import io.jquant.annotations.DType;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.annotations.rules.InputSpec;
import io.jquant.annotations.rules.RuleId;
import io.jquant.annotations.rules.SpecMessages;
import java.util.Objects;

/**
 * How input activations are scaled: MAX's {@code InputScaleSpec}. For activations {@code [M, K]}, one scale
 * per token is {@link ScaleGranularity#COLWISE} (MAX's naming).
 *
 * <p>Like MAX's {@code __post_init__}, the constructor only insists that BLOCK comes with a block size;
 * whether the spec suits a format is for {@link QuantConfig.Builder#build()} to say.
 *
 * @param granularity how many values share a scale
 * @param origin static (calibrated, loaded with the weights) or dynamic (computed per input)
 * @param dtype the dtype of the scale values
 * @param activationScaleUb upper bound on a dynamic activation's absmax (FBGEMM's {@code scale_ub}), or null
 * @param blockSize the block shape, required when BLOCK, else normally null
 */
public record InputScaleSpec(
    ScaleGranularity granularity,
    ScaleOrigin origin,
    DType dtype,
    Double activationScaleUb,
    BlockSize blockSize) {

  /** Checks what MAX's {@code __post_init__} checks, with the words of rule {@code Scales.BlockMissing}. */
  public InputScaleSpec {
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(dtype, "dtype");
    if (granularity == ScaleGranularity.BLOCK && blockSize == null) {
      throw new IllegalArgumentException(
          SpecMessages.render(RuleId.SCALES_BLOCK_MISSING, SpecMessages.blockMissing("input")));
    }
  }

  /** A spec without upper bound or block size (TENSOR or COLWISE scales). */
  public InputScaleSpec(ScaleGranularity granularity, ScaleOrigin origin, DType dtype) {
    this(granularity, origin, dtype, null, null);
  }

  /** One scale for the whole input tensor. */
  public static InputScaleSpec tensor(ScaleOrigin origin, DType dtype) {
    return new InputScaleSpec(ScaleGranularity.TENSOR, origin, dtype);
  }

  /** One scale per token (MAX's COLWISE for activations {@code [M, K]}). */
  public static InputScaleSpec colwise(ScaleOrigin origin, DType dtype) {
    return new InputScaleSpec(ScaleGranularity.COLWISE, origin, dtype);
  }

  /** One scale per row of the input; MAX refuses it for inputs, the value exists so a config can say so. */
  public static InputScaleSpec rowwise(ScaleOrigin origin, DType dtype) {
    return new InputScaleSpec(ScaleGranularity.ROWWISE, origin, dtype);
  }

  /** This spec with {@code bound} as the upper bound on a dynamic activation's absmax (FBGEMM's scale_ub). */
  public InputScaleSpec withActivationScaleUb(double bound) {
    return new InputScaleSpec(granularity, origin, dtype, bound, blockSize);
  }

  /** A BLOCK spec of {@code rows x cols} elements. */
  public static InputScaleSpec block(ScaleOrigin origin, DType dtype, int rows, int cols) {
    return new InputScaleSpec(ScaleGranularity.BLOCK, origin, dtype, null, new BlockSize(rows, cols));
  }

  /** Whether one scale covers the whole tensor. */
  public boolean isTensor() {
    return granularity == ScaleGranularity.TENSOR;
  }

  /** Whether one scale covers one row; MAX refuses this for inputs. */
  public boolean isRowwise() {
    return granularity == ScaleGranularity.ROWWISE;
  }

  /** Whether one scale covers one token (MAX calls per token COLWISE). */
  public boolean isColwise() {
    return granularity == ScaleGranularity.COLWISE;
  }

  /** Whether one scale covers one {@link #blockSize()} block. */
  public boolean isBlock() {
    return granularity == ScaleGranularity.BLOCK;
  }

  /** This spec as the rule set sees it. */
  public InputSpec toRuleSpec() {
    return new InputSpec(granularity, origin, dtype, blockSize == null ? null : blockSize.toList(),
        activationScaleUb);
  }

  /** The spec {@code spec} describes, e.g. a format's default from {@code FormatProfile}. */
  public static InputScaleSpec fromRuleSpec(InputSpec spec) {
    return new InputScaleSpec(spec.granularity(), spec.origin(), spec.dtype(), spec.activationUpperBound(),
        spec.block() == null ? null : BlockSize.of(spec.block()));
  }
}
