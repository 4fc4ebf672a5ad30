package io.jquant.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a layer class (an MLP or an attention block) is quantized in {@link #format()} on the layers
 * listed in {@link #layers()}, all of its {@link Projection}s together, as MAX requires.
 *
 * <pre>{@code
 * @Quantized(format = QuantFormat.NVFP4, layers = {"0-13", "15"})
 * public final class LlamaMlp { ... }
 * }</pre>
 *
 * <p>The class must be listed in its model's {@link QuantizedModel#layerClasses()}. The processor checks the
 * declaration and reports each mistake on the value that is wrong.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Quantized {
  /**
   * The format; it prescribes the scale specs unless {@link InputScale} / {@link WeightScale} say otherwise.
   */
  QuantFormat format();

  /**
   * The quantized layers: each entry an index ({@code "7"}) or an inclusive range ({@code "0-15"}), below
   * {@link QuantizedModel#numLayers()}, none overlapping. Omitted: every layer of the model.
   */
  String[] layers() default {};

  /** MLP or attention; inferred from the projections when {@link Role#INFER}. */
  Role role() default Role.INFER;
}
