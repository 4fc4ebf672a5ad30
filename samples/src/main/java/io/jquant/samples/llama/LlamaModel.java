package io.jquant.samples.llama;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.Fp32Linear;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.ModelWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Hugging Face's {@code LlamaForCausalLM} forward pass in float32, around the attention and MLP layers the
 * declaration quantizes: embedding lookup, per layer {@code h += attn(norm(h))}, {@code h += mlp(norm(h))}, a
 * final RMSNorm and the classifier tied to the embedding ({@code logits = h · Eᵀ}).
 */
public final class LlamaModel {
  /** Rounds an embedding lookup's output in place, as the config's {@code embedding_output_dtype} says. */
  @FunctionalInterface
  interface EmbeddingRounding {
    void round(float[] values, int from, int to);
  }

  static final String EMBEDDING = "model.embed_tokens.weight";
  static final String FINAL_NORM = "model.norm.weight";

  private final LlamaConfig config;
  private final float[] embedding;
  private final EmbeddingRounding rounding;
  private final List<LlamaAttention> attention;
  private final List<LlamaMlp> mlp;
  private final List<float[]> attentionNorms;
  private final List<float[]> mlpNorms;
  private final float[] finalNorm;
  private final Linear lmHead;
  private final RotaryEmbedding rope;

  LlamaModel(LlamaConfig config, float[] embedding, EmbeddingRounding rounding,
      List<LlamaAttention> attention,
      List<LlamaMlp> mlp, List<float[]> attentionNorms, List<float[]> mlpNorms, float[] finalNorm) {
    this.config = Objects.requireNonNull(config, "config");
    int layers = config.layers();
    if (attention.size() != layers || mlp.size() != layers || attentionNorms.size() != layers
        || mlpNorms.size() != layers) {
      throw new IllegalArgumentException("config has " + layers + " layers, got " + attention.size()
          + " attention, " + mlp.size() + " MLP, " + attentionNorms.size() + " + " + mlpNorms.size()
          + " norms");
    }
    requireLength(EMBEDDING, embedding, (long) config.vocab() * config.hidden());
    requireLength(FINAL_NORM, finalNorm, config.hidden());
    for (int i = 0; i < layers; i++) {
      requireLength("layer " + i + " input_layernorm", attentionNorms.get(i), config.hidden());
      requireLength("layer " + i + " post_attention_layernorm", mlpNorms.get(i), config.hidden());
    }
    this.embedding = embedding;
    this.rounding = Objects.requireNonNull(rounding, "rounding");
    this.attention = List.copyOf(attention);
    this.mlp = List.copyOf(mlp);
    this.attentionNorms = List.copyOf(attentionNorms);
    this.mlpNorms = List.copyOf(mlpNorms);
    this.finalNorm = finalNorm;
    this.lmHead = new Fp32Linear("lm_head", embedding, null, config.vocab(), config.hidden());
    this.rope = new RotaryEmbedding(config.headDim(), config.maxPositions(), config.ropeTheta());
  }

  /**
   * Builds the model from {@code weights}: each layer's projections as {@code weights.config()} says (its
   * format's kernel on a quantized layer, float32 elsewhere), gate and up fused when the config allows it,
   * the norms and the embedding widened to float32.
   */
  public static LlamaModel load(ModelWeights weights, LlamaConfig config) {
    boolean fuse = weights.config().map(QuantConfig::canUseFusedMlp).orElse(false);
    List<LlamaAttention> attention = new ArrayList<>();
    List<LlamaMlp> mlp = new ArrayList<>();
    List<float[]> attentionNorms = new ArrayList<>();
    List<float[]> mlpNorms = new ArrayList<>();
    LlamaWiring.Layers layers = LlamaWiring.layers(weights);
    for (int i = 0; i < config.layers(); i++) {
      attention.add(layers.llamaAttention().get(i));
      LlamaMlp layerMlp = layers.llamaMlp().get(i);
      mlp.add(fuse ? layerMlp.fused() : layerMlp);
      String prefix = weights.layout().layerPrefix(i) + ".";
      attentionNorms.add(weights.floats(prefix + "input_layernorm.weight"));
      mlpNorms.add(weights.floats(prefix + "post_attention_layernorm.weight"));
    }
    return new LlamaModel(config, weights.floats(EMBEDDING), weights::roundEmbeddingOutput, attention, mlp,
        attentionNorms, mlpNorms, weights.floats(FINAL_NORM));
  }

  private static void requireLength(String what, float[] values, long expected) {
    if (values.length != expected) {
      throw new IllegalArgumentException(what + " has " + values.length + " values, expected " + expected);
    }
  }

  /** The hyper-parameters. */
  public LlamaConfig config() {
    return config;
  }

  /** The attention layers. */
  public List<LlamaAttention> attention() {
    return attention;
  }

  /** The MLP layers. */
  public List<LlamaMlp> mlp() {
    return mlp;
  }

  /** The bytes of the attention and MLP projection weights as their kernels hold them (scales included). */
  public long projectionWeightBytes() {
    long bytes = 0;
    for (LlamaAttention layer : attention) {
      bytes += layer.q().weightBytes() + layer.k().weightBytes() + layer.v().weightBytes()
          + layer.o().weightBytes();
    }
    for (LlamaMlp layer : mlp) {
      bytes += layer.gate().weightBytes() + layer.up().weightBytes() + layer.down().weightBytes();
    }
    return bytes;
  }

  /** A cache for up to {@code capacity} positions. */
  public KvCache newCache(int capacity) {
    return new KvCache(config, capacity);
  }

  /**
   * Runs {@code tokens} at the positions after those {@code cache} holds, adds them to the cache and returns
   * the logits of every new position, {@code [tokens.length, vocab]}.
   *
   * @throws IllegalArgumentException for a token id outside the vocabulary or a cache without room
   */
  public float[] forward(int[] tokens, KvCache cache, KernelThreads threads) {
    int rows = tokens.length;
    int hidden = config.hidden();
    cache.requireRoom(rows);
    float[] h = new float[rows * hidden];
    for (int r = 0; r < rows; r++) {
      int token = tokens[r];
      if (token < 0 || token >= config.vocab()) {
        throw new IllegalArgumentException(
            "token " + token + " at index " + r + " is outside the vocabulary of "
                + config.vocab());
      }
      System.arraycopy(embedding, token * hidden, h, r * hidden, hidden);
    }
    rounding.round(h, 0, h.length);
    float[] normed = new float[rows * hidden];
    float[] delta = new float[rows * hidden];
    for (int i = 0; i < config.layers(); i++) {
      RmsNorm.apply(h, normed, rows, attentionNorms.get(i), config.rmsNormEps());
      attention.get(i).forward(config, rope, cache, i, normed, delta, rows, threads);
      add(h, delta);
      RmsNorm.apply(h, normed, rows, mlpNorms.get(i), config.rmsNormEps());
      mlp.get(i).forward(normed, delta, rows, threads);
      add(h, delta);
    }
    cache.advance(rows);
    RmsNorm.apply(h, normed, rows, finalNorm, config.rmsNormEps());
    float[] logits = new float[rows * config.vocab()];
    lmHead.forward(normed, logits, rows, threads);
    return logits;
  }

  /** The logits at every position of {@code tokens}, from an empty cache. */
  public float[] logits(int[] tokens, KernelThreads threads) {
    return forward(tokens, newCache(tokens.length), threads);
  }

  /**
   * {@code n} tokens chosen greedily (the first largest logit, as torch's argmax) after {@code prompt}: the
   * prompt runs in one step, then one token per step through the KV cache. EOS is not treated specially.
   */
  public int[] generate(int[] prompt, int n, KernelThreads threads) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("generation needs a prompt of at least one token (BOS)");
    }
    if (n < 0) {
      throw new IllegalArgumentException("cannot generate " + n + " tokens");
    }
    KvCache cache = newCache(Math.min(config.maxPositions(), prompt.length + n));
    int vocab = config.vocab();
    int[] generated = new int[n];
    float[] logits = forward(prompt, cache, threads);
    int offset = (prompt.length - 1) * vocab;
    for (int i = 0; i < n; i++) {
      generated[i] = argmax(logits, offset, vocab);
      if (i + 1 < n) {
        logits = forward(new int[] { generated[i] }, cache, threads);
        offset = 0;
      }
    }
    return generated;
  }

  /** The index, relative to {@code offset}, of the first largest of {@code n} values. */
  public static int argmax(float[] values, int offset, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (values[offset + i] > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }

  private static void add(float[] h, float[] delta) {
    for (int i = 0; i < h.length; i++) {
      h[i] += delta[i];
    }
  }
}
