package io.jquant.cli;

import io.jquant.config.QuantConfig;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantConfigWriter;
import io.jquant.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files around the tensors: {@code config.json} with or without its {@code quantization_config},
 * modelopt's {@code hf_quant_config.json}, and everything else in the input directory (tokenizer, generation
 * config, ...), copied as it is.
 */
final class ConfigFiles {
  private static final String CONFIG = HfQuantConfigParser.CONFIG_JSON;
  private static final String HF_QUANT = HfQuantConfigParser.HF_QUANT_CONFIG_JSON;

  private ConfigFiles() {}

  /**
   * Writes {@code config.json} (the input's, or an empty object when there is none) with {@code config}'s
   * {@code quantization_config} block, and for NVFP4 {@code hf_quant_config.json}.
   *
   * @param inputDir the input checkpoint directory, or null for a single input file
   */
  static void writeQuantized(Path inputDir, Path outDir, QuantConfig config, List<String> ignore)
      throws IOException {
    Map<String, Object> block = HfQuantConfigWriter.quantizationConfigBlock(config, ignore);
    String original = readConfig(inputDir);
    Files.writeString(outDir.resolve(CONFIG), HfQuantConfigWriter.updatedConfigJson(original, block));
    Map<String, Object> hfQuant = HfQuantConfigWriter.hfQuantConfig(config, ignore);
    if (hfQuant != null) {
      Files.writeString(outDir.resolve(HF_QUANT), HfQuantConfigWriter.toJson(hfQuant));
    }
  }

  /** Writes {@code config.json} without {@code quantization_config}, when the input has a config.json. */
  static void writeDequantized(Path inputDir, Path outDir) throws IOException {
    if (inputDir == null || !Files.isRegularFile(inputDir.resolve(CONFIG))) {
      return;
    }
    Map<String, Object> config = new LinkedHashMap<>(
        HfQuantConfigParser.readJson(inputDir.resolve(CONFIG).toString(), readConfig(inputDir)));
    config.remove("quantization_config");
    Files.writeString(outDir.resolve(CONFIG), HfQuantConfigWriter.toJson(config));
  }

  /** The input's config.json parsed, or an empty map. */
  static Map<String, Object> readConfigMap(Path inputDir) throws IOException {
    String text = readConfig(inputDir);
    return HfQuantConfigParser.readJson(inputDir == null ? CONFIG : inputDir.resolve(CONFIG).toString(),
        text);
  }

  private static String readConfig(Path inputDir) throws IOException {
    Path file = inputDir == null ? null : inputDir.resolve(CONFIG);
    return file != null && Files.isRegularFile(file) ? Files.readString(file) : "{}";
  }

  /**
   * Copies the regular files of {@code inputDir} that are not tensors, their index or the quantization
   * configs (tokenizer, generation config, chat template, ...); subdirectories are not copied.
   *
   * @return the names copied
   */
  static List<String> copyOthers(Path inputDir, Path outDir) throws IOException {
    List<String> copied = new ArrayList<>();
    if (inputDir == null) {
      return copied;
    }
    Set<String> owned = Set.of(CONFIG, HF_QUANT, Checkpoint.INDEX_FILE);
    try (Stream<Path> entries = Files.list(inputDir)) {
      for (Path file : entries.sorted().toList()) {
        String name = file.getFileName().toString();
        if (Files.isRegularFile(file) && !owned.contains(name) && !name.endsWith(".safetensors")) {
          Files.copy(file, outDir.resolve(name));
          copied.add(name);
        }
      }
    }
    return copied;
  }
}
