package io.jquant.config;

import io.jquant.annotations.DType;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.rules.RuleId;
import io.jquant.annotations.rules.SpecMessages;
import io.jquant.annotations.rules.WeightSpec;
import java.util.Objects;

/**
 * How weights are scaled: MAX's {@code WeightScaleSpec}. For a weight {@code [N, K]},
 * {@link ScaleGranularity#ROWWISE} is one scale per output channel.
 *
 * <p>Like MAX's {@code __post_init__}, the constructor only insists that BLOCK comes with a block size;
 * whether the spec suits a format is for {@link QuantConfig.Builder#build()} to say.
 *
 * @param granularity how many values share a scale
 * @param dtype the dtype of the stored scale values
 * @param blockSize the block shape, required when BLOCK, else normally null
 */
public record WeightScaleSpec(ScaleGranularity granularity, DType dtype, BlockSize blockSize) {

  /** Checks what MAX's {@code __post_init__} checks, with the words of rule {@code Scales.BlockMissing}. */
  public WeightScaleSpec {
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(dtype, "dtype");
    if (granularity == ScaleGranularity.BLOCK && blockSize == null) {
      throw new IllegalArgumentException(
          SpecMessages.render(RuleId.SCALES_BLOCK_MISSING, SpecMessages.blockMissing("weight")));
    }
  }

  /** A spec without block size (TENSOR or ROWWISE scales). */
  public WeightScaleSpec(ScaleGranularity granularity, DType dtype) {
    this(granularity, dtype, null);
  }

  /** One scale for the whole weight. */
  public static WeightScaleSpec tensor(DType dtype) {
    return new WeightScaleSpec(ScaleGranularity.TENSOR, dtype);
  }

  /** One scale per output channel (a row of the {@code [N, K]} weight). */
  public static WeightScaleSpec rowwise(DType dtype) {
    return new WeightScaleSpec(ScaleGranularity.ROWWISE, dtype);
  }

  /** One scale per input column; MAX refuses it for weights, the value exists so a config can say so. */
  public static WeightScaleSpec colwise(DType dtype) {
    return new WeightScaleSpec(ScaleGranularity.COLWISE, dtype);
  }

  /** A BLOCK spec of {@code rows x cols} elements. */
  public static WeightScaleSpec block(DType dtype, int rows, int cols) {
    return new WeightScaleSpec(ScaleGranularity.BLOCK, dtype, new BlockSize(rows, cols));
  }

  /** Whether one scale covers the whole tensor. */
  public boolean isTensor() {
    return granularity == ScaleGranularity.TENSOR;
  }

  /** Whether one scale covers one output channel. */
  public boolean isRowwise() {
    return granularity == ScaleGranularity.ROWWISE;
  }

  /** Whether one scale covers one input column; MAX refuses this for weights. */
  public boolean isColwise() {
    return granularity == ScaleGranularity.COLWISE;
  }

  /** Whether one scale covers one {@link #blockSize()} block. */
  public boolean isBlock() {
    return granularity == ScaleGranularity.BLOCK;
  }

  /** This spec as the rule set sees it. */
  public WeightSpec toRuleSpec() {
    return new WeightSpec(granularity, dtype, blockSize == null ? null : blockSize.toList());
  }

  /** The spec {@code spec} describes, e.g. a format's default from {@code FormatProfile}. */
  public static WeightScaleSpec fromRuleSpec(WeightSpec spec) {
    return new WeightScaleSpec(spec.granularity(), spec.dtype(),
        spec.block() == null ? null : BlockSize.of(spec.block()));
  }
}
