package io.jquant.samples.llama;

import io.jquant.runtime.kernel.KernelThreads;
import java.util.Locale;

/**
 * How closely a run of stories260K follows transformers' float32 reference.
 *
 * @param cosine the cosine between the run's and the reference's 512 logits at the 16-token prompt's last
 * position
 * @param maxAbsDiff the largest absolute difference between those logits
 * @param top1 at how many of the prompt's positions the run's largest logit is the reference's
 * @param positions the prompt's positions
 * @param greedyPrefix how many greedy tokens from BOS match the reference's before the first that differs
 * @param generated the run's greedy tokens, as many as the reference has
 */
public record Agreement(double cosine, double maxAbsDiff, int top1, int positions, int greedyPrefix,
    int[] generated) {
  /** Measures {@code model} against {@code reference}. */
  public static Agreement measure(LlamaModel model, Stories260k.Reference reference, KernelThreads threads) {
    int[] prompt = reference.logitsPrompt();
    int vocab = model.config().vocab();
    float[] logits = model.logits(prompt, threads);
    int top1 = 0;
    for (int p = 0; p < prompt.length; p++) {
      if (LlamaModel.argmax(logits, p * vocab, vocab) == reference.argmaxPerPosition()[p]) {
        top1++;
      }
    }
    float[] expected = reference.lastLogits();
    int last = (prompt.length - 1) * vocab;
    double dot = 0;
    double a2 = 0;
    double b2 = 0;
    double maxAbs = 0;
    for (int i = 0; i < vocab; i++) {
      double a = logits[last + i];
      double b = expected[i];
      dot += a * b;
      a2 += a * a;
      b2 += b * b;
      maxAbs = Math.max(maxAbs, Math.abs(a - b));
    }
    int[] generated = model.generate(reference.greedyPrompt(), reference.greedy().length, threads);
    int prefix = 0;
    while (prefix < generated.length && generated[prefix] == reference.greedy()[prefix]) {
      prefix++;
    }
    return new Agreement(dot / Math.sqrt(a2 * b2), maxAbs, top1, prompt.length, prefix, generated);
  }

  /** One line: cosine, max |diff|, top-1 and the greedy prefix. */
  public String summary() {
    return String.format(Locale.ROOT,
        "logits cosine %.6f, max |diff| %.2e, top-1 %d/%d, greedy %d/%d tokens before the first"
            + " difference",
        cosine, maxAbsDiff, top1, positions, greedyPrefix, generated.length);
  }
}
