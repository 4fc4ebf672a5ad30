package io.jquant.samples.minilm;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.quant.FormatPreset;
import java.util.ArrayList;
import java.util.List;

/**
 * The configurations the MiniLM sample runs: float32, then every {@link FormatPreset} on every attention and
 * MLP layer. On these float weights the NVFP4 preset runs as the declared {@link MiniLmQuantConfig} does (a
 * STATIC input spec without a calibrated {@code input_scale} takes its scale from each input, as the preset's
 * DYNAMIC one does), so its row stands for the declaration too.
 */
public final class MiniLmFormats {
  private MiniLmFormats() {}

  /**
   * One configuration.
   *
   * @param label the table's name for it: {@code float32} or the preset's display name
   * @param config null for float32, else every attention and MLP layer quantized
   */
  public record Format(String label, QuantConfig config) {}

  /** float32, then each preset in {@link FormatPreset}'s order. */
  public static List<Format> all() {
    List<Format> all = new ArrayList<>();
    all.add(new Format("float32", null));
    for (FormatPreset preset : FormatPreset.values()) {
      QuantConfig config = preset.builder().allLayers(MiniLmQuantConfig.NUM_LAYERS).build();
      all.add(new Format(preset.displayName(), config));
    }
    return List.copyOf(all);
  }
}
