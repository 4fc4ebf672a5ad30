package io.jquant.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a constructor parameter or field of a {@link Quantized} layer class as one of its projections (a
 * Linear layer), named as in the checkpoint relative to the layer's prefix.
 *
 * <pre>{@code
 * LlamaMlp(@Projection("mlp.gate_proj") Linear gate, @Projection("mlp.up_proj") Linear up,
 *          @Projection("mlp.down_proj") Linear down)
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ ElementType.PARAMETER, ElementType.FIELD })
public @interface Projection {
  /**
   * The checkpoint name below the layer prefix, e.g. {@code "mlp.gate_proj"} or
   * {@code "attention.self.query"}.
   */
  String value();

  /**
   * Which projection this is; inferred from the name's last segment ({@code gate_proj}, {@code q_proj}, ...).
   */
  ProjectionKind kind() default ProjectionKind.INFER;
}
