package io.jquant.samples.minilm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.kernel.KernelThreads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link MiniLmEncoder#embedAll}: a batch gives each sentence the embedding it gets alone.
 *
 * <p>What "the same" can mean is set by the kernels: they choose their loop by the row count (for a
 * sentence's 7-24 rows a GEMV or the K-in-lanes {@code RowDots}; above 24 rows the rows-in-lanes GEMM, one
 * FMA chain per output in k order), so a batch of short sentences adds the same products in another order.
 * Hence three claims: (1) a batch of one is the single call, bit for bit, in every format; (2) sentences of
 * more than 24 tokens take the GEMM alone and in any batch, so there every format whose activation scales are
 * per row or per block of a row gives equal bits for batches of 3 and 64; (3) short sentences agree up to
 * summation order, whose bound is asserted per projection in {@link MiniLmBatchedProjectionTest} and whose
 * effect end to end is asserted here. NVFP4 without a calibrated {@code input_scale} and FP8 tensor take one
 * dynamic activation scale per call, so a batch shares it: their batched embeddings differ from the single
 * ones by a quantization step, not by rounding order, and are held to cosine floors.
 */
class MiniLmBatchedTest {
  /** The formats with one dynamic activation scale per tensor: a batch shares it. */
  static final Set<String> TENSOR_SCALED = Set.of("NVFP4", "FP8 tensor");
  /**
   * Cosine floors of batched to single embeddings, under the 2026-12-08 measurement: short sentences (code
   * flips from summation order) MXFP8 0.99935, FP8 channel 0.99897, FP8 block 0.99899, INT8 0.99661, MXFP4 1
   * (its sums were exact); a shared tensor scale, short and long sentences: NVFP4 0.9773-0.9811, FP8 tensor
   * 0.9978-0.9986.
   */
  private static final double ROW_SCALED_FLOOR = 0.995;
  private static final double TENSOR_SCALED_FLOOR = 0.97;
  /**
   * float32's end-to-end tolerance on an embedding element: √K·u for K = 1536 (u = 2⁻²⁴), the typical
   * relative difference of two float32 summation orders of 1536 products with rounding errors of random sign.
   */
  private static final double FLOAT32_TOLERANCE = Math.sqrt(1536) * 0x1p-24;

  @Test
  void aBatchOfOneIsTheSingleCallBitForBit() {
    MiniLmFixture f = MiniLmFixture.get();
    for (MiniLmFormats.Format format : MiniLmFormats.all()) {
      MiniLmEncoder encoder = MiniLmEncoder.create(f.source, format.config());
      List<float[]> batched = encoder.embedAll(f.ids, 1, KernelThreads.single());
      assertEquals(f.ids.size(), batched.size());
      for (int s = 0; s < f.ids.size(); s++) {
        assertArrayEquals(encoder.embed(f.ids.get(s), KernelThreads.single()), batched.get(s),
            format.label() + ", sentence " + s);
      }
    }
  }

  @Test
  void longSentencesGiveTheSameBitsInAnyBatch() throws Exception {
    MiniLmFixture f = MiniLmFixture.get();
    List<int[]> longOnes = longSentences(f.ids);
    assertTrue(longOnes.stream().allMatch(a -> a.length > 24));
    assertTrue(longOnes.stream().mapToInt(a -> a.length).distinct().count() > 10, "lengths differ");
    try (KernelThreads two = KernelThreads.create(2)) {
      for (MiniLmFormats.Format format : MiniLmFormats.all()) {
        MiniLmEncoder encoder = MiniLmEncoder.create(f.source, format.config());
        List<float[]> single = new ArrayList<>();
        for (int[] ids : longOnes) {
          single.add(encoder.embed(ids, KernelThreads.single()));
        }
        for (int batch : new int[] { 3, 64 }) {
          // Two threads for the batches: the thread count changes no bit either.
          List<float[]> batched = encoder.embedAll(longOnes, batch, two);
          if (TENSOR_SCALED.contains(format.label())) {
            double min = minCosine(batched, single);
            System.out.printf("%s, long sentences, batch %d: cosine to single min %.6f%n", format.label(),
                batch, min);
            assertTrue(min > TENSOR_SCALED_FLOOR, format.label() + ": batch " + batch + " min cosine " + min);
            continue;
          }
          for (int s = 0; s < longOnes.size(); s++) {
            assertArrayEquals(single.get(s), batched.get(s),
                format.label() + ", batch " + batch + ", sentence " + s + " (" + longOnes.get(s).length
                    + " tokens)");
          }
        }
      }
    }
  }

  /**
   * The real 7-24-token sentences in batches of 3 and 64 against one at a time. float32: each projection's
   * rounding-order difference is below {@code 2·γ_K · Σ|x·w|} (γ_K = K·u/(1 - K·u), u = 2⁻²⁴; asserted in
   * {@link MiniLmBatchedProjectionTest}), a relative 1.8e-4 at worst for K = 1536 but about √K·u ≈ 2.3e-6 for
   * rounding errors of random sign; through 36 projections and 13 LayerNorms a unit-norm embedding's elements
   * stay within that {@code √K·u} (measured 2026-12-08: 1.9e-7, a few ulps; the bench prints it). A quantized
   * format quantizes each projection's input, so a rounding-order difference that crosses a rounding boundary
   * of a code moves the value by a quantization step: held to cosine floors set under the measurement.
   */
  @Test
  void shortSentencesAgreeUpToSummationOrder() throws Exception {
    MiniLmFixture f = MiniLmFixture.get();
    for (MiniLmFormats.Format format : MiniLmFormats.all()) {
      MiniLmEncoder encoder = MiniLmEncoder.create(f.source, format.config());
      List<float[]> single = encoder.embedAll(f.ids, 1, KernelThreads.single());
      for (int batch : new int[] { 3, 64 }) {
        List<float[]> batched = encoder.embedAll(f.ids, batch, KernelThreads.single());
        double difference = MiniLmBench.maxDifference(batched, single);
        double min = minCosine(batched, single);
        System.out.printf("%s, batch %d: max |difference| %.3e, cosine min %.9f%n", format.label(), batch,
            difference, min);
        if (format.config() == null) {
          assertTrue(difference < FLOAT32_TOLERANCE,
              "float32, batch " + batch + ": max difference " + difference);
        } else {
          double floor = TENSOR_SCALED.contains(format.label()) ? TENSOR_SCALED_FLOOR : ROW_SCALED_FLOOR;
          assertTrue(min > floor, format.label() + ", batch " + batch + ": min cosine " + min);
        }
      }
    }
  }

  @Test
  void badInputIsRefusedNamingTheSentence() {
    MiniLmFixture f = MiniLmFixture.get();
    MiniLmEncoder encoder = MiniLmEncoder.create(f.source, null);
    KernelThreads one = KernelThreads.single();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoder.embedAll(List.of(new int[] { 101, 102 }, new int[] { 101, 30522, 102 }), 2, one));
    assertEquals("sentence 1, token 1: id 30522 outside the vocabulary of 30522", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> encoder.embedAll(List.of(new int[] { 101, 102 }, new int[0]), 2, one));
    assertEquals("sentence 1: a sequence has 1 to 512 tokens, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> encoder.embedAll(f.ids, 0, one));
    assertEquals("batch size must be at least 1, got 0", e.getMessage());
    assertEquals(List.of(), encoder.embedAll(List.of(), 4, one));
  }

  /**
   * 64 id sequences of more than 24 tokens and of many lengths: each sentence with the next one's ids after
   * its own (and a third's if still short), every id a real token's.
   */
  static List<int[]> longSentences(List<int[]> ids) {
    List<int[]> out = new ArrayList<>();
    for (int s = 0; s < ids.size(); s++) {
      int[] joined = ids.get(s);
      for (int next = 1; joined.length <= 24; next++) {
        int[] more = ids.get((s + next) % ids.size());
        int[] longer = Arrays.copyOf(joined, joined.length + more.length);
        System.arraycopy(more, 0, longer, joined.length, more.length);
        joined = longer;
      }
      out.add(joined);
    }
    return out;
  }

  static double minCosine(List<float[]> a, List<float[]> b) {
    return Arrays.stream(MiniLmBench.cosines(a, b)).min().orElseThrow();
  }
}
