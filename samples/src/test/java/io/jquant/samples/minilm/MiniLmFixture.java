package io.jquant.samples.minilm;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.jquant.runtime.model.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * What the MiniLM tests share, loaded once per JVM: the ONNX file, its tensors, the tokenizer, the reference.
 */
final class MiniLmFixture {
  private static MiniLmFixture instance;

  final OnnxInitializers onnx;
  final TensorSource source;
  final MiniLmTokenizer tokenizer;
  final List<String> sentences;
  final List<int[]> ids = new ArrayList<>();
  final List<float[]> reference = new ArrayList<>();

  private MiniLmFixture() throws IOException {
    onnx = OnnxInitializers.fromClassPath(OrtEmbeddingModel.FP32_MODEL);
    source = BertOnnxWeights.toTensorSource(onnx, Arena.ofAuto());
    tokenizer = MiniLmTokenizer.load();
    sentences = Sentences.load();
    AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
    for (String sentence : sentences) {
      ids.add(tokenizer.ids(sentence));
      reference.add(model.embed(TextSegment.from(sentence)).content().vector());
    }
  }

  static synchronized MiniLmFixture get() {
    if (instance == null) {
      try {
        instance = new MiniLmFixture();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** The bench's cosine, so that tests and the printed table measure alike. */
  static double cosine(float[] a, float[] b) {
    return MiniLmBench.cosine(a, b);
  }
}
