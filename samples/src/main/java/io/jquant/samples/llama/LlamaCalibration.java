package io.jquant.samples.llama;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.AmaxRecorder;
import io.jquant.runtime.model.CalibratedCheckpoint;
import io.jquant.runtime.model.Calibration;
import io.jquant.runtime.model.ModelWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Calibrates stories260K's static NVFP4 input scales: the float model writes a few short stories (greedy
 * continuations of BOS and one word piece), the same model in calibrating mode
 * ({@link ModelWeights#recordInputs}) reads them back while every projection of the declaration's quantized
 * layers records its input amax, and {@link CalibratedCheckpoint} writes the quantized checkpoint with one
 * {@code input_scale} per projection. The word pieces are not those of the reference's prompt (BOS then 461),
 * so the prompt the tests measure on is not calibration data.
 */
public final class LlamaCalibration {
  /** The second token of each calibration prompt, after BOS. */
  static final int[] STARTS = { 431, 293, 418, 303 };
  /** Tokens the float model adds to each start. */
  static final int CONTINUATION = 48;

  private LlamaCalibration() {}

  /** The calibration prompts: BOS, a start, and the float model's greedy continuation of both. */
  public static List<int[]> prompts(Path dir, LlamaConfig config) throws IOException {
    List<int[]> prompts = new ArrayList<>();
    try (ModelWeights weights = LlamaWiring.open(dir, null)) {
      LlamaModel model = LlamaModel.load(weights, config);
      for (int start : STARTS) {
        int[] head = { 1, start };
        int[] tail = model.generate(head, CONTINUATION, KernelThreads.single());
        int[] prompt = new int[head.length + tail.length];
        System.arraycopy(head, 0, prompt, 0, head.length);
        System.arraycopy(tail, 0, prompt, head.length, tail.length);
        prompts.add(prompt);
      }
    }
    return prompts;
  }

  /**
   * Runs {@code prompts} through the float checkpoint at {@code dir} in calibrating mode for {@code config}
   * (the model's own forward code, {@link LlamaModel#logits}) and returns each quantized projection's amax.
   */
  public static Calibration calibrate(Path dir, QuantConfig config, LlamaConfig llama, List<int[]> prompts)
      throws IOException {
    AmaxRecorder recorder = new AmaxRecorder();
    try (ModelWeights weights = LlamaWiring.open(dir, config).recordInputs(recorder)) {
      LlamaModel model = LlamaModel.load(weights, llama);
      for (int[] prompt : prompts) {
        model.logits(prompt, KernelThreads.single());
      }
    }
    return recorder.calibration();
  }

  /** Writes the float checkpoint at {@code dir} quantized as {@code config} with {@code calibration}. */
  public static void write(Path dir, QuantConfig config, Calibration calibration, Path out)
      throws IOException {
    try (ModelWeights weights = LlamaWiring.open(dir, config)) {
      CalibratedCheckpoint.write(weights, calibration, out);
    }
  }
}
