package io.jquant.samples.minilm;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.TensorSource;
import java.io.IOException;
import java.lang.foreign.Arena;
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
 * <p>Sentences run one at a time, as langchain4j embeds a single text: {@value #WARM_UPS} warm-up passes over
 * the 64 sentences, then the median of {@value #PASSES} timed passes, on 1 and 2 threads
 * ({@link KernelThreads} for jquant, intra-op threads for ONNX Runtime). {@code --json FILE} also writes the
 * rows.
 *
 * <p>Run with {@code OPT_OUT_TRACKING=true} (the DJL tokenizer otherwise sends telemetry) and
 * {@code --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector}.
 */
public final class MiniLmBench {
  private static final int PASSES = 5;
  /** Untimed passes first: the first formats would otherwise be timed while C2 still compiles the kernels. */
  private static final int WARM_UPS = 2;
  private static final int[] THREADS = { 1, 2 };

  private MiniLmBench() {}

  /** One table row: a format on a thread count. */
  record Row(String format, double cosineMin, double cosineMean, int threads, double sentencesPerS,
      double ortFp32SentencesPerS, double ortInt8SentencesPerS, long weightBytes) {
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
      return m;
    }
  }

  public static void main(String[] args) throws Exception {
    Path json = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--json") && i + 1 < args.length) {
        json = Path.of(args[++i]);
      } else {
        System.err.println("usage: MiniLmBench [--json FILE]");
        System.exit(2);
      }
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    List<Row> rows = run();
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

  static List<Row> run() throws Exception {
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
    System.out.printf(Locale.ROOT,
        "all-MiniLM-L6-v2, %d sentences of %d-%d tokens, one at a time; median of %d "
            + "passes after %d warm-ups; %d processors%n",
        sentences.size(), minTokens, maxTokens, PASSES,
        WARM_UPS, Runtime.getRuntime().availableProcessors());

    List<float[]> reference = embedAll(new AllMiniLmL6V2EmbeddingModel(), sentences);
    double[] ortFp32 = new double[THREADS.length];
    double[] ortInt8 = new double[THREADS.length];
    double[] int8Cosines = null;
    for (int t = 0; t < THREADS.length; t++) {
      try (OrtEmbeddingModel fp32 = OrtEmbeddingModel.open(OrtEmbeddingModel.FP32_MODEL, THREADS[t]);
          OrtEmbeddingModel int8 = OrtEmbeddingModel.open(OrtEmbeddingModel.INT8_MODEL, THREADS[t])) {
        ortFp32[t] = sentencesPerSecond(sentences.size(), () -> embedAll(fp32, sentences));
        ortInt8[t] = sentencesPerSecond(sentences.size(), () -> embedAll(int8, sentences));
        if (int8Cosines == null) {
          int8Cosines = cosines(embedAll(int8, sentences), reference);
        }
      }
    }
    System.out.printf(Locale.ROOT, "ONNX Runtime int8 (-q) vs its float32: cosine min %.6f, mean %.6f%n",
        min(int8Cosines), mean(int8Cosines));

    List<Row> rows = new ArrayList<>();
    System.out.printf(Locale.ROOT, "%n%-11s %9s %9s %9s | %-23s | %-17s | %-17s%n", "format", "cos min",
        "cos mean",
        "weight MB", "jquant sent/s (1t, 2t)", "ORT fp32 (1t, 2t)", "ORT int8 (1t, 2t)");
    for (MiniLmFormats.Format format : MiniLmFormats.all()) {
      MiniLmEncoder encoder = MiniLmEncoder.create(source, format.config());
      // The accuracy pass is also the warm-up; results do not depend on the thread count.
      double[] cosines = cosines(embedAll(encoder, ids, KernelThreads.single()), reference);
      double[] speed = new double[THREADS.length];
      for (int t = 0; t < THREADS.length; t++) {
        try (KernelThreads threads = KernelThreads.create(THREADS[t])) {
          speed[t] = sentencesPerSecond(ids.size(), () -> embedAll(encoder, ids, threads));
        }
        rows.add(
            new Row(format.label(), min(cosines), mean(cosines), THREADS[t], speed[t], ortFp32[t], ortInt8[t],
                encoder.weightBytes()));
      }
      System.out.printf(Locale.ROOT,
          "%-11s %9.6f %9.6f %9.2f | %10.1f %10.1f  | %7.1f %7.1f   | %7.1f %7.1f%n",
          format.label(), min(cosines), mean(cosines), encoder.weightBytes() / 1e6, speed[0], speed[1],
          ortFp32[0],
          ortFp32[1], ortInt8[0], ortInt8[1]);
    }
    return rows;
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

  /** {@link #WARM_UPS} untimed passes, then the median rate of {@link #PASSES} timed passes. */
  private static double sentencesPerSecond(int count, Runnable pass) {
    for (int w = 0; w < WARM_UPS; w++) {
      pass.run();
    }
    double[] rates = new double[PASSES];
    for (int p = 0; p < PASSES; p++) {
      long start = System.nanoTime();
      pass.run();
      rates[p] = count / ((System.nanoTime() - start) / 1e9);
    }
    Arrays.sort(rates);
    return rates[PASSES / 2];
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
