package io.jquant.samples.minilm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our tokenizer and pooling are langchain4j's: ONNX Runtime's last hidden state for OUR token ids, pooled by
 * OUR code, equals langchain4j's embedding bit for bit on every sentence.
 */
class TokenizerPoolingTest {
  @Test
  void ourIdsAndPoolingReproduceLangchain4jExactly() throws Exception {
    MiniLmFixture f = MiniLmFixture.get();
    byte[] model;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(OrtEmbeddingModel.FP32_MODEL)) {
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model)) {
      for (int s = 0; s < f.sentences.size(); s++) {
        int[] ids = f.ids.get(s);
        long[] shape = { 1, ids.length };
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        try (
            OnnxTensor inputIds = OnnxTensor.createTensor(env,
                LongBuffer.wrap(Arrays.stream(ids).asLongStream()
                    .toArray()),
                shape);
            OnnxTensor attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
            OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
            OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", attention,
                "token_type_ids", types))) {
          float[][] hidden = ((float[][][]) result.get(0).getValue())[0];
          float[] flat = new float[ids.length * MiniLm.HIDDEN];
          for (int t = 0; t < ids.length; t++) {
            System.arraycopy(hidden[t], 0, flat, t * MiniLm.HIDDEN, MiniLm.HIDDEN);
          }
          assertArrayEquals(f.reference.get(s), Pooling.meanNormalized(flat, ids.length, MiniLm.HIDDEN),
              "sentence " + s + ": " + f.sentences.get(s));
        }
      }
    }
  }
}
