package io.jquant.samples.llama;

import io.jquant.config.hf.HfQuantConfigParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The hyper-parameters of a Hugging Face {@code LlamaForCausalLM}, read from its {@code config.json}.
 *
 * @param hidden {@code hidden_size}
 * @param intermediate {@code intermediate_size}, the MLP's hidden size
 * @param layers {@code num_hidden_layers}
 * @param heads {@code num_attention_heads}
 * @param kvHeads {@code num_key_value_heads}; each is shared by {@code heads / kvHeads} query heads
 * @param headDim {@code head_dim}, or {@code hidden / heads} when the file has none
 * @param vocab {@code vocab_size}
 * @param maxPositions {@code max_position_embeddings}, the KV cache's capacity
 * @param rmsNormEps {@code rms_norm_eps}
 * @param ropeTheta {@code rope_theta}
 */
public record LlamaConfig(int hidden, int intermediate, int layers, int heads, int kvHeads, int headDim,
    int vocab,
    int maxPositions, float rmsNormEps, double ropeTheta) {
  public LlamaConfig {
    if (hidden < 1 || intermediate < 1 || layers < 1 || heads < 1 || kvHeads < 1 || headDim < 2 || vocab < 1
        || maxPositions < 1) {
      throw new IllegalArgumentException("sizes must be positive: " + this);
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException(
          heads + " attention heads cannot share " + kvHeads + " key/value heads");
    }
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("RoPE rotates halves; head_dim " + headDim + " is odd");
    }
  }

  /**
   * Reads {@code directory/config.json}.
   *
   * @throws IllegalArgumentException naming the file and key when a value is missing or of the wrong type, or
   * the file describes a model this sample does not run (not a tied-embedding Llama without biases, RoPE
   * scaling or another activation than SiLU)
   */
  public static LlamaConfig read(Path directory) throws IOException {
    Path file = directory.resolve("config.json");
    Map<String, Object> json = HfQuantConfigParser.readJson(file.toString(), Files.readString(file));
    Keys keys = new Keys(file, json);
    keys.require("hidden_act", "silu");
    keys.require("tie_word_embeddings", Boolean.TRUE);
    keys.requireAbsentOrEqual("attention_bias", Boolean.FALSE);
    keys.requireAbsentOrEqual("mlp_bias", Boolean.FALSE);
    keys.requireAbsentOrEqual("rope_scaling", null);
    int hidden = keys.integer("hidden_size");
    int heads = keys.integer("num_attention_heads");
    return new LlamaConfig(hidden, keys.integer("intermediate_size"), keys.integer("num_hidden_layers"),
        heads,
        json.containsKey("num_key_value_heads") ? keys.integer("num_key_value_heads") : heads,
        json.get("head_dim") != null ? keys.integer("head_dim") : hidden / heads, keys.integer("vocab_size"),
        keys.integer("max_position_embeddings"), (float) keys.number("rms_norm_eps"),
        json.containsKey("rope_theta") ? keys.number("rope_theta") : 10000.0);
  }

  /** {@code heads · headDim}, the width of the query and of the attention output. */
  public int qWidth() {
    return heads * headDim;
  }

  /** {@code kvHeads · headDim}, the width of a key or a value. */
  public int kvWidth() {
    return kvHeads * headDim;
  }

  /** Typed reads with errors naming the file and key. */
  private record Keys(Path file, Map<String, Object> json) {
    int integer(String key) {
      Object value = json.get(key);
      if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
          && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
        return n.intValue();
      }
      throw new IllegalArgumentException(file + ": " + key + " must be an integer, got " + value);
    }

    double number(String key) {
      if (json.get(key) instanceof Number n) {
        return n.doubleValue();
      }
      throw new IllegalArgumentException(file + ": " + key + " must be a number, got " + json.get(key));
    }

    void require(String key, Object expected) {
      if (!expected.equals(json.get(key))) {
        throw new IllegalArgumentException(
            file + ": " + key + " is " + json.get(key) + "; this Llama sample runs "
                + key + " " + expected);
      }
    }

    void requireAbsentOrEqual(String key, Object expected) {
      Object value = json.get(key);
      if (value != null && !value.equals(expected)) {
        throw new IllegalArgumentException(file + ": " + key + " is " + value + "; this Llama sample runs "
            + key + " " + expected);
      }
    }
  }
}
