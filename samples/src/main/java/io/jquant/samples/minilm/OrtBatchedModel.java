package io.jquant.samples.minilm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 on ONNX Runtime over token ids, several sentences per {@code run}: langchain4j's
 * {@code embedAll} does not batch (it runs {@code embed} once per text, on an executor), so this drives the
 * session itself. A batch is padded to its longest sentence with id 0 and attention mask 0, as Hugging Face
 * pads BERT; the graph adds {@code (1 - mask) · -FLT_MAX} to the padded keys' scores, so a real token attends
 * only to real tokens. Each sentence is pooled over its own tokens by {@link Pooling}, as langchain4j pools
 * an unpadded one.
 */
public final class OrtBatchedModel implements AutoCloseable {
  private final OrtEnvironment environment;
  private final OrtSession session;

  private OrtBatchedModel(OrtEnvironment environment, OrtSession session) {
    this.environment = environment;
    this.session = session;
  }

  /**
   * Opens {@code modelResource} ({@link OrtEmbeddingModel#FP32_MODEL} or
   * {@link OrtEmbeddingModel#INT8_MODEL}) on {@code threads} intra-op threads and one inter-op thread, as
   * {@link OrtEmbeddingModel#open} does.
   */
  public static OrtBatchedModel open(String modelResource, int threads) throws IOException, OrtException {
    byte[] model;
    try (InputStream in = OrtBatchedModel.class.getClassLoader().getResourceAsStream(modelResource)) {
      if (in == null) {
        throw new IOException("class-path resource " + modelResource + " not found");
      }
      model = in.readAllBytes();
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      return new OrtBatchedModel(environment, environment.createSession(model, options));
    }
  }

  /**
   * The embeddings of {@code ids}, in order, {@code batchSize} consecutive sentences per session run.
   *
   * @throws IllegalArgumentException for a batch size below 1 or an empty sentence
   */
  public List<float[]> embedAll(List<int[]> ids, int batchSize) throws OrtException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    List<float[]> embeddings = new ArrayList<>(ids.size());
    for (int first = 0; first < ids.size(); first += batchSize) {
      embeddings.addAll(embedBatch(ids.subList(first, Math.min(ids.size(), first + batchSize)), first));
    }
    return embeddings;
  }

  /** The padded positions of a batch: {@code Σ longest - length} over its sentences, for the report. */
  public static long paddedTokens(List<int[]> ids, int batchSize) {
    long padded = 0;
    for (int first = 0; first < ids.size(); first += batchSize) {
      List<int[]> batch = ids.subList(first, Math.min(ids.size(), first + batchSize));
      int longest = batch.stream().mapToInt(a -> a.length).max().orElse(0);
      for (int[] sentence : batch) {
        padded += longest - sentence.length;
      }
    }
    return padded;
  }

  private List<float[]> embedBatch(List<int[]> batch, int firstIndex) throws OrtException {
    int count = batch.size();
    int longest = 0;
    for (int s = 0; s < count; s++) {
      if (batch.get(s).length == 0) {
        throw new IllegalArgumentException("sentence " + (firstIndex + s) + " has no tokens");
      }
      longest = Math.max(longest, batch.get(s).length);
    }
    long[] inputIds = new long[count * longest];
    long[] mask = new long[count * longest];
    for (int s = 0; s < count; s++) {
      int[] sentence = batch.get(s);
      for (int t = 0; t < sentence.length; t++) {
        inputIds[s * longest + t] = sentence[t];
        mask[s * longest + t] = 1;
      }
    }
    long[] shape = { count, longest };
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[count * longest]),
            shape);
        OrtSession.Result result = session.run(
            Map.of("input_ids", idsTensor, "attention_mask", maskTensor, "token_type_ids", types))) {
      // [count, longest, 384] read straight from the output buffer (no nested Java arrays).
      FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
      List<float[]> embeddings = new ArrayList<>(count);
      for (int s = 0; s < count; s++) {
        int rows = batch.get(s).length;
        float[] own = new float[rows * MiniLm.HIDDEN];
        hidden.get(s * longest * MiniLm.HIDDEN, own);
        embeddings.add(Pooling.meanNormalized(own, rows, MiniLm.HIDDEN));
      }
      return embeddings;
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
