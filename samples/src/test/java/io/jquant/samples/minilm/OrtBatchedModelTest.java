package io.jquant.samples.minilm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench's padded ONNX Runtime batches compute what langchain4j's one-at-a-time embeddings are: the
 * float32 model within cosine 0.9999 of them in batches of 32 and 64 (padding masked out), and the same bits
 * in batches of one.
 */
class OrtBatchedModelTest {
  @Test
  void paddedBatchesAgreeWithLangchain4jsEmbeddings() throws Exception {
    MiniLmFixture f = MiniLmFixture.get();
    try (OrtBatchedModel model = OrtBatchedModel.open(OrtEmbeddingModel.FP32_MODEL, 1)) {
      List<float[]> single = model.embedAll(f.ids, 1);
      for (int s = 0; s < f.ids.size(); s++) {
        assertArrayEquals(f.reference.get(s), single.get(s), "sentence " + s);
      }
      for (int batch : new int[] { 32, 64 }) {
        List<float[]> batched = model.embedAll(f.ids, batch);
        assertEquals(f.ids.size(), batched.size());
        double min = MiniLmBatchedTest.minCosine(batched, f.reference);
        System.out.printf("ONNX Runtime float32, batch %d: cosine to langchain4j min %.9f%n", batch, min);
        assertTrue(min >= 0.9999, "batch " + batch + ": min cosine " + min);
      }
    }
    assertTrue(OrtBatchedModel.paddedTokens(f.ids, 32) > 0, "the batches of 32 hold padding");
    assertEquals(0, OrtBatchedModel.paddedTokens(f.ids, 1));
  }

  @Test
  void aBatchSizeBelowOneIsRefused() throws Exception {
    try (OrtBatchedModel model = OrtBatchedModel.open(OrtEmbeddingModel.FP32_MODEL, 1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.embedAll(List.of(new int[] { 101, 102 }), 0));
      assertEquals("batch size must be at least 1, got 0", e.getMessage());
    }
  }
}
