package io.jquant.runtime.quant;

/**
 * What an NVFP4 weight's per-tensor float32 scale means (docs/FORMATS.md §2.2, §4.6): the two producers of
 * real checkpoints store reciprocal values under different names.
 */
public enum Nvfp4GlobalScale {
  /**
   * modelopt's {@code weight_scale_2 = amax/(6·448)}, multiplied: a value is {@code E2M1 · fp8 · global}.
   * Next to {@code weight} (packed U8), {@code weight_scale} (F8_E4M3) and {@code weight_scale_2} (F32
   * {@code []}).
   */
  MULTIPLIER("weight", "weight_scale_2"),
  /**
   * compressed-tensors' {@code weight_global_scale = 448·6/amax}, a divisor: a value is
   * {@code E2M1 · (fp8 / global)}. Next to {@code weight_packed} (U8), {@code weight_scale} (F8_E4M3) and
   * {@code weight_global_scale} (F32 {@code [1]}).
   */
  DIVISOR("weight_packed", "weight_global_scale");

  private final String dataTensor;
  private final String globalTensor;

  Nvfp4GlobalScale(String dataTensor, String globalTensor) {
    this.dataTensor = dataTensor;
    this.globalTensor = globalTensor;
  }

  /** The name of the packed-element tensor in this convention's checkpoints. */
  public String dataTensor() {
    return dataTensor;
  }

  /** The name of the per-tensor scale in this convention's checkpoints. */
  public String globalTensor() {
    return globalTensor;
  }
}
