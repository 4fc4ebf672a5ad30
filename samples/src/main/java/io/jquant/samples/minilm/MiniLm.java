package io.jquant.samples.minilm;

import io.jquant.annotations.QuantizedModel;

/**
 * all-MiniLM-L6-v2, the sentence-embedding BERT: 6 layers of hidden size 384, 12 heads of 32, MLP 1536. Every
 * attention and MLP projection is declared NVFP4; from this declaration jquant generates
 * {@code MiniLmQuantConfig}.
 */
@QuantizedModel(
    name = "all-MiniLM-L6-v2",
    numLayers = 6,
    checkpointPrefix = "encoder.layer.{layer}",
    layerClasses = { BertAttention.class, BertMlp.class })
public final class MiniLm {
  /** Hidden size. */
  public static final int HIDDEN = 384;

  /** Attention heads (of 32). */
  public static final int HEADS = 12;

  /** The graph's score divisor, sqrt(32) as a float32 constant. */
  public static final float SCORE_SCALE = 5.656854152679443f;

  /** LayerNorm's epsilon. */
  public static final float LAYER_NORM_EPS = 1e-12f;

  private MiniLm() {}
}
