package io.jquant.samples.llama;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.QuantConfig;
import io.jquant.runtime.quant.FormatPreset;
import java.util.ArrayList;
import java.util.List;

/**
 * The configurations the sample runs stories260K in: float32, the declaration as written, and every
 * {@link FormatPreset} on the declaration's layers (every MLP, attention on layers 1 to 3), as
 * {@code jquant quantize --format} writes them.
 */
public final class LlamaFormats {
  /** No quantization: every projection float32. */
  public static final Format FLOAT32 = new Format("float32", null);
  /** {@link LlamaQuantConfig#config()} exactly as declared (NVFP4, static input scales). */
  public static final Format DECLARED = new Format("declared", LlamaQuantConfig.config());

  private LlamaFormats() {}

  /**
   * One configuration.
   *
   * @param name the name {@code --format} takes: {@code float32}, {@code declared} or a preset's option
   * @param config null for float32
   */
  public record Format(String name, QuantConfig config) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Float32, the declaration, then every preset. */
  public static List<Format> all() {
    List<Format> all = new ArrayList<>(List.of(FLOAT32, DECLARED));
    for (FormatPreset preset : FormatPreset.values()) {
      all.add(of(preset));
    }
    return List.copyOf(all);
  }

  /**
   * {@code preset} on the declaration's layers, gate and up fused wherever the format allows it (not MXFP4).
   */
  public static Format of(FormatPreset preset) {
    QuantConfig declared = LlamaQuantConfig.config();
    QuantConfig config = preset.builder()
        .mlpQuantizedLayers(declared.mlpQuantizedLayers())
        .attnQuantizedLayers(declared.attnQuantizedLayers())
        .canUseFusedMlp(preset.format() != QuantFormat.MXFP4)
        .build();
    return new Format(preset.option(), config);
  }

  /**
   * The configuration named {@code option} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the names when there is none
   */
  public static Format ofOption(String option) {
    List<Format> all = all();
    for (Format format : all) {
      if (format.name().equalsIgnoreCase(option)) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown format '" + option + "'; expected one of "
        + all.stream().map(Format::name).toList());
  }
}
