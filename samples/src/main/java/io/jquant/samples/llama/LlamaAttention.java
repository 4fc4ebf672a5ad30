package io.jquant.samples.llama;

import io.jquant.annotations.Projection;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Quantized;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelThreads;

/**
 * Llama's self-attention as transformers' eager implementation computes it: q, k, v projections, RoPE on q
 * and k, grouped-query attention (query head {@code h} reads key/value head {@code h / (heads / kvHeads)}),
 * causal softmax of {@code q·kᵀ / sqrt(head_dim)} in float32, then the o projection. Quantized to NVFP4 on
 * layers 1 to 3: the first and last layers, where quantization error hurts most, stay float. Older MAX
 * versions read every NVFP4 layer as quantized whatever the excludes say; the exported list carries the
 * subtree globs newer ones honour, so the warning about the older ones is silenced here.
 */
@SuppressWarnings("jquant:Serving.MaxLayerSets")
@Quantized(format = QuantFormat.NVFP4, layers = "1-3")
public final class LlamaAttention {
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear o;

  public LlamaAttention(
      @Projection("self_attn.q_proj") Linear q,
      @Projection("self_attn.k_proj") Linear k,
      @Projection("self_attn.v_proj") Linear v,
      @Projection("self_attn.o_proj") Linear o) {
    if (k.outFeatures() != v.outFeatures() || q.inFeatures() != k.inFeatures()
        || q.inFeatures() != v.inFeatures()
        || o.inFeatures() != q.outFeatures() || o.outFeatures() != q.inFeatures()) {
      throw new IllegalArgumentException("attention projections do not fit: q " + shape(q) + ", k " + shape(k)
          + ", v " + shape(v) + ", o " + shape(o));
    }
    this.q = q;
    this.k = k;
    this.v = v;
    this.o = o;
  }

  public Linear q() {
    return q;
  }

  public Linear k() {
    return k;
  }

  public Linear v() {
    return v;
  }

  public Linear o() {
    return o;
  }

  /**
   * Attends {@code rows} new positions (normed hidden states {@code x}, {@code [rows, hidden]}) to themselves
   * and to the positions {@code cache} already holds, writing their keys and values to layer {@code layer} of
   * {@code cache} and the attention output, {@code [rows, hidden]}, to {@code out}. The caller advances the
   * cache.
   */
  public void forward(LlamaConfig config, RotaryEmbedding rope, KvCache cache, int layer, float[] x,
      float[] out,
      int rows, KernelThreads threads) {
    int heads = config.heads();
    int kvHeads = config.kvHeads();
    int headDim = config.headDim();
    int qWidth = config.qWidth();
    int kvWidth = config.kvWidth();
    if (q.outFeatures() != qWidth || k.outFeatures() != kvWidth) {
      throw new IllegalArgumentException(
          "layer " + layer + ": q " + shape(q) + " and k " + shape(k) + " do not"
              + " give " + heads + " query and " + kvHeads + " key/value heads of " + headDim);
    }
    cache.requireRoom(rows);
    int start = cache.length();
    float[] queries = new float[rows * qWidth];
    float[] keys = cache.keys(layer);
    float[] values = cache.values(layer);
    float[] newKeys = new float[rows * kvWidth];
    float[] newValues = new float[rows * kvWidth];
    q.forward(x, queries, rows, threads);
    k.forward(x, newKeys, rows, threads);
    v.forward(x, newValues, rows, threads);
    for (int r = 0; r < rows; r++) {
      rope.apply(queries, r * qWidth, heads, start + r);
      rope.apply(newKeys, r * kvWidth, kvHeads, start + r);
    }
    System.arraycopy(newKeys, 0, keys, start * kvWidth, rows * kvWidth);
    System.arraycopy(newValues, 0, values, start * kvWidth, rows * kvWidth);

    // transformers multiplies the float32 scores by the Python float head_dim ** -0.5, applied in float32.
    float scaling = (float) Math.pow(headDim, -0.5);
    int group = heads / kvHeads;
    float[] attended = new float[rows * qWidth];
    float[] scores = new float[start + rows];
    for (int r = 0; r < rows; r++) {
      int visible = start + r + 1; // the causal mask: keys at positions 0 .. start + r
      for (int h = 0; h < heads; h++) {
        int qBase = r * qWidth + h * headDim;
        int kvOffset = (h / group) * headDim;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < visible; j++) {
          int kBase = j * kvWidth + kvOffset;
          float dot = 0;
          for (int d = 0; d < headDim; d++) {
            dot += queries[qBase + d] * keys[kBase + d];
          }
          scores[j] = dot * scaling;
          max = Math.max(max, scores[j]);
        }
        float sum = 0;
        for (int j = 0; j < visible; j++) {
          scores[j] = (float) Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int j = 0; j < visible; j++) {
          float p = scores[j] / sum;
          int vBase = j * kvWidth + kvOffset;
          for (int d = 0; d < headDim; d++) {
            attended[qBase + d] += p * values[vBase + d];
          }
        }
      }
    }
    o.forward(attended, out, rows, threads);
  }

  private static String shape(Linear linear) {
    return "[" + linear.outFeatures() + ", " + linear.inFeatures() + "]";
  }
}
