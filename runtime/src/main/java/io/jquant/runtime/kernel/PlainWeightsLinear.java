package io.jquant.runtime.kernel;

/**
 * A {@link TwoPathLinear} over a weight without scales (FP32, BF16): the layer is its own
 * {@link StreamedWeights}, and only reading a row differs between the formats.
 */
abstract class PlainWeightsLinear extends TwoPathLinear implements StreamedWeights {
  PlainWeightsLinear(String name, int out, int in, float[] bias) {
    super(name, out, in, bias, InputActivations.weightOnly());
  }

  @Override
  final StreamedWeights weights() {
    return this;
  }

  @Override
  public final int rows() {
    return outFeatures();
  }

  @Override
  public final int cols() {
    return inFeatures();
  }

  @Override
  public final int gemvMaxRows() {
    return KernelPlan.current().floatGemvMaxRows();
  }
}
