package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.model.Calibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the serving engines' config parsers key on in a {@code jquant quantize} export, as the engine matrix
 * (tools/engine-matrix, docs/engine-matrix.md) re-implements them: the quant_method they dispatch on, the one
 * compressed-tensors group MAX reads, and exclusion lists that name every float projection by its exact
 * module name (vLLM's should_ignore_layer / is_layer_skipped and MAX's uniform-layer check compare names for
 * equality). The scheme fields themselves are pinned where the exports are written; this test keeps the
 * matrix from regressing silently on the keys its readers need.
 */
class ExportReaderKeysTest {
  /** quant_method values vLLM's or MAX's parse_quant_config dispatch on. */
  private static final Set<String> READER_METHODS = Set.of("compressed-tensors", "fp8", "fbgemm_fp8",
      "modelopt", "mxfp4", "mxfp8");
  private static final List<String> LIST_KEYS = List.of("ignore", "modules_to_not_convert");

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = { "nvfp4", "mxfp4", "mxfp8", "fp8-tensor", "fp8-channel", "fp8-block", "int8" })
  void theEnginesFindTheMethodTheGroupAndEveryFloatProjectionByName(String format) throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");

    List<String> args = new ArrayList<>(List.of("quantize", "--format", format));
    if (format.equals("nvfp4")) {
      // Its input scales are static: an amax of 1 for every projection (the values do not matter here).
      args.addAll(List.of("--calibration", uniformAmax(in).toString()));
    }
    // Layer 1's whole MLP stays float: a subtree both vLLM and MAX can express.
    args.addAll(List.of("--exclude", "model.layers.1.mlp", in.toString(), out.toString()));
    Fixtures.Run run = Fixtures.run(args.toArray(String[]::new));

    assertEquals(0, run.exit(), run.err());
    Set<String> quantized = new TreeSet<>();
    Set<String> floatProjections = new TreeSet<>();
    try (Checkpoint output = Checkpoint.open(out)) {
      for (String name : output.tensorNames()) {
        // MXFP4 stores its codes as weight_packed (compressed-tensors' pack-quantized form).
        if (name.endsWith("_proj.weight") || name.endsWith("_proj.weight_packed")) {
          String module = name.substring(0, name.lastIndexOf(".weight"));
          boolean hasScale = output.tensorNames().stream()
              .anyMatch(n -> n.startsWith(module + ".weight_scale"));
          (hasScale ? quantized : floatProjections).add(module);
        }
      }
    }
    assertEquals(Set.of("model.layers.1.mlp.down_proj", "model.layers.1.mlp.gate_proj",
        "model.layers.1.mlp.up_proj"), floatProjections);
    assertEquals(11, quantized.size(), quantized.toString());

    Map<?, ?> config = HfQuantConfigParser.readJson("config.json",
        Files.readString(out.resolve("config.json")));
    Map<?, ?> quantization = (Map<?, ?>) config.get("quantization_config");
    String method = (String) quantization.get("quant_method");
    assertTrue(READER_METHODS.contains(method), method);
    if (method.equals("compressed-tensors")) {
      Map<?, ?> groups = (Map<?, ?>) quantization.get("config_groups");
      assertEquals(Set.of("group_0"), groups.keySet(), "MAX reads config_groups.group_0 only");
      Map<?, ?> group = (Map<?, ?>) groups.get("group_0");
      assertEquals(List.of("Linear"), group.get("targets"));
      for (String key : List.of("weights", "input_activations")) {
        Map<?, ?> spec = (Map<?, ?>) group.get(key);
        if (spec != null) {
          assertTrue(spec.containsKey("strategy") && spec.containsKey("dynamic"), key + ": " + spec);
        }
      }
      assertTrue(quantization.get("format") instanceof String, String.valueOf(quantization));
    }

    List<List<?>> lists = new ArrayList<>();
    for (String key : LIST_KEYS) {
      if (quantization.get(key) instanceof List<?> list) {
        lists.add(list);
      }
    }
    if (Files.exists(out.resolve("hf_quant_config.json"))) {
      Map<?, ?> hfQuant = HfQuantConfigParser.readJson("hf_quant_config.json",
          Files.readString(out.resolve("hf_quant_config.json")));
      lists.add((List<?>) ((Map<?, ?>) hfQuant.get("quantization")).get("exclude_modules"));
    }
    assertFalse(lists.isEmpty(), "no exclusion list in " + quantization);
    for (List<?> list : lists) {
      assertTrue(list.containsAll(floatProjections), list + " lacks one of " + floatProjections);
      for (String module : quantized) {
        assertFalse(list.contains(module), module + " is quantized but listed in " + list);
      }
    }
  }

  private Path uniformAmax(Path checkpoint) throws IOException {
    Map<String, Float> amax = new TreeMap<>();
    try (Checkpoint input = Checkpoint.open(checkpoint)) {
      for (String name : input.tensorNames()) {
        if (name.endsWith("_proj.weight")) {
          amax.put(name.substring(0, name.length() - ".weight".length()), 1f);
        }
      }
    }
    Path file = tmp.resolve("amax.json");
    new Calibration(amax).write(file);
    return file;
  }
}
