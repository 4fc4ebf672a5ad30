package io.jquant.samples.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.kernel.KernelThreads;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LlamaModelTest {
  private static Path dir;
  private static Stories260k.Reference reference;
  private static LlamaModel model;

  @BeforeAll
  static void load() throws IOException {
    dir = Stories260k.locate();
    reference = Stories260k.Reference.read(dir);
    model = Fp32Stories.load(dir);
  }

  @Test
  void float32GreedyReproducesTransformers() {
    int[] ids = model.generate(reference.greedyPrompt(), reference.greedy().length, KernelThreads.single());
    assertArrayEquals(reference.greedy(), ids);
  }

  @Test
  void float32PromptLogitsMatchTransformers() {
    int[] prompt = reference.logitsPrompt();
    float[] logits = model.logits(prompt, KernelThreads.single());
    int vocab = model.config().vocab();
    int[] argmax = new int[prompt.length];
    for (int p = 0; p < prompt.length; p++) {
      argmax[p] = LlamaModel.argmax(logits, p * vocab, vocab);
    }
    assertArrayEquals(reference.argmaxPerPosition(), argmax);
    double max = 0;
    for (int i = 0; i < vocab; i++) {
      max = Math.max(max, Math.abs(logits[(prompt.length - 1) * vocab + i] - reference.lastLogits()[i]));
    }
    System.out.println("max |diff| " + max);
    assertTrue(max < 1e-4, "max " + max);
  }
}
