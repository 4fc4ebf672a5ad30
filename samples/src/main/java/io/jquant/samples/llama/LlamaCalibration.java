package io.jquant.samples.llama;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.AmaxRecorder;
import io.jquant.runtime.model.CalibratedCheckpoint;
import io.jquant.runtime.model.Calibration;
import io.jquant.runtime.model.ModelWeights;
import java.io.IOException;
import java.nio.file.Files;
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

  /**
   * {@code LlamaCalibration OUT [DIR]}: calibrates the declaration on the prompts, writes
   * {@code OUT/amax.json}, {@code OUT/amax-all-layers.json} (every projection of every layer, what
   * {@code jquant quantize --calibration} needs for its default selection) and the checkpoint
   * {@code OUT/checkpoint}, and prints each run's agreement with transformers' reference: per-call input
   * scales, the calibration on the fly, and the checkpoint loaded back.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      throw new IllegalArgumentException("usage: LlamaCalibration OUT [DIR]");
    }
    Path out = Path.of(args[0]);
    Path dir = args.length > 1 ? Path.of(args[1]) : Stories260k.locate();
    LlamaConfig llama = LlamaConfig.read(dir);
    Stories260k.Reference reference = Stories260k.Reference.read(dir);
    QuantConfig config = LlamaQuantConfig.config();
    List<int[]> prompts = prompts(dir, llama);
    Calibration calibration = calibrate(dir, config, llama, prompts);
    Files.createDirectories(out);
    calibration.write(out.resolve("amax.json"));
    // Every projection of every layer: what `jquant quantize --calibration` needs, which quantizes them all.
    calibrate(dir, config.toBuilder().allLayers(llama.layers()).build(), llama, prompts)
        .write(out.resolve("amax-all-layers.json"));
    write(dir, config, calibration, out.resolve("checkpoint"));
    try (ModelWeights weights = LlamaWiring.open(dir, config)) {
      System.out.println("per-call input scales:    " + Agreement.measure(LlamaModel.load(weights, llama),
          reference, KernelThreads.single()).summary());
    }
    try (ModelWeights weights = LlamaWiring.open(dir, config).useCalibration(calibration)) {
      System.out.println("calibrated, on the fly:   " + Agreement.measure(LlamaModel.load(weights, llama),
          reference, KernelThreads.single()).summary());
    }
    try (ModelWeights weights = LlamaWiring.open(out.resolve("checkpoint"), config)) {
      System.out.println("calibrated, checkpoint:   " + Agreement.measure(LlamaModel.load(weights, llama),
          reference, KernelThreads.single()).summary());
    }
    System.out.println("wrote " + out.resolve("amax.json") + " (" + calibration.amax().size()
        + " modules) and " + out.resolve("checkpoint"));
  }

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

  /**
   * Writes the float checkpoint at {@code dir} quantized as {@code config} with {@code calibration}; gate and
   * up share their scales (modelopt's fused groups), so the declaration's fused MLP opens it.
   */
  public static void write(Path dir, QuantConfig config, Calibration calibration, Path out)
      throws IOException {
    try (ModelWeights weights = LlamaWiring.open(dir, config)) {
      CalibratedCheckpoint.write(weights, calibration, out);
    }
  }
}
