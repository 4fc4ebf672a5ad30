package io.jquant.config;

/**
 * How many values share one scale along M (input rows, i.e. tokens), N (weight rows) and K (the contraction),
 * as MAX's {@code QuantConfig.scales_granularity_mnk} returns it. {@code -1} means the whole extent (one
 * scale for all of it); e.g. block-scaled FP8 is {@code (1, 128, 128)}, NVFP4 {@code (1, 1, 16)}, FBGEMM
 * {@code (1, 1, -1)}, tensor-wise FP8 {@code (-1, -1, -1)}.
 *
 * @param m input granularity along M: block rows, 1 for per-token (COLWISE), -1 for TENSOR
 * @param n weight granularity along N: block rows, 1 for per-channel (ROWWISE), -1 for TENSOR
 * @param k the granularity along K, which input and weight share
 */
public record ScalesGranularityMnk(int m, int n, int k) {

  /**
   * MAX's derivation, applied to two specs.
   *
   * @throws IllegalStateException for a ROWWISE input or COLWISE weight spec, which MAX refuses, or when the
   * two specs disagree on K (MAX's assertion); a built {@link QuantConfig} never does either
   */
  public static ScalesGranularityMnk of(InputScaleSpec input, WeightScaleSpec weight) {
    int mIn;
    int kIn;
    switch (input.granularity()) {
      case BLOCK -> {
        mIn = input.blockSize().rows();
        kIn = input.blockSize().cols();
      }
      case COLWISE -> { // one scale per token
        mIn = 1;
        kIn = -1;
      }
      case TENSOR -> {
        mIn = -1;
        kIn = -1;
      }
      default -> throw new IllegalStateException(
          "unsupported input scale granularity " + input.granularity() + " (one scale per token is COLWISE)");
    }
    int nW;
    int kW;
    switch (weight.granularity()) {
      case BLOCK -> {
        nW = weight.blockSize().rows();
        kW = weight.blockSize().cols();
      }
      case ROWWISE -> { // one scale per output channel
        nW = 1;
        kW = -1;
      }
      case TENSOR -> {
        nW = -1;
        kW = -1;
      }
      default -> throw new IllegalStateException(
          "unsupported weight scale granularity " + weight.granularity()
              + " (one scale per output channel is ROWWISE)");
    }
    if (kIn != kW) {
      throw new IllegalStateException(
          "k_input_granularity and k_weight_granularity must be the same, got input "
              + kIn + " and weight " + kW);
    }
    return new ScalesGranularityMnk(mIn, nW, kIn);
  }
}
