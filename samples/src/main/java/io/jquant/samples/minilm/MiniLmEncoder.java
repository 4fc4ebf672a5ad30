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
import java.util.Arrays;
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
    for (int t = 0; t < rows; t++) {
      if (ids[t] < 0 || ids[t] >= vocabulary) {
        throw new IllegalArgumentException("token " + t + ": id " + ids[t] + " outside the vocabulary of "
            + vocabulary);
      }
    }
    return forward(List.of(ids), new int[] { rows }, rows, threads);
  }

  /** The sentence embedding: mean over all tokens, then L2 normalised. */
  public float[] embed(int[] ids, KernelThreads threads) {
    return Pooling.meanNormalized(lastHiddenState(ids, threads), ids.length, MiniLm.HIDDEN);
  }

  /**
   * The sentence embeddings of {@code ids}, in order, computed {@code batchSize} sentences at a time: the
   * token rows of a batch's sentences are stacked without padding, so every projection, GELU and LayerNorm
   * (all per row) runs once over the batch's rows as one matrix, and only attention and pooling run per
   * sentence. Padding-free needs no attention mask and computes no pad token; a projection of a few hundred
   * rows takes the kernels' blocked GEMM instead of their small-batch paths.
   *
   * <p>Each sentence's embedding is its {@link #embed} up to float32 summation order: the kernels pick their
   * loop by the row count (a GEMV or a K-in-lanes path for a sentence's 7-24 rows, the rows-in-lanes GEMM
   * above 24), and those add the same products in different orders. A sentence's rows never mix with
   * another's: where both calls take the same loops (batch size 1, or sentences of more than 24 tokens) the
   * bits are equal, and a format whose activation scales cover a row or part of a row (float32, MXFP4, MXFP8,
   * FP8 channel and block, INT8) never lets one sentence's values change another's. A format with one dynamic
   * activation scale per tensor (NVFP4 without a calibrated {@code input_scale}, FP8 tensor) takes that scale
   * over the whole batch, as ONNX Runtime's dynamically quantized models do over a padded batch.
   *
   * @param ids each sentence's token ids (1 to 512 tokens, token type 0, every token attended)
   * @param batchSize the most sentences per batch; 1 runs them one at a time
   * @throws IllegalArgumentException naming the sentence (and token) for an empty or too long sentence or an
   * id outside the vocabulary, or for a batch size below 1
   */
  public List<float[]> embedAll(List<int[]> ids, int batchSize, KernelThreads threads) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    for (int s = 0; s < ids.size(); s++) {
      checkIds(s, ids.get(s));
    }
    List<float[]> embeddings = new ArrayList<>(ids.size());
    for (int first = 0; first < ids.size(); first += batchSize) {
      List<int[]> batch = ids.subList(first, Math.min(ids.size(), first + batchSize));
      float[] hidden = lastHiddenStates(batch, threads);
      int row = 0;
      for (int[] sentence : batch) {
        int rows = sentence.length;
        float[] own = Arrays.copyOfRange(hidden, row * MiniLm.HIDDEN, (row + rows) * MiniLm.HIDDEN);
        embeddings.add(Pooling.meanNormalized(own, rows, MiniLm.HIDDEN));
        row += rows;
      }
    }
    return embeddings;
  }

  /**
   * The last hidden states of a batch of sequences, their rows stacked in order without padding:
   * {@code [Σ lengths, 384]}, sequence {@code s}'s rows after those of the sequences before it. Each sequence
   * has its own positions from 0 and attends only to itself.
   *
   * @throws IllegalArgumentException as {@link #embedAll} does
   */
  public float[] lastHiddenStates(List<int[]> sequences, KernelThreads threads) {
    int[] lengths = new int[sequences.size()];
    int rows = 0;
    for (int s = 0; s < lengths.length; s++) {
      checkIds(s, sequences.get(s));
      lengths[s] = sequences.get(s).length;
      rows += lengths[s];
    }
    return forward(sequences, lengths, rows, threads);
  }

  /** The encoder over checked sequences of these {@code lengths}, {@code rows} in all, stacked. */
  private float[] forward(List<int[]> sequences, int[] lengths, int rows, KernelThreads threads) {
    float[] hidden = new float[rows * MiniLm.HIDDEN];
    int row = 0;
    for (int[] sequence : sequences) {
      embedTokens(sequence, hidden, row);
      row += sequence.length;
    }
    embeddingNorm.apply(hidden, rows);
    for (int layer = 0; layer < attention.size(); layer++) {
      attention.get(layer).forward(hidden, lengths, MiniLm.HEADS, MiniLm.SCORE_SCALE,
          attentionNorms.get(layer), threads);
      mlp.get(layer).forward(hidden, rows, mlpNorms.get(layer), threads);
    }
    return hidden;
  }

  private void checkIds(int sentence, int[] ids) {
    if (ids.length == 0 || ids.length > maxPositions) {
      throw new IllegalArgumentException("sentence " + sentence + ": a sequence has 1 to " + maxPositions
          + " tokens, got " + ids.length);
    }
    for (int t = 0; t < ids.length; t++) {
      if (ids[t] < 0 || ids[t] >= vocabulary) {
        throw new IllegalArgumentException("sentence " + sentence + ", token " + t + ": id " + ids[t]
            + " outside the vocabulary of " + vocabulary);
      }
    }
  }

  /** Writes one checked sequence's embedding rows (as {@link #lastHiddenState}) from row {@code first}. */
  private void embedTokens(int[] ids, float[] hidden, int first) {
    int width = MiniLm.HIDDEN;
    float[] word = new float[width];
    for (int t = 0; t < ids.length; t++) {
      MemorySegment.copy(words, F32_LE, (long) ids[t] * width * Float.BYTES, word, 0, width);
      weights.roundEmbeddingOutput(word, 0, width);
      long position = (long) t * width;
      int at = (first + t) * width;
      for (int i = 0; i < width; i++) {
        // (word + token type) + position, the order of Hugging Face's BertEmbeddings and the graph.
        hidden[at + i] = (word[i] + tokenType0[i]) + positions.getAtIndex(F32_LE, position + i);
      }
    }
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
