package test;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.annotations.rules.LayerRanges;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import javax.annotation.processing.Generated;

/**
 * The quantization declared on {@link Outer.Llama}, checked by jquant at compile time.
 *
 * <p>Generated from the annotations; do not edit.
 */
@Generated("io.jquant.processor.QuantizedProcessor")
public final class Outer_LlamaQuantConfig {
  /**
   * The model's name.
   */
  public static final String MODEL_NAME = "deepseek-mini";

  /**
   * The number of transformer layers.
   */
  public static final int NUM_LAYERS = 4;

  /**
   * Where layer {layer}'s tensors live in a checkpoint.
   */
  public static final String CHECKPOINT_PREFIX = "model.decoder.{layer}";

  /**
   * The class-path resource with the config.json {@code quantization_config} block.
   */
  public static final String QUANTIZATION_CONFIG_RESOURCE =
      "/META-INF/jquant/test.Outer_Llama/quantization_config.json";

  private static final QuantConfig CONFIG = QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8)
      .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 128))
      .weightScale(WeightScaleSpec.block(DType.FLOAT32, 128, 128))
      .mlpQuantizedLayers(LayerRanges.of("1-3"))
      .attnQuantizedLayers(LayerRanges.of(""))
      .build();

  private Outer_LlamaQuantConfig() {
  }

  /**
   * The validated configuration.
   */
  public static QuantConfig config() {
    return CONFIG;
  }

  /**
   * A builder pre-filled with {@link #config()}; its {@code build()} checks again.
   */
  public static QuantConfig.Builder builder() {
    return CONFIG.toBuilder();
  }
}
