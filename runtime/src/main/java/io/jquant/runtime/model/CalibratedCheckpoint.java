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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

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
   * {@code weights.config()} says, with input scales from {@code calibration}. {@code out} must not exist or
   * be an empty directory; it appears only once everything was written.
   *
   * @throws IllegalArgumentException when the config is missing or not STATIC; naming the module when the
   * calibration has no amax for a quantized module, or an amax for a module the checkpoint does not quantize;
   * naming the tensor when a quantized weight is missing or not a float matrix (or not finite); naming
   * {@code out} when it exists and is not an empty directory
   * @throws IOException when writing fails (nothing is left at {@code out}: the checkpoint is written beside
   * it and takes its name when complete)
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
    Map<String, Float> nvfp4Amax = FusedGroups.nvfp4WeightAmax(config.format(), modules, source::tensor,
        source.description());
    Path target = out.toAbsolutePath().normalize();
    requireNewOrEmpty(target);
    Files.createDirectories(target.getParent());
    // Everything is written into a sibling directory that takes out's name only when complete: a failure
    // (a non-finite weight, a full disk) leaves no half-written checkpoint behind.
    Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
    boolean done = false;
    try {
      CheckpointWriter writer = CheckpointWriter.open(staging, MAX_SHARD_BYTES);
      boolean written = false;
      try {
        CheckpointQuantizer.run(input(source), quantize, quantizer, inputScales, nvfp4Amax, writer, 1,
            (t, q) -> {});
        writer.close();
        written = true;
      } finally {
        if (!written) {
          writer.abort();
        }
      }
      writeConfigs(staging, config, layout, originalConfig(source));
      Files.deleteIfExists(target); // an empty directory, checked above
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      done = true;
    } finally {
      if (!done) {
        deleteTree(staging);
      }
    }
  }

  private static void writeConfigs(Path dir, QuantConfig config, ModelLayout layout, String originalConfig)
      throws IOException {
    List<String> ignore = HfQuantConfigWriter.ignoreList(config, layout.numLayers(), layout.moduleNames());
    Files.writeString(dir.resolve(HfQuantConfigParser.CONFIG_JSON), HfQuantConfigWriter.updatedConfigJson(
        originalConfig, HfQuantConfigWriter.quantizationConfigBlock(config, ignore)), StandardCharsets.UTF_8);
    Map<String, Object> hfQuant = HfQuantConfigWriter.hfQuantConfig(config, ignore);
    if (hfQuant != null) {
      Files.writeString(dir.resolve(HfQuantConfigParser.HF_QUANT_CONFIG_JSON),
          HfQuantConfigWriter.toJson(hfQuant), StandardCharsets.UTF_8);
    }
  }

  private static void requireNewOrEmpty(Path target) throws IOException {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(target + ": exists and is not a directory; a calibrated checkpoint"
          + " is written into a new or empty directory");
    }
    try (Stream<Path> entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException(
            target + ": is not empty; a calibrated checkpoint is written into a"
                + " new or empty directory");
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
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
