package io.jquant.samples.minilm;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.TensorSource;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 on real weights, per format: accuracy against langchain4j's float32 embeddings (ONNX
 * Runtime, same process) and speed beside ONNX Runtime's float32 and int8 models.
 *
 * <p>Sentences run one at a time, as langchain4j embeds a single text, and then batched
 * ({@value #DEFAULT_BATCH} consecutive sentences per call unless {@code --batch N} says otherwise): jquant
 * stacks a batch's token rows without padding ({@link MiniLmEncoder#embedAll}), ONNX Runtime gets the same
 * batches padded with an attention mask ({@link OrtBatchedModel}; langchain4j's {@code embedAll} does not
 * batch). Each rate: {@value #WARM_UPS} warm-up passes over the 64 sentences, then the median of
 * {@value #PASSES} timed passes, on 1 and 2 threads ({@link KernelThreads} for jquant, intra-op threads for
 * ONNX Runtime); the timed passes of all contenders alternate round by round, so that a shared machine's
 * drifting load falls on all of them alike. {@code --json FILE} also writes the rows.
 *
 * <p>Run with {@code OPT_OUT_TRACKING=true} (the DJL tokenizer otherwise sends telemetry) and
 * {@code --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector}.
 */
public final class MiniLmBench {
  private static final int PASSES = 5;
  /** Untimed passes first: the first formats would otherwise be timed while C2 still compiles the kernels. */
  private static final int WARM_UPS = 2;
  private static final int[] THREADS = { 1, 2 };
  /** Sentences per batch in the batched columns ({@code --batch N} changes it). */
  private static final int DEFAULT_BATCH = 32;

  private MiniLmBench() {}

  /**
   * One table row: a format on a thread count. The batched rates run {@code batchSize} sentences per call,
   * jquant without padding ({@link MiniLmEncoder#embedAll}), ONNX Runtime padded with an attention mask
   * ({@link OrtBatchedModel}); {@code batchedCosineMin} is the batched embeddings' lowest cosine to
   * langchain4j's float32 ones, {@code batchedMaxDifference} the largest element difference between jquant's
   * batched and one-at-a-time embeddings.
   */
  record Row(String format, double cosineMin, double cosineMean, int threads, double sentencesPerS,
      double ortFp32SentencesPerS, double ortInt8SentencesPerS, long weightBytes, int batchSize,
      double batchedSentencesPerS, double ortFp32BatchedSentencesPerS, double ortInt8BatchedSentencesPerS,
      double batchedCosineMin, double batchedMaxDifference) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format", format);
      m.put("cosine_min", cosineMin);
      m.put("cosine_mean", cosineMean);
      m.put("threads", threads);
      m.put("sentences_per_s", sentencesPerS);
      m.put("ort_fp32_sentences_per_s", ortFp32SentencesPerS);
      m.put("ort_int8_sentences_per_s", ortInt8SentencesPerS);
      m.put("weight_bytes", weightBytes);
      m.put("batch_size", batchSize);
      m.put("batched_sentences_per_s", batchedSentencesPerS);
      m.put("ort_fp32_batched_sentences_per_s", ortFp32BatchedSentencesPerS);
      m.put("ort_int8_batched_sentences_per_s", ortInt8BatchedSentencesPerS);
      m.put("batched_cosine_min", batchedCosineMin);
      m.put("batched_max_difference", batchedMaxDifference);
      return m;
    }
  }

  public static void main(String[] args) throws Exception {
    Path json = null;
    int batch = DEFAULT_BATCH;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--json") && i + 1 < args.length) {
        json = Path.of(args[++i]);
      } else if (args[i].equals("--batch") && i + 1 < args.length && args[i + 1].matches("[1-9][0-9]{0,3}")) {
        batch = Integer.parseInt(args[++i]);
      } else {
        System.err.println("usage: MiniLmBench [--json FILE] [--batch SENTENCES (1-9999, default "
            + DEFAULT_BATCH + ")]");
        System.exit(2);
      }
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    List<Row> rows = run(batch);
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).write(rows.stream().map(Row::json).toList(),
          json.toFile());
      System.out.println("wrote " + json);
    }
  }

  static List<Row> run(int batch) throws Exception {
    List<String> sentences = Sentences.load();
    List<int[]> ids = new ArrayList<>();
    TensorSource source;
    try (MiniLmTokenizer tokenizer = MiniLmTokenizer.load()) {
      for (String s : sentences) {
        ids.add(tokenizer.ids(s));
      }
      source = BertOnnxWeights.toTensorSource(OnnxInitializers.fromClassPath(OrtEmbeddingModel.FP32_MODEL),
          Arena.ofAuto());
    }
    int minTokens = ids.stream().mapToInt(a -> a.length).min().orElseThrow();
    int maxTokens = ids.stream().mapToInt(a -> a.length).max().orElseThrow();
    long tokens = ids.stream().mapToInt(a -> a.length).sum();
    System.out.printf(Locale.ROOT,
        "all-MiniLM-L6-v2, %d sentences of %d-%d tokens (%d in all); one at a time, and batched %d "
            + "sentences per call; median of %d interleaved rounds after %d warm-ups; %d processors%n",
        sentences.size(), minTokens, maxTokens, tokens, batch, PASSES, WARM_UPS,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT,
        "batched: jquant stacks a batch's %d token rows without padding; ONNX Runtime pads each batch to its "
            + "longest sentence: %d pad positions (%.0f%% of its rows)%n",
        tokens, OrtBatchedModel.paddedTokens(ids, batch),
        100.0 * OrtBatchedModel.paddedTokens(ids, batch)
            / (tokens + OrtBatchedModel.paddedTokens(ids, batch)));

    List<float[]> reference = embedAll(new AllMiniLmL6V2EmbeddingModel(), sentences);
    // Accuracy first (no result depends on the thread count), then speed.
    try (OrtEmbeddingModel int8 = OrtEmbeddingModel.open(OrtEmbeddingModel.INT8_MODEL, 1);
        OrtBatchedModel fp32Batched = OrtBatchedModel.open(OrtEmbeddingModel.FP32_MODEL, 1);
        OrtBatchedModel int8Batched = OrtBatchedModel.open(OrtEmbeddingModel.INT8_MODEL, 1)) {
      List<float[]> int8Single = embedAll(int8, sentences);
      double[] int8Cosines = cosines(int8Single, reference);
      List<float[]> int8BatchedEmbeddings = embedAll(int8Batched, ids, batch);
      System.out.printf(Locale.ROOT, "ONNX Runtime int8 (-q) vs its float32: cosine min %.6f, mean %.6f%n",
          min(int8Cosines), mean(int8Cosines));
      System.out.printf(Locale.ROOT,
          "ONNX Runtime batched vs one at a time: float32 cosine min %.9f; int8 cosine min %.6f (its dynamic "
              + "activation scale spans the padded batch); int8 batched vs float32: cosine min %.6f, "
              + "mean %.6f%n",
          min(cosines(embedAll(fp32Batched, ids, batch), reference)),
          min(cosines(int8BatchedEmbeddings, int8Single)), min(cosines(int8BatchedEmbeddings, reference)),
          mean(cosines(int8BatchedEmbeddings, reference)));
    }
    List<MiniLmFormats.Format> formats = MiniLmFormats.all();
    List<MiniLmEncoder> encoders = new ArrayList<>();
    double[][] accuracy = new double[formats.size()][];
    for (MiniLmFormats.Format format : formats) {
      MiniLmEncoder encoder = MiniLmEncoder.create(source, format.config());
      List<float[]> single = embedAll(encoder, ids, KernelThreads.single());
      double[] cosines = cosines(single, reference);
      List<float[]> batchedEmbeddings = encoder.embedAll(ids, batch, KernelThreads.single());
      accuracy[encoders.size()] = new double[] { min(cosines), mean(cosines),
          min(cosines(batchedEmbeddings, reference)), maxDifference(batchedEmbeddings, single) };
      encoders.add(encoder);
    }

    // Speed: on a shared machine the load drifts, so every contender is timed once per round, round after
    // round, and each rate is the median of its rounds: drift hits all of them alike.
    int contenders = 4 + 2 * formats.size();
    double[][] rates = new double[THREADS.length][];
    double[] cpuRates = null;
    for (int t = 0; t < THREADS.length; t++) {
      try (OrtEmbeddingModel fp32 = OrtEmbeddingModel.open(OrtEmbeddingModel.FP32_MODEL, THREADS[t]);
          OrtEmbeddingModel int8 = OrtEmbeddingModel.open(OrtEmbeddingModel.INT8_MODEL, THREADS[t]);
          OrtBatchedModel fp32Batched = OrtBatchedModel.open(OrtEmbeddingModel.FP32_MODEL, THREADS[t]);
          OrtBatchedModel int8Batched = OrtBatchedModel.open(OrtEmbeddingModel.INT8_MODEL, THREADS[t]);
          KernelThreads threads = KernelThreads.create(THREADS[t])) {
        List<Runnable> passes = new ArrayList<>(contenders);
        passes.add(() -> embedAll(fp32, sentences));
        passes.add(() -> embedAll(int8, sentences));
        passes.add(() -> embedAll(fp32Batched, ids, batch));
        passes.add(() -> embedAll(int8Batched, ids, batch));
        for (MiniLmEncoder encoder : encoders) {
          passes.add(() -> embedAll(encoder, ids, threads));
          passes.add(() -> encoder.embedAll(ids, batch, threads));
        }
        double[][] measured = interleavedRates(ids.size(), passes);
        rates[t] = measured[0];
        if (THREADS[t] == 1) {
          cpuRates = measured[1];
        }
      }
    }

    List<Row> rows = new ArrayList<>();
    String batched = "batched " + batch;
    System.out.printf(Locale.ROOT,
        "%n%-11s %9s %9s %9s | %-23s | %-17s | %-17s || %-23s | %-17s | %-17s | %s%n",
        "format", "cos min", "cos mean", "weight MB", "jquant sent/s (1t, 2t)", "ORT fp32 (1t, 2t)",
        "ORT int8 (1t, 2t)", "jquant " + batched, "ORT fp32 " + batched, "ORT int8 " + batched,
        "batched: cos min, max |diff| to single");
    for (int f = 0; f < formats.size(); f++) {
      double[] a = accuracy[f];
      long weightBytes = encoders.get(f).weightBytes();
      for (int t = 0; t < THREADS.length; t++) {
        double[] r = rates[t];
        rows.add(
            new Row(formats.get(f).label(), a[0], a[1], THREADS[t], r[4 + 2 * f], r[0], r[1], weightBytes,
                batch, r[5 + 2 * f], r[2], r[3], a[2], a[3]));
      }
      double[] r1 = rates[0];
      double[] r2 = rates[1];
      System.out.printf(Locale.ROOT,
          "%-11s %9.6f %9.6f %9.2f | %10.1f %10.1f  | %7.1f %7.1f   | %7.1f %7.1f   || %10.1f %10.1f  "
              + "| %7.1f %7.1f   | %7.1f %7.1f   | %9.6f %.2e%n",
          formats.get(f).label(), a[0], a[1], weightBytes / 1e6, r1[4 + 2 * f], r2[4 + 2 * f], r1[0], r2[0],
          r1[1], r2[1], r1[5 + 2 * f], r2[5 + 2 * f], r1[2], r2[2], r1[3], r2[3], a[2], a[3]);
    }
    printRatios(rows);
    printCpuRates(formats, cpuRates);
    return rows;
  }

  /**
   * Each jquant rate over ONNX Runtime's float32 and int8 rates, one at a time and batched, per thread count.
   */
  private static void printRatios(List<Row> rows) {
    System.out.printf(Locale.ROOT,
        "%nspeed ratios, jquant / ONNX Runtime (same run):%n%-11s %-7s | %-23s | %s%n",
        "format", "threads", "one at a time: fp32 int8", "batched: fp32 int8");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "%-11s %7d | %11.2f %11.2f | %9.2f %8.2f%n", r.format(), r.threads(),
          r.sentencesPerS() / r.ortFp32SentencesPerS(), r.sentencesPerS() / r.ortInt8SentencesPerS(),
          r.batchedSentencesPerS() / r.ortFp32BatchedSentencesPerS(),
          r.batchedSentencesPerS() / r.ortInt8BatchedSentencesPerS());
    }
  }

  /** One thread's rates from the timing thread's CPU time, and their ratios to ONNX Runtime's. */
  private static void printCpuRates(List<MiniLmFormats.Format> formats, double[] r) {
    System.out.printf(Locale.ROOT,
        "%n1 thread, sentences per CPU second of the timing thread (blind to time spent descheduled):%n"
            + "ORT fp32 %.1f, int8 %.1f; batched: fp32 %.1f, int8 %.1f%n"
            + "%-11s | %-10s %-10s | %-10s %-10s%n",
        r[0], r[1], r[2], r[3], "format", "jquant", "batched", "/ORT fp32",
        "/ORT int8 (one at a time; batched)");
    for (int f = 0; f < formats.size(); f++) {
      double single = r[4 + 2 * f];
      double batched = r[5 + 2 * f];
      System.out.printf(Locale.ROOT, "%-11s | %10.1f %10.1f | %4.2f; %4.2f  %4.2f; %4.2f%n",
          formats.get(f).label(), single, batched, single / r[0], batched / r[2], single / r[1],
          batched / r[3]);
    }
  }

  private static List<float[]> embedAll(EmbeddingModel model, List<String> sentences) {
    List<float[]> out = new ArrayList<>();
    for (String s : sentences) {
      out.add(model.embed(TextSegment.from(s)).content().vector());
    }
    return out;
  }

  private static List<float[]> embedAll(MiniLmEncoder encoder, List<int[]> ids, KernelThreads threads) {
    List<float[]> out = new ArrayList<>();
    for (int[] sentence : ids) {
      out.add(encoder.embed(sentence, threads));
    }
    return out;
  }

  private static List<float[]> embedAll(OrtBatchedModel model, List<int[]> ids, int batch) {
    try {
      return model.embedAll(ids, batch);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + batch, e);
    }
  }

  /** The largest {@code |a - b|} over every element of every embedding. */
  static double maxDifference(List<float[]> a, List<float[]> b) {
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      for (int j = 0; j < a.get(i).length; j++) {
        max = Math.max(max, Math.abs(a.get(i)[j] - b.get(i)[j]));
      }
    }
    return max;
  }

  /**
   * Each pass's rate in {@code count} sentences per second: {@link #WARM_UPS} untimed passes of each, then
   * {@link #PASSES} rounds that time every pass once, in order; the median of each pass's rounds, from the
   * wall clock ({@code [0]}) and from the timing thread's CPU time ({@code [1]}: the rate while it ran, which
   * a shared machine's load leaves alone; meaningful for 1 thread, where jquant and ONNX Runtime compute in
   * the calling thread).
   */
  private static double[][] interleavedRates(int count, List<Runnable> passes) {
    for (Runnable pass : passes) {
      for (int w = 0; w < WARM_UPS; w++) {
        pass.run();
      }
    }
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double[][] rounds = new double[passes.size()][PASSES];
    double[][] cpuRounds = new double[passes.size()][PASSES];
    for (int p = 0; p < PASSES; p++) {
      for (int c = 0; c < passes.size(); c++) {
        long cpuStart = cpu.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        passes.get(c).run();
        rounds[c][p] = count / ((System.nanoTime() - start) / 1e9);
        cpuRounds[c][p] = count / ((cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9);
      }
    }
    double[][] medians = new double[2][passes.size()];
    for (int c = 0; c < passes.size(); c++) {
      Arrays.sort(rounds[c]);
      Arrays.sort(cpuRounds[c]);
      medians[0][c] = rounds[c][PASSES / 2];
      medians[1][c] = cpuRounds[c][PASSES / 2];
    }
    return medians;
  }

  static double[] cosines(List<float[]> a, List<float[]> b) {
    double[] c = new double[a.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = cosine(a.get(i), b.get(i));
    }
    return c;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElseThrow();
  }
}
