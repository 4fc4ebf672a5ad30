package io.jquant.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a quantized model: its layer count, where a layer's tensors live in the checkpoint, its
 * {@link Quantized} layer classes, and the model-wide fields of MAX's {@code QuantConfig}.
 *
 * <pre>{@code
 * @QuantizedModel(name = "llama-3.2-1b", numLayers = 16,
 *     layerClasses = {LlamaAttention.class, LlamaMlp.class})
 * public final class Llama { ... }
 * }</pre>
 *
 * <p>The processor writes {@code LlamaQuantConfig} next to it, with the validated {@code QuantConfig}.
 *
 * <p>{@link #embeddingOutputDtype()} and {@link #biasDtype()} take effect only when written: omitted, they
 * stay unset ({@code None} in MAX's {@code QuantConfig}). Their defaults are placeholders that Java needs (a
 * member cannot default to null) and the processor never reads, as on {@link WeightScale}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface QuantizedModel {
  /** The model's name, e.g. {@code "llama-3.2-1b"}. */
  String name();

  /** The number of transformer layers ({@code num_hidden_layers}). */
  int numLayers();

  /** Where layer {@code {layer}}'s tensors live in the checkpoint. */
  String checkpointPrefix() default "model.layers.{layer}";

  /** The {@link Quantized} layer classes: at most one MLP and one attention class claim each layer. */
  Class<?>[] layerClasses();

  /**
   * The dtype of the embedding output ({@code embedding_output_dtype}). Read only when written: omitted, it
   * is unset as in MAX, not the placeholder default.
   */
  DType embeddingOutputDtype() default DType.BFLOAT16;

  /**
   * The dtype biases are stored and added in ({@code bias_dtype}). Read only when written: omitted, it is
   * unset as in MAX, not the placeholder default.
   */
  DType biasDtype() default DType.FLOAT32;

  /**
   * Run gate and up as one fused matmul ({@code can_use_fused_mlp}); only where the format's scales allow.
   */
  boolean fusedMlp() default false;

  /** The checkpoint's weight scales are already in the 128x4 interleaved layout (NVFP4 only). */
  boolean scalesPreInterleaved() default false;
}
