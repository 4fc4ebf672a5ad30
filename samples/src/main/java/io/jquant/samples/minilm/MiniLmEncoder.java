package io.jquant.samples.minilm;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.model.TensorSource;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2's sentence embedding on jquant's kernels: embeddings (word + token type + position, then
 * LayerNorm), the 6 {@link BertAttention} / {@link BertMlp} layers, the mean over all tokens and L2
 * normalisation, as langchain4j computes it around ONNX Runtime.
 */
public final class MiniLmEncoder {
  private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment words;
  private final MemorySegment positions;
  private final float[] tokenType0;
  private final int vocabulary;
  private final int maxPositions;
  private final LayerNorm embeddingNorm;
  /** Rounds embedding rows to the config's {@code embedding_output_dtype} (unset: unchanged). */
  private final ModelWeights weights;
  private final List<BertAttention> attention;
  private final List<BertMlp> mlp;
  private final List<LayerNorm> attentionNorms = new ArrayList<>();
  private final List<LayerNorm> mlpNorms = new ArrayList<>();

  private MiniLmEncoder(ModelWeights weights, List<BertAttention> attention, List<BertMlp> mlp) {
    TensorView wordView = weights.tensor("embeddings.word_embeddings.weight");
    TensorView positionView = weights.tensor("embeddings.position_embeddings.weight");
    requireRows(wordView);
    requireRows(positionView);
    this.words = wordView.data();
    this.positions = positionView.data();
    this.vocabulary = Math.toIntExact(wordView.shape().get(0));
    this.maxPositions = Math.toIntExact(positionView.shape().get(0));
    this.tokenType0 = row(weights.tensor("embeddings.token_type_embeddings.weight").data(), 0);
    this.embeddingNorm = norm(weights, "embeddings.LayerNorm");
    this.weights = weights;
    this.attention = attention;
    this.mlp = mlp;
    for (int layer = 0; layer < attention.size(); layer++) {
      String prefix = MiniLmWiring.LAYOUT.layerPrefix(layer);
      attentionNorms.add(norm(weights, prefix + ".attention.output.LayerNorm"));
      mlpNorms.add(norm(weights, prefix + ".output.LayerNorm"));
    }
  }

  /**
   * The encoder over {@code source}'s Hugging Face named tensors, every projection built as {@code config}
   * says: float32 when null, else the config's format on its quantized layers (quantized on the fly by
   * {@link ModelWeights}), through the wiring the processor generated from {@link MiniLm}'s declaration.
   */
  public static MiniLmEncoder create(TensorSource source, QuantConfig config) {
    return create(MiniLmWiring.of(source, config));
  }

  /**
   * The encoder over weights already opened through {@link MiniLmWiring} (a checkpoint, or weights in a mode
   * such as {@link ModelWeights#recordInputs} or {@link ModelWeights#useCalibration}).
   */
  public static MiniLmEncoder create(ModelWeights weights) {
    MiniLmWiring.Layers layers = MiniLmWiring.layers(weights);
    return new MiniLmEncoder(weights, layers.bertAttention(), layers.bertMlp());
  }

  /** The 36 projections, layer by layer: query, key, value, attention output, intermediate, output. */
  public List<Linear> projections() {
    List<Linear> all = new ArrayList<>();
    for (int layer = 0; layer < attention.size(); layer++) {
      all.addAll(List.of(attention.get(layer).projections()));
      all.addAll(List.of(mlp.get(layer).projections()));
    }
    return all;
  }

  /** The bytes of every projection's weight storage. */
  public long weightBytes() {
    return projections().stream().mapToLong(Linear::weightBytes).sum();
  }

  /** The last hidden state {@code [ids.length, 384]} of one sequence (token type 0, every token attended). */
  public float[] lastHiddenState(int[] ids, KernelThreads threads) {
    int rows = ids.length;
    if (rows == 0 || rows > maxPositions) {
      throw new IllegalArgumentException("a sequence has 1 to " + maxPositions + " tokens, got " + rows);
    }
    int width = MiniLm.HIDDEN;
    float[] hidden = new float[rows * width];
    float[] word = new float[width];
    for (int t = 0; t < rows; t++) {
      if (ids[t] < 0 || ids[t] >= vocabulary) {
        throw new IllegalArgumentException("token " + t + ": id " + ids[t] + " outside the vocabulary of "
            + vocabulary);
      }
      MemorySegment.copy(words, F32_LE, (long) ids[t] * width * Float.BYTES, word, 0, width);
      weights.roundEmbeddingOutput(word, 0, width);
      long position = (long) t * width;
      for (int i = 0; i < width; i++) {
        // (word + token type) + position, the order of Hugging Face's BertEmbeddings and the graph.
        hidden[t * width + i] = (word[i] + tokenType0[i]) + positions.getAtIndex(F32_LE, position + i);
      }
    }
    embeddingNorm.apply(hidden, rows);
    for (int layer = 0; layer < attention.size(); layer++) {
      attention.get(layer).forward(hidden, rows, MiniLm.HEADS, MiniLm.SCORE_SCALE, attentionNorms.get(layer),
          threads);
      mlp.get(layer).forward(hidden, rows, mlpNorms.get(layer), threads);
    }
    return hidden;
  }

  /** The sentence embedding: mean over all tokens, then L2 normalised. */
  public float[] embed(int[] ids, KernelThreads threads) {
    return Pooling.meanNormalized(lastHiddenState(ids, threads), ids.length, MiniLm.HIDDEN);
  }

  private static LayerNorm norm(ModelWeights weights, String module) {
    return new LayerNorm(weights.floats(module + ".weight"), weights.floats(module + ".bias"),
        MiniLm.LAYER_NORM_EPS);
  }

  private static void requireRows(TensorView view) {
    if (view.shape().size() != 2 || view.shape().get(1) != MiniLm.HIDDEN) {
      throw new IllegalArgumentException(
          "tensor " + view.name() + " is " + view.shape() + ", expected [rows, "
              + MiniLm.HIDDEN + "]");
    }
  }

  private static float[] row(MemorySegment table, int row) {
    float[] values = new float[MiniLm.HIDDEN];
    MemorySegment.copy(table, F32_LE, (long) row * MiniLm.HIDDEN * Float.BYTES, values, 0, MiniLm.HIDDEN);
    return values;
  }
}
