package io.jquant.cli;

import io.jquant.config.QuantConfig;
import io.jquant.config.hf.CheckpointFormat;
import io.jquant.config.hf.FormatDetector;
import io.jquant.config.hf.TensorInfo;
import io.jquant.config.layout.LayoutException;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.CheckpointQuantizer;
import io.jquant.runtime.checkpoint.CheckpointWriter;
import io.jquant.runtime.model.FusedGroups;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.tensor.TensorViews;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jquant quantize}: a float checkpoint to one of the quantized layouts, tensor by tensor. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
    header = "Quantize a float checkpoint into a quantized checkpoint directory.",
    description = {
        "Quantizes the attention and MLP projection weights of a float safetensors checkpoint (F32, BF16,"
            + " F16;"
            + " one file or a directory, sharded or not) into OUT, a new directory in the format's checkpoint"
            + " layout, with config.json's quantization_config (and hf_quant_config.json for nvfp4, whose"
            + " static input scales need --calibration FILE).",
        "Quantized: 2-D *.weight of q/k/v/o_proj, qkv_proj, out_proj, gate/up/down_proj, gate_up_proj, BERT's"
            + " query/key/value and dense under output/intermediate. Everything else (embeddings, norms,"
            + " lm_head, biases) is copied in its dtype. A layer's MLP and its attention are each quantized"
            + " all or nothing: when one projection cannot be (K not a multiple of the format's block, nvfp4"
            + " 16, mxfp4/mxfp8 32; --exclude; not float), the whole role of that layer is copied, with a"
            + " warning naming it, and put on the ignore list.",
        "OUT must not exist (or be empty); it appears only when everything was written." })
final class QuantizeCommand implements Callable<Integer> {
  @Option(names = "--format", required = true, converter = FormatPresetConverter.class,
      completionCandidates = FormatPresetConverter.Candidates.class,
      description = "Target format: ${COMPLETION-CANDIDATES}.")
  FormatPreset format;

  @Option(names = "--exclude", paramLabel = "PATTERN",
      description = "Leave matching modules unquantized: a module name (or a parent's), an fnmatch wildcard"
          + " (* crosses dots) or re:REGEX (matched from the start). Repeatable.")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--calibration", paramLabel = "FILE",
      description = "Recorded input amax per module (a JSON object {\"model.layers.0.mlp.gate_proj\": 3.25,"
          + " ...}, as ModelWeights.recordInputs records it): writes static input scales, an input_scale per"
          + " quantized projection (amax/(6*448) for nvfp4, amax/448 for fp8-tensor), and the format's"
          + " static config. Every quantized projection needs an amax; unknown names are refused.")
  Path calibration;

  @Option(names = "--mx-scale-mode", defaultValue = "rceil", paramLabel = "MODE",
      description = "MX shared-scale rule: rceil (default), floor, even, ceil.")
  MxScaleMode mxScaleMode;

  @Option(names = "--max-shard-size", defaultValue = "5GB", converter = ByteSize.class, paramLabel = "SIZE",
      description = "Largest shard of tensor data (default ${DEFAULT-VALUE}; KB/MB/GB are powers of 1000,"
          + " KiB/MiB/GiB of 1024).")
  long maxShardBytes;

  @Option(names = "--threads", paramLabel = "N",
      description = "Tensors quantized in parallel (default: the number of processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Parameters(index = "0", paramLabel = "IN",
      description = "Float checkpoint: a .safetensors file or a directory.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Output directory (must not exist or be empty).")
  Path out;

  @picocli.CommandLine.Mixin
  VerboseOption verbose;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (threads < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--threads must be at least 1, got " + threads);
    }
    requireCalibration();
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    TensorSelection selection = TensorSelection.excluding(exclude);
    Path inputDir = Files.isDirectory(in) ? in : null;
    try (Checkpoint checkpoint = Checkpoint.open(in)) {
      requireFloat(checkpoint, inputDir);
      QuantizePlan plan = QuantizePlan.of(checkpoint, selection, format);
      for (String warning : plan.warnings()) {
        stderr.println("warning: " + warning);
      }
      if (plan.quantized().isEmpty()) {
        throw new BadInputException(in + ": no tensor to quantize (no 2-D float projection weight is left"
            + " after the rule and --exclude)");
      }
      QuantConfig config;
      Map<String, Float> inputScales = null;
      if (calibration != null) {
        config = CalibrationFile.staticBuilder(format).mlpQuantizedLayers(plan.mlpLayers())
            .attnQuantizedLayers(plan.attnLayers()).build();
        inputScales = CalibrationFile.inputScales(calibration, checkpoint, plan, format, config);
      } else {
        config = format.config(plan.mlpLayers(), plan.attnLayers());
      }
      for (String warning : EngineWarnings.of(config, plan.layerCount())) {
        stderr.println("warning: " + warning);
      }
      WeightQuantizer quantizer = format.exportQuantizer(mxScaleMode);
      try (OutputTransaction output = OutputTransaction.begin(out)) {
        output.removedStale().forEach(note -> stderr.println("note: " + note));
        writeTensors(checkpoint, plan, quantizer, inputScales, output.dir(), stderr);
        ConfigFiles.writeQuantized(inputDir, output.dir(), config, plan.ignore());
        List<String> copied = ConfigFiles.copyOthers(inputDir, output.dir());
        output.commit();
        // Results, printed once there is an output: a failed run leaves stdout empty.
        for (QuantizePlan.Skip skip : plan.skipped()) {
          stdout.println("not quantized: " + skip.name() + " (" + skip.reason() + ")");
        }
        stdout.println("quantized " + plan.quantized().size() + " of " + checkpoint.tensorNames().size()
            + " tensors to " + format
            + (inputScales == null ? "" : " with static input scales from " + calibration)
            + "; copied " + (copied.isEmpty() ? "no other file" : copied)
            + "; wrote " + out);
      }
    }
    stdout.flush();
    stderr.flush();
    return ExitCodes.OK;
  }

  /**
   * Refuses a format whose export every engine reads with static input scales when there are no calibrated
   * ones to write (docs/FORMATS.md §5.4): such a checkpoint would not load as written.
   */
  private void requireCalibration() {
    if (format.needsCalibration() && calibration == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format " + format
          + " writes a checkpoint whose input scales are static (modelopt " + format.displayName()
          + ": vLLM and MAX need an input_scale for every quantized projection), and jquant has no"
          + " activation ranges to compute them from; pass recorded ones with --calibration FILE");
    }
  }

  private void requireFloat(Checkpoint checkpoint, Path inputDir) throws IOException {
    List<TensorInfo> infos = checkpoint.tensorNames().stream()
        .map(name -> TensorViews.info(checkpoint.tensor(name))).toList();
    CheckpointFormat detected;
    try {
      detected = FormatDetector.detect(infos);
    } catch (LayoutException e) {
      throw new BadInputException(checkpoint.fileOf(e.tensor()) + ": " + e.getMessage(), e);
    }
    if (detected != CheckpointFormat.UNQUANTIZED) {
      throw new BadInputException(in + ": already quantized (" + detected.description()
          + "); quantize reads float checkpoints");
    }
    Map<String, Object> config = ConfigFiles.readConfigMap(inputDir);
    if (config.containsKey("quantization_config")) {
      throw new BadInputException(inputDir.resolve("config.json")
          + ": already has a quantization_config; quantize reads float checkpoints");
    }
  }

  /**
   * With calibration and NVFP4, each fused group's (q/k/v, gate/up) largest weight amax for its members, as
   * modelopt exports them; else none.
   */
  private Map<String, Float> nvfp4Amax(Checkpoint checkpoint, QuantizePlan plan,
      Map<String, Float> inputScales) {
    if (inputScales == null) {
      return Map.of();
    }
    List<String> modules = plan.quantized().stream().map(TensorSelection::moduleOf).toList();
    try {
      return FusedGroups.nvfp4WeightAmax(format.format(), modules, checkpoint::tensor,
          checkpoint.root().toString());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  /** Writes the tensors into {@code dir}, reporting progress on {@code progressOut} (stderr). */
  private void writeTensors(Checkpoint checkpoint, QuantizePlan plan, WeightQuantizer quantizer,
      Map<String, Float> inputScales, Path dir, PrintWriter progressOut) throws IOException {
    CheckpointWriter writer = CheckpointWriter.open(dir, maxShardBytes);
    boolean done = false;
    try (ProgressReporter progress = ProgressReporter.create(ProgressReporter.onTerminal(), "quantize",
        checkpoint.tensorNames().size(), progressOut)) {
      CheckpointQuantizer.run(CheckpointQuantizer.input(checkpoint), plan.quantized(), quantizer,
          inputScales, nvfp4Amax(checkpoint, plan, inputScales), writer, threads,
          (input, quantized) -> progress.done(input.name(),
              (quantized ? format.toString() : "copied " + input.dtype()) + " " + input.shape()));
      writer.close();
      done = true;
    } finally {
      if (!done) {
        writer.abort();
      }
    }
  }
}
