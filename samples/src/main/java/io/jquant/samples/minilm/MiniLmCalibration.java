package io.jquant.samples.minilm;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.jquant.config.QuantConfig;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.AmaxRecorder;
import io.jquant.runtime.model.CalibratedCheckpoint;
import io.jquant.runtime.model.Calibration;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.model.TensorSource;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Calibrates all-MiniLM-L6-v2's static NVFP4 input scales on the bench's sentences.
 *
 * <pre> MiniLmCalibration OUT </pre>
 *
 * Records every projection's input amax over the 64 sentences in calibrating mode
 * ({@link ModelWeights#recordInputs}) through {@link MiniLmEncoder}'s own forward code, writes
 * {@code OUT/amax.json} and the checkpoint {@code OUT/checkpoint} ({@link CalibratedCheckpoint}), and prints
 * the cosine to langchain4j's float32 embeddings: per-call input scales, calibrated on all sentences (on the
 * fly and from the checkpoint), and calibrated on the first half, measured on the second.
 */
public final class MiniLmCalibration {
  private MiniLmCalibration() {}

  /** Each sentence's input amax per projection, recorded while {@code ids} run through the encoder. */
  public static Calibration calibrate(TensorSource source, QuantConfig config, List<int[]> ids) {
    AmaxRecorder recorder = new AmaxRecorder();
    MiniLmEncoder encoder = MiniLmEncoder.create(MiniLmWiring.of(source, config).recordInputs(recorder));
    for (int[] sentence : ids) {
      encoder.embed(sentence, KernelThreads.single());
    }
    return recorder.calibration();
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: MiniLmCalibration OUT");
    }
    Path out = Path.of(args[0]);
    List<String> sentences = Sentences.load();
    List<int[]> ids = new ArrayList<>();
    try (MiniLmTokenizer tokenizer = MiniLmTokenizer.load()) {
      for (String s : sentences) {
        ids.add(tokenizer.ids(s));
      }
    }
    TensorSource source = BertOnnxWeights.toTensorSource(
        OnnxInitializers.fromClassPath(OrtEmbeddingModel.FP32_MODEL), Arena.ofAuto());
    AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
    List<float[]> reference = new ArrayList<>();
    for (String s : sentences) {
      reference.add(model.embed(TextSegment.from(s)).content().vector());
    }
    QuantConfig config = MiniLmQuantConfig.config();
    Calibration all = calibrate(source, config, ids);
    Files.createDirectories(out);
    all.write(out.resolve("amax.json"));
    CalibratedCheckpoint.write(MiniLmWiring.of(source, config), all, out.resolve("checkpoint"));
    int half = ids.size() / 2;
    Calibration firstHalf = calibrate(source, config, ids.subList(0, half));

    print("per-call input scales", MiniLmEncoder.create(source, config), ids, reference, 0);
    print("calibrated, on the fly", MiniLmEncoder.create(MiniLmWiring.of(source, config).useCalibration(all)),
        ids, reference, 0);
    try (ModelWeights stored = MiniLmWiring.open(out.resolve("checkpoint"))) {
      print("calibrated, checkpoint", MiniLmEncoder.create(stored), ids, reference, 0);
    }
    print("per-call, held-out half", MiniLmEncoder.create(source, config), ids, reference, half);
    print("calibrated on the other half",
        MiniLmEncoder.create(MiniLmWiring.of(source, config).useCalibration(firstHalf)), ids, reference,
        half);
    System.out.println("wrote " + out.resolve("amax.json") + " (" + all.amax().size() + " modules) and "
        + out.resolve("checkpoint"));
  }

  private static void print(String label, MiniLmEncoder encoder, List<int[]> ids, List<float[]> reference,
      int from) {
    double[] cosines = new double[ids.size() - from];
    for (int s = from; s < ids.size(); s++) {
      cosines[s - from] = MiniLmBench.cosine(encoder.embed(ids.get(s), KernelThreads.single()),
          reference.get(s));
    }
    System.out.printf(Locale.ROOT, "%-29s sentences %d-%d: cosine min %.6f, mean %.6f%n", label, from,
        ids.size() - 1, Arrays.stream(cosines).min().orElseThrow(), Arrays.stream(cosines).average()
            .orElseThrow());
  }
}
