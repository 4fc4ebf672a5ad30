package io.jquant.samples.llama;

/**
 * Hugging Face Llama's rotary position embedding (rotate-half, default rope type), with the cos and sin
 * tables computed in float32 the way transformers computes them:
 * {@code inv_freq = 1 / theta^(arange(0, d, 2) / d)}, {@code freqs = position · inv_freq},
 * {@code emb = cat(freqs, freqs)}, then {@code cos(emb)} and {@code sin(emb)}.
 */
public final class RotaryEmbedding {
  private final int headDim;
  private final int maxPositions;
  private final float[] cos;
  private final float[] sin;

  /** Tables for positions {@code 0 .. maxPositions-1}. */
  public RotaryEmbedding(int headDim, int maxPositions, double theta) {
    if (headDim < 2 || headDim % 2 != 0 || maxPositions < 1) {
      throw new IllegalArgumentException("RoPE needs an even head_dim and a position, got head_dim " + headDim
          + ", " + maxPositions + " positions");
    }
    this.headDim = headDim;
    this.maxPositions = maxPositions;
    int half = headDim / 2;
    float[] invFreq = invFreq(headDim, theta);
    cos = new float[maxPositions * headDim];
    sin = new float[maxPositions * headDim];
    for (int p = 0; p < maxPositions; p++) {
      for (int i = 0; i < half; i++) {
        float freq = (float) p * invFreq[i]; // a float32 product, as the [d/2, 1] x [1, seq] matmul gives
        float c = (float) Math.cos(freq);
        float s = (float) Math.sin(freq);
        cos[p * headDim + i] = c;
        cos[p * headDim + half + i] = c;
        sin[p * headDim + i] = s;
        sin[p * headDim + half + i] = s;
      }
    }
  }

  /** transformers' {@code inv_freq}, each step rounded to float32 as torch computes it in float32. */
  static float[] invFreq(int headDim, double theta) {
    float[] invFreq = new float[headDim / 2];
    for (int i = 0; i < invFreq.length; i++) {
      float exponent = (float) (2 * i) / (float) headDim;
      float power = (float) Math.pow((float) theta, exponent);
      invFreq[i] = 1f / power;
    }
    return invFreq;
  }

  /** The largest position plus one. */
  public int maxPositions() {
    return maxPositions;
  }

  /**
   * Rotates {@code heads} heads of {@code headDim} values at {@code x[offset ..]}, all at {@code position}:
   * {@code x·cos + rotate_half(x)·sin} with {@code rotate_half(x) = cat(-x2, x1)}.
   */
  public void apply(float[] x, int offset, int heads, int position) {
    if (position < 0 || position >= maxPositions) {
      throw new IllegalArgumentException(
          "position " + position + " is outside the RoPE table of " + maxPositions
              + " positions");
    }
    int half = headDim / 2;
    int table = position * headDim;
    for (int h = 0; h < heads; h++) {
      int base = offset + h * headDim;
      for (int i = 0; i < half; i++) {
        float x1 = x[base + i];
        float x2 = x[base + half + i];
        x[base + i] = x1 * cos[table + i] - x2 * sin[table + i];
        x[base + half + i] = x2 * cos[table + half + i] + x1 * sin[table + half + i];
      }
    }
  }
}
