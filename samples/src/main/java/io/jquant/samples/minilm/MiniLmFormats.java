package io.jquant.samples.minilm;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.util.List;

/** The configurations the MiniLM sample runs: float32, the declared NVFP4, and every other format. */
public final class MiniLmFormats {
  private MiniLmFormats() {}

  /**
   * One configuration.
   *
   * @param label the table's name for it
   * @param config null for float32, else every attention and MLP layer quantized
   */
  public record Format(String label, QuantConfig config) {}

  /**
   * float32; NVFP4 as declared on {@link MiniLm}; MXFP4; MXFP8; FP8 with one weight scale per tensor and a
   * dynamic per-tensor activation scale (compressed-tensors); FP8 row-wise (FBGEMM: per-row weights,
   * per-token activations); block FP8 (128x128 weights, 1x128 activations); INT8 W8A8. Each non-declared
   * format starts from {@code QuantConfig.builder(format)}'s prescribed scales.
   */
  public static List<Format> all() {
    int layers = MiniLmQuantConfig.NUM_LAYERS;
    QuantConfig fp8Tensor = QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32))
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.DYNAMIC, DType.FLOAT32))
        .allLayers(layers)
        .build();
    return List.of(
        new Format("float32", null),
        new Format("NVFP4", MiniLmQuantConfig.config()),
        new Format("MXFP4", QuantConfig.builder(QuantFormat.MXFP4).allLayers(layers).build()),
        new Format("MXFP8", QuantConfig.builder(QuantFormat.MXFP8).allLayers(layers).build()),
        new Format("FP8 tensor", fp8Tensor),
        new Format("FP8 row", QuantConfig.builder(QuantFormat.FBGEMM_FP8).allLayers(layers).build()),
        new Format("FP8 block", QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8).allLayers(layers).build()),
        new Format("INT8 W8A8", QuantConfig.builder(QuantFormat.INT8_W8A8).allLayers(layers).build()));
  }
}
