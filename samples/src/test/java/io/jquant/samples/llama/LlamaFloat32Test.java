package io.jquant.samples.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.ModelWeights;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** stories260K in float32 against transformers' LlamaForCausalLM (reference.json). */
class LlamaFloat32Test {
  private static final Stories260k.Reference REFERENCE = StoriesFixture.REFERENCE;
  private static ModelWeights weights;
  private static LlamaModel model;

  @BeforeAll
  static void load() throws IOException {
    weights = StoriesFixture.open(null);
    model = LlamaModel.load(weights, StoriesFixture.CONFIG);
  }

  @AfterAll
  static void close() {
    weights.close();
  }

  @Test
  void greedyGenerationFromBosReproducesTransformersTokenForToken() {
    // The smallest top-2 gap on this path is 0.0029 (step 37): an arithmetic error of that size shows here.
    assertArrayEquals(REFERENCE.greedy(),
        model.generate(REFERENCE.greedyPrompt(), 64, KernelThreads.single()));
  }

  @Test
  void promptLogitsMatchTransformersAtEveryPosition() {
    int[] prompt = REFERENCE.logitsPrompt();
    int vocab = model.config().vocab();
    float[] logits = model.logits(prompt, KernelThreads.single());
    int[] argmax = new int[prompt.length];
    for (int p = 0; p < prompt.length; p++) {
      argmax[p] = LlamaModel.argmax(logits, p * vocab, vocab);
    }
    assertArrayEquals(REFERENCE.argmaxPerPosition(), argmax);
    // Two float32 implementations differ by their summation orders: transformers and llama2.c's C forward
    // agree within 3.2e-5 on these logits (|logit| up to 14, an ulp there is 9.5e-7); this one measured
    // 1.8e-5.
    // 5e-5 allows that spread; a wrong RoPE, norm or mask moves logits by 1e-2 or more.
    double maxDiff = 0;
    for (int i = 0; i < vocab; i++) {
      maxDiff = Math.max(maxDiff,
          Math.abs(logits[(prompt.length - 1) * vocab + i] - REFERENCE.lastLogits()[i]));
    }
    assertTrue(maxDiff < 5e-5, "max |logit - reference| " + maxDiff);
  }

  @Test
  void stepByStepThroughTheCacheGivesThePromptsLogits() {
    int[] prompt = REFERENCE.logitsPrompt();
    int vocab = model.config().vocab();
    float[] all = model.logits(prompt, KernelThreads.single());
    KvCache cache = model.newCache(prompt.length);
    float[] last = null;
    for (int token : prompt) {
      last = model.forward(new int[] { token }, cache, KernelThreads.single());
    }
    assertEquals(prompt.length, cache.length());
    float[] expected = Arrays.copyOfRange(all, (prompt.length - 1) * vocab, prompt.length * vocab);
    // One row runs the kernels' GEMV, sixteen their panel GEMM: summation orders differ, as above (2e-5
    // seen).
    assertArrayEquals(expected, last, 5e-5f);
  }

  @Test
  void twoThreadsComputeWhatOneDoes() {
    try (KernelThreads two = KernelThreads.create(2)) {
      assertArrayEquals(model.logits(REFERENCE.logitsPrompt(), KernelThreads.single()),
          model.logits(REFERENCE.logitsPrompt(), two));
    }
  }
}
