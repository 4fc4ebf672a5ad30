package io.jquant.runtime.quant.activation;

/** Checks a static {@code input_scale} from a checkpoint. */
final class StaticScale {
  private StaticScale() {}

  /**
   * Refuses an input_scale that is not positive and finite, or whose reciprocal overflows (NVFP4 quantizes
   * with {@code 1/input_scale}).
   */
  static float check(float inputScale) {
    if (!(inputScale > 0.0f) || !Float.isFinite(inputScale) || Float.isInfinite(1.0f / inputScale)) {
      throw new IllegalArgumentException(
          "input_scale must be positive and finite with a finite reciprocal, got " + inputScale);
    }
    return inputScale;
  }
}
