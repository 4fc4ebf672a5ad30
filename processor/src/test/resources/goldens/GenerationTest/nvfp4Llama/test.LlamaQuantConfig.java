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
 * The quantization declared on {@link Llama}, checked by jquant at compile time.
 *
 * <p>Generated from the annotations; do not edit.
 */
@Generated("io.jquant.processor.QuantizedProcessor")
public final class LlamaQuantConfig {
  /**
   * The model's name.
   */
  public static final String MODEL_NAME = "llama-3.2-1b";

  /**
   * The number of transformer layers.
   */
  public static final int NUM_LAYERS = 16;

  /**
   * Where layer {layer}'s tensors live in a checkpoint.
   */
  public static final String CHECKPOINT_PREFIX = "model.layers.{layer}";

  /**
   * The class-path resource with the config.json {@code quantization_config} block.
   */
  public static final String QUANTIZATION_CONFIG_RESOURCE =
      "/META-INF/jquant/test.Llama/quantization_config.json";

  /**
   * The class-path resource with modelopt's hf_quant_config.json.
   */
  public static final String HF_QUANT_CONFIG_RESOURCE =
      "/META-INF/jquant/test.Llama/hf_quant_config.json";

  private static final QuantConfig CONFIG = QuantConfig.builder(QuantFormat.NVFP4)
      .inputScale(InputScaleSpec.block(ScaleOrigin.STATIC, DType.FLOAT32, 1, 16))
      .weightScale(WeightScaleSpec.block(DType.FLOAT8_E4M3FN, 1, 16))
      .mlpQuantizedLayers(LayerRanges.of("0-13, 15"))
      .attnQuantizedLayers(LayerRanges.of("0-15"))
      .embeddingOutputDtype(DType.BFLOAT16)
      .build();

  private LlamaQuantConfig() {
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
