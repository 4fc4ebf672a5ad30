package io.jquant.config.hf;

import com.fasterxml.jackson.jr.ob.JSON;
import io.jquant.annotations.QuantFormat;
import io.jquant.config.MaxConfigs;
import io.jquant.config.fuzz.FuzzRun;
import io.jquant.config.fuzz.JsonText;
import io.jquant.config.fuzz.Mutator;
import io.jquant.config.fuzz.ScratchDir;
import io.jquant.config.tensor.StorageDType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of {@link HfQuantConfigParser}: the committed {@code hf/} fixtures' config.json and
 * hf_quant_config.json, mutated as JSON trees, JSON tokens and raw bytes, read with tensor lists that match
 * the config, belong to another format, or are themselves mutated (dtypes, shapes, names). Every case either
 * parses or throws an {@link IllegalArgumentException} whose message names the file and key
 * ({@code config.json: quantization_config.…: …}) or the tensor at fault.
 */
class HfQuantConfigFuzzTest {
  private static final List<String> FIXTURES = List.of("ct_fp8_block", "ct_fp8_dynamic", "ct_fp8_static",
      "ct_int8", "ct_nvfp4", "fbgemm", "fp8_block", "fp8_tensorwise", "gpt_oss_mxfp4",
      "modelopt_nvfp4_config", "modelopt_nvfp4_standalone", "quark_mxfp4", "unquantized");

  private record Seed(String name, String config, String hfQuant) {}

  private static final List<Seed> SEEDS = FIXTURES.stream().map(HfQuantConfigFuzzTest::seed).toList();

  private static final List<CheckpointTensors> TENSORS = tensorLists();

  @TempDir
  static Path dir;

  private static Seed seed(String name) {
    Path fixture = HfQuantConfigParserTest.fixture(name);
    try {
      Path hf = fixture.resolve(HfQuantConfigParser.HF_QUANT_CONFIG_JSON);
      return new Seed(name, Files.readString(fixture.resolve(HfQuantConfigParser.CONFIG_JSON)),
          Files.exists(hf) ? Files.readString(hf) : null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** No tensors, and each format's Llama tensors (with and without equal fused scalars). */
  private static List<CheckpointTensors> tensorLists() {
    List<CheckpointTensors> lists = new ArrayList<>();
    lists.add(CheckpointTensors.none());
    lists.add(CheckpointTensors.of(List.of()));
    for (QuantFormat format : QuantFormat.values()) {
      lists.add(FakeCheckpoint.of(MaxConfigs.forFormat(format), 4, true));
      lists.add(FakeCheckpoint.of(MaxConfigs.forFormat(format), 4, false));
    }
    return lists;
  }

  private static List<String> dictionary() {
    List<String> words = new ArrayList<>(List.of("quantization_config", "quant_method", "quant_algo",
        "config_groups", "group_0", "group_1", "targets", "weights", "input_activations", "num_bits", "type",
        "strategy", "group_size", "block_structure", "dynamic", "ignore", "exclude_modules",
        "modules_to_not_convert", "ignored_layers", "weight_block_size", "activation_scheme",
        "activation_scale_ub", "global_quant_config", "weight", "scale_format", "dtype", "producer", "name",
        "quantization", "num_hidden_layers", "text_config", "compressed-tensors", "fbgemm_fp8", "fp8", "gptq",
        "modelopt", "mxfp4", "quark", "NVFP4", "FP8", "float", "int", "tensor", "channel", "token", "group",
        "tensor_group", "block", "local", "static", "Linear", "fp4", "e8m0", "lm_head", "model.layers.0.mlp",
        "model.layers.1.self_attn.q_proj", "model.layers.*.self_attn", "*mlp*", "re:.*mlp.*", "re:(", "[",
        "[!]", "model.embed_tokens"));
    return words;
  }

  @Test
  void mutatedConfigTreesParseOrAreRefusedNamingTheKey() {
    FuzzRun.run("HfQuantConfigParser config.json tree", 0x4F_0001L, 6000, dictionary(), (m, input) -> {
      Seed seed = m.pick(SEEDS);
      String config = JsonText.write(m.mutateTree(JSON.std.anyFrom(seed.config())));
      String hfQuant = seed.hfQuant() != null && m.oneIn(3)
          ? JsonText.write(m.mutateTree(JSON.std.anyFrom(seed.hfQuant())))
          : seed.hfQuant();
      parseText(m, input, config, hfQuant, tensors(m));
    }, HfQuantConfigFuzzTest::oracle);
  }

  @Test
  void mutatedConfigTextParsesOrIsRefusedNamingTheKey() {
    FuzzRun.run("HfQuantConfigParser config.json text", 0x4F_0002L, 5000, dictionary(), (m, input) -> {
      Seed seed = m.pick(SEEDS);
      boolean hf = seed.hfQuant() != null && m.oneIn(3);
      String config = hf ? seed.config() : m.mutateJsonText(seed.config());
      String hfQuant = hf ? m.mutateJsonText(seed.hfQuant()) : seed.hfQuant();
      parseText(m, input, config, hfQuant, tensors(m));
    }, HfQuantConfigFuzzTest::oracle);
  }

  @Test
  void mutatedTensorListsParseOrAreRefusedNamingTheTensor() {
    FuzzRun.run("HfQuantConfigParser tensors", 0x4F_0003L, 4000, dictionary(), (m, input) -> {
      Seed seed = m.pick(SEEDS);
      CheckpointTensors tensors = mutateTensors(m, m.pick(TENSORS.subList(2, TENSORS.size())));
      parseText(m, input, seed.config(), seed.hfQuant(), tensors);
    }, HfQuantConfigFuzzTest::oracle);
  }

  @Test
  void mutatedConfigFilesParseOrAreRefusedNamingTheFile() {
    try (ScratchDir scratch = ScratchDir.create(dir)) {
      fuzzFiles(scratch.path().resolve("case"));
    }
  }

  private static void fuzzFiles(Path directory) {
    FuzzRun.run("HfQuantConfigParser files", 0x4F_0004L, 3000, dictionary(), (m, input) -> {
      Seed seed = m.pick(SEEDS);
      byte[] config = seed.config().getBytes(StandardCharsets.UTF_8);
      byte[] hfQuant = seed.hfQuant() == null ? null : seed.hfQuant().getBytes(StandardCharsets.UTF_8);
      if (hfQuant != null && m.oneIn(3)) {
        hfQuant = m.mutateBytes(hfQuant);
      } else {
        config = m.mutateBytes(config);
      }
      Files.createDirectories(directory);
      Files.write(directory.resolve(HfQuantConfigParser.CONFIG_JSON), config);
      Path hfFile = directory.resolve(HfQuantConfigParser.HF_QUANT_CONFIG_JSON);
      Files.deleteIfExists(hfFile);
      if (hfQuant != null) {
        Files.write(hfFile, hfQuant);
      }
      input.set(HfQuantConfigParser.CONFIG_JSON, hfQuant == null ? config : Mutator.concat(config, hfQuant));
      HfQuantConfigParser.parse(directory, 4, tensors(m));
    }, HfQuantConfigFuzzTest::oracle);
  }

  private static CheckpointTensors tensors(Mutator m) {
    return m.pick(TENSORS);
  }

  /** Parses the texts as the directory reader would, with config.json's layer count when it is usable. */
  private static void parseText(Mutator m, FuzzRun.Input input, String config, String hfQuant,
      CheckpointTensors tensors) {
    input.set(HfQuantConfigParser.CONFIG_JSON, (config + (hfQuant == null ? "" : "\n---\n" + hfQuant))
        .getBytes(StandardCharsets.UTF_8));
    Map<String, Object> configJson = HfQuantConfigParser.readJson(HfQuantConfigParser.CONFIG_JSON, config);
    Map<String, Object> hfJson = hfQuant == null ? null
        : HfQuantConfigParser.readJson(HfQuantConfigParser.HF_QUANT_CONFIG_JSON, hfQuant);
    // A mutated num_hidden_layers above the limit is refused here, naming config.json and the key.
    int layers = m.oneIn(4) ? 4 : HfQuantConfigParser.numHiddenLayers(configJson);
    HfQuantConfigParser.parse(configJson, hfJson, layers, tensors);
  }

  /** A tensor list with one to three tensors changed in dtype, shape or name, removed or added. */
  private static CheckpointTensors mutateTensors(Mutator m, CheckpointTensors base) {
    List<TensorInfo> tensors = new ArrayList<>(base.tensors());
    Map<String, Double> scalars = new HashMap<>();
    for (TensorInfo t : tensors) {
      base.scalar(t.name()).ifPresent(v -> scalars.put(t.name(), v));
    }
    int count = 1 + m.nextInt(3);
    for (int i = 0; i < count && !tensors.isEmpty(); i++) {
      int at = m.nextInt(tensors.size());
      TensorInfo t = tensors.get(at);
      switch (m.nextInt(6)) {
        case 0 -> tensors.set(at,
            new TensorInfo(t.name(), m.pick(Arrays.asList(StorageDType.values())), t.shape()));
        case 1 -> tensors.set(at, new TensorInfo(t.name(), t.dtype(), m.pick(List.of(List.of(), List.of(1L),
            List.of(0L), List.of(Long.MAX_VALUE, 2L), List.of(64L, 1L, 1L), List.of(64L, 3L)))));
        case 2 -> tensors.remove(at);
        case 3 -> scalars.put(t.name(),
            m.pick(List.of(Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, 3.0)));
        case 4 -> {
          String name = t.name().replace(m.pick(List.of("gate_proj", "weight_scale", "mlp", "layers.0", ".")),
              m.pick(List.of("up_proj", "weight_scale_2", "self_attn", "layers.99", "", "..")));
          if (tensors.stream().noneMatch(o -> o.name().equals(name))) {
            tensors.set(at, new TensorInfo(name, t.dtype(), t.shape()));
          }
        }
        default -> {
          String name = m.pick(List.of("model.layers.0.mlp.down_proj.weight_scale", "lm_head.weight",
              "model.embed_tokens.weight", "x.bias", "model.layers.0.mlp.gate_proj.weight_scale_2",
              "model.layers.2.mlp.up_proj.input_scale", "model.layers.0.self_attn.q_proj.bias"));
          if (tensors.stream().noneMatch(o -> o.name().equals(name))) {
            tensors.add(new TensorInfo(name, m.pick(Arrays.asList(StorageDType.values())), List.of(1L)));
          }
        }
      }
    }
    return CheckpointTensors.of(tensors, scalars);
  }

  /** An IllegalArgumentException naming a config file (and key) or a tensor; nothing else. */
  static String oracle(Throwable thrown, FuzzRun.Input input) {
    if (!(thrown instanceof IllegalArgumentException) || thrown.getMessage() == null) {
      return "not an IllegalArgumentException with a message";
    }
    String message = thrown.getMessage();
    if (message.startsWith(HfQuantConfigParser.CONFIG_JSON + ": ")
        || message.startsWith(HfQuantConfigParser.HF_QUANT_CONFIG_JSON + ": ")) {
      return null;
    }
    // With no config at all, a weight_scale_2 tensor makes the checkpoint NVFP4; the tensors are at fault.
    if (message.startsWith("tensors: ") && !input.text().contains("quantization")) {
      return null;
    }
    return "the message names neither config file: " + Mutator.shorten(message);
  }
}
