package io.jquant.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the activation (input) scale spec that a {@link Quantized} class's format prescribes. Only the
 * members written take effect; an omitted member keeps the format's value (the defaults below are
 * placeholders the processor never reads). MAX's {@code InputScaleSpec}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface InputScale {
  /** Per tensor, per token ({@link ScaleGranularity#COLWISE}) or per block. */
  ScaleGranularity granularity() default ScaleGranularity.TENSOR;

  /** Static (calibrated {@code input_scale} in the checkpoint) or dynamic (computed per call). */
  ScaleOrigin origin() default ScaleOrigin.STATIC;

  /** The dtype of the scales. */
  DType dtype() default DType.FLOAT32;

  /** Block size {@code {rows, cols}} in elements, only for {@link ScaleGranularity#BLOCK}. */
  int[] block() default {};

  /** Upper bound on a dynamic activation scale's amax (FBGEMM's {@code activation_scale_ub}). */
  double activationUpperBound() default 0;
}
