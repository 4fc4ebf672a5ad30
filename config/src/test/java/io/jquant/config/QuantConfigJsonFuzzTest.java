package io.jquant.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.fuzz.FuzzRun;
import io.jquant.config.fuzz.JsonText;
import io.jquant.config.fuzz.Mutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of {@link QuantConfig#fromJson}: every mutated config either parses (and then writes back
 * to JSON that reads as the same config) or is refused with an {@link IllegalArgumentException} whose message
 * names the key path, says the JSON is malformed, or lists the broken config rules.
 */
class QuantConfigJsonFuzzTest {
  private static final List<String> CONFIG_KEYS = List.of("input_scale", "weight_scale",
      "mlp_quantized_layers", "attn_quantized_layers", "format", "embedding_output_dtype",
      "shared_experts_weight_dtype", "bias_dtype", "can_use_fused_mlp", "can_use_fused_swiglu",
      "scales_pre_interleaved", "block_scaled_preshuffled_b");

  private static final List<String> SEEDS = Arrays.stream(QuantFormat.values())
      .map(f -> MaxConfigs.forFormat(f).toJson()).toList();

  private static List<String> dictionary() {
    List<String> words = new ArrayList<>(CONFIG_KEYS);
    words.addAll(List.of("granularity", "origin", "dtype", "activation_scale_ub", "block_size"));
    Arrays.stream(QuantFormat.values()).forEach(f -> words.add(f.wireName()));
    Arrays.stream(DType.values()).forEach(d -> words.add(d.wireName()));
    Arrays.stream(ScaleGranularity.values()).forEach(g -> words.add(g.wireName()));
    Arrays.stream(ScaleOrigin.values()).forEach(o -> words.add(o.wireName()));
    return words;
  }

  @Test
  void mutatedTreesParseOrAreRefusedWithTheKeyPath() {
    FuzzRun.run("QuantConfig.fromJson tree", 0x51CF_0001L, 5000, dictionary(), (m, input) -> {
      String json = JsonText.write(m.mutateTree(tree(m.pick(SEEDS))));
      read(json, input);
    }, QuantConfigJsonFuzzTest::oracle);
  }

  @Test
  void mutatedTextParsesOrIsRefusedWithTheKeyPath() {
    FuzzRun.run("QuantConfig.fromJson text", 0x51CF_0002L, 5000, dictionary(), (m, input) -> {
      String seed = m.pick(SEEDS);
      String json = m.oneIn(4)
          ? new String(m.mutateBytes(seed.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)
          : m.mutateJsonText(seed);
      read(json, input);
    }, QuantConfigJsonFuzzTest::oracle);
  }

  private static Object tree(String json) throws IOException {
    return JSON.std.anyFrom(json);
  }

  /** Reads {@code json}; what parses must write back to JSON that reads as the same config. */
  private static void read(String json, FuzzRun.Input input) {
    input.set("QuantConfig JSON", json.getBytes(StandardCharsets.UTF_8));
    QuantConfig config = QuantConfig.fromJson(json);
    assertEquals(config, QuantConfig.fromJson(config.toJson()), "a parsed config must survive a round trip");
  }

  /** Refusals name a key path ({@code input_scale.block_size[1]: ...}), malformed JSON or broken rules. */
  static String oracle(Throwable thrown, FuzzRun.Input input) {
    if (!(thrown instanceof IllegalArgumentException) || thrown.getMessage() == null) {
      return "not an IllegalArgumentException with a message";
    }
    String message = thrown.getMessage();
    if (message.startsWith("not valid JSON: ") || message.startsWith("$: ")
        || message.startsWith("invalid QuantConfig:\n[jquant:")
        || message.matches("[^\n]*: unknown key; expected one of [^\n]*")) {
      return null;
    }
    for (String key : CONFIG_KEYS) {
      if (message.startsWith(key + ": ") || message.startsWith(key + ".") || message.startsWith(key + "[")) {
        return null;
      }
    }
    return "the message names no key path: " + Mutator.shorten(message);
  }
}
