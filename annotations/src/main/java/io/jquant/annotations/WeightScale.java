package io.jquant.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the weight scale spec that a {@link Quantized} class's format prescribes. Only the members
 * written take effect; an omitted member keeps the format's value (the defaults below are placeholders the
 * processor never reads). MAX's {@code WeightScaleSpec}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface WeightScale {
  /** Per tensor, per output channel ({@link ScaleGranularity#ROWWISE}) or per block. */
  ScaleGranularity granularity() default ScaleGranularity.TENSOR;

  /** The dtype of the scales. */
  DType dtype() default DType.FLOAT32;

  /** Block size {@code {rows, cols}} in elements (logical elements, also for FP4), only for BLOCK. */
  int[] block() default {};
}
