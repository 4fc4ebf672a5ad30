package io.jquant.runtime.model;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantConfigWriter;
import io.jquant.config.hf.ModuleNames;
import io.jquant.runtime.checkpoint.CheckpointQuantizer;
import io.jquant.runtime.checkpoint.CheckpointWriter;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes a model's float weights as a quantized checkpoint with static input scales from a
 * {@link Calibration}: every projection of the config's quantized layers (the layout's declared projection
 * names) quantized by the config's weight quantizer, followed by its {@code input_scale} (F32 {@code []},
 * {@link Calibration#inputScale(String, QuantFormat)} of the module's amax); every other tensor copied as it
 * is. As modelopt exports it, a fused group (q/k/v, gate/up: {@link FusedGroups}) shares the largest input
 * amax and, for NVFP4, the largest weight amax, so that engines can fuse it; {@code config.json} (the source
 * directory's own, or an empty object) with the config's {@code quantization_config}, and for NVFP4
 * modelopt's {@code hf_quant_config.json}. The result opens through the generated wiring
 * ({@link ModelWeights#open}) with the same config.
 */
public final class CalibratedCheckpoint {
  /** Shard size: one file for any model a sample calibrates; sharded beyond 5 GB as transformers does. */
  private static final long MAX_SHARD_BYTES = 5_000_000_000L;

  private CalibratedCheckpoint() {}

  /**
   * The modules a checkpoint of {@code config} quantizes: each projection of {@code names} on its quantized
   * MLP and attention layers, layer by layer.
   */
  public static Set<String> quantizedModules(QuantConfig config, ModuleNames names) {
    Set<String> modules = new LinkedHashSet<>();
    for (int layer : new TreeSet<>(config.mlpQuantizedLayers())) {
      names.mlp().forEach(p -> modules.add(names.module(layer, p)));
    }
    for (int layer : new TreeSet<>(config.attnQuantizedLayers())) {
      names.attention().forEach(p -> modules.add(names.module(layer, p)));
    }
    return modules;
  }

  /**
   * Writes {@code weights}' float tensors into {@code out} (created when missing) quantized as
   * {@code weights.config()} says, with input scales from {@code calibration}.
   *
   * @throws IllegalArgumentException when the config is missing or not STATIC; naming the module when the
   * calibration has no amax for a quantized module, or an amax for a module the checkpoint does not quantize;
   * naming the tensor when a quantized weight is missing or not a float matrix
   * @throws IOException when writing fails (the tensor files written so far are deleted)
   */
  public static void write(ModelWeights weights, Calibration calibration, Path out) throws IOException {
    QuantConfig config = weights.config().filter(QuantConfig::isStatic).orElseThrow(
        () -> new IllegalArgumentException(weights.source().description()
            + ": a calibrated checkpoint needs a QuantConfig with STATIC input scales"));
    TensorSource source = weights.source();
    ModelLayout layout = weights.layout();
    Set<String> modules = quantizedModules(config, layout.moduleNames());
    Set<String> unknown = new TreeSet<>(calibration.amax().keySet());
    unknown.removeAll(modules);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("calibration: amax for module(s) " + unknown + ", which "
          + source.description() + " under this config does not quantize");
    }
    Calibration fused = calibration.fused();
    Map<String, Float> inputScales = new LinkedHashMap<>();
    Set<String> quantize = new LinkedHashSet<>();
    for (String module : modules) {
      inputScales.put(module, fused.inputScale(module, config.format()));
      quantize.add(source.tensor(module + ".weight").name());
    }
    WeightQuantizer quantizer = WeightQuantizer.forConfig(config, InputQuantizers.MX_MODE);
    Map<String, Float> nvfp4Amax = config.format() != QuantFormat.NVFP4 ? Map.of()
        : FusedGroups.weightAmax(FusedGroups.of(modules), source::tensor, source.description());
    CheckpointWriter writer = CheckpointWriter.open(out, MAX_SHARD_BYTES);
    boolean done = false;
    try {
      CheckpointQuantizer.run(input(source), quantize, quantizer, inputScales, nvfp4Amax, writer, 1,
          (t, q) -> {});
      writer.close();
      done = true;
    } finally {
      if (!done) {
        writer.abort();
      }
    }
    List<String> ignore = HfQuantConfigWriter.ignoreList(config, layout.numLayers(), layout.moduleNames());
    Files.writeString(out.resolve(HfQuantConfigParser.CONFIG_JSON), HfQuantConfigWriter.updatedConfigJson(
        originalConfig(source), HfQuantConfigWriter.quantizationConfigBlock(config, ignore)),
        StandardCharsets.UTF_8);
    Map<String, Object> hfQuant = HfQuantConfigWriter.hfQuantConfig(config, ignore);
    if (hfQuant != null) {
      Files.writeString(out.resolve(HfQuantConfigParser.HF_QUANT_CONFIG_JSON),
          HfQuantConfigWriter.toJson(hfQuant), StandardCharsets.UTF_8);
    }
  }

  /** The source directory's config.json, or an empty object. */
  private static String originalConfig(TensorSource source) throws IOException {
    Optional<Path> file = source instanceof CheckpointSource checkpoint ? checkpoint.checkpoint().configJson()
        : Optional.empty();
    return file.isPresent() ? Files.readString(file.get(), StandardCharsets.UTF_8) : "{}";
  }

  private static CheckpointQuantizer.Input input(TensorSource source) {
    return new CheckpointQuantizer.Input() {
      @Override
      public List<String> tensorNames() {
        return source.tensorNames();
      }

      @Override
      public TensorView tensor(String name) {
        return source.tensor(name);
      }

      @Override
      public String fileOf(String name) {
        return source.description();
      }
    };
  }
}
