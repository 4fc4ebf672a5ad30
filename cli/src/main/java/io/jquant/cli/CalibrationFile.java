package io.jquant.cli;

import io.jquant.annotations.DType;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.model.Calibration;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code jquant quantize --calibration FILE}: recorded input amax per module (the JSON object
 * {@link Calibration} defines, e.g. what {@code ModelWeights.recordInputs} recorded and
 * {@link Calibration#write} wrote), checked against the checkpoint and turned into the {@code input_scale} of
 * every quantized projection, with the format's static input spec.
 *
 * <p>Refused, naming the file and the key: a value that is not a number, not finite in float32 or negative; a
 * module name that is no attention or MLP projection weight of the checkpoint (a typo, another model); a
 * quantized projection the file has no amax for; an amax whose input scale has no finite reciprocal. A
 * projection the run leaves unquantized (--exclude, a K off the block) may have an amax; it is not used.
 */
final class CalibrationFile {
  private CalibrationFile() {}

  /**
   * The static-input form of {@code preset}: NVFP4's 1x16 blocks and per-tensor FP8 with STATIC origin, the
   * weights as the preset has them.
   *
   * @throws BadInputException for a preset whose activations have no static form (MX, per-token or per-block
   * FP8, INT8)
   */
  static QuantConfig.Builder staticBuilder(FormatPreset preset) {
    QuantConfig.Builder builder = preset.builder();
    InputScaleSpec input = builder.build().inputScale();
    boolean nvfp4 = preset == FormatPreset.NVFP4;
    boolean tensorFp8 = !nvfp4 && input.granularity() == ScaleGranularity.TENSOR;
    if (!nvfp4 && !tensorFp8) {
      throw new BadInputException("--calibration: --format " + preset + " computes its input scales from"
          + " each input (" + input.granularity() + " " + input.origin() + "); static input scales exist for"
          + " nvfp4 and fp8-tensor");
    }
    return builder.inputScale(nvfp4 ? InputScaleSpec.block(ScaleOrigin.STATIC, DType.FLOAT32, 1, 16)
        : new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.STATIC, input.dtype()));
  }

  /**
   * The {@code input_scale} of every module {@code plan} quantizes, from {@code file}'s amax.
   *
   * @throws BadInputException naming the file and the key, see the class comment
   */
  static Map<String, Float> inputScales(Path file, Checkpoint checkpoint, QuantizePlan plan,
      FormatPreset preset, QuantConfig config) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": --calibration: no such file");
    }
    Calibration calibration;
    try {
      calibration = Calibration.read(file);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
    Set<String> projections = new TreeSet<>();
    for (String name : checkpoint.tensorNames()) {
      TensorView view = checkpoint.tensor(name);
      if (name.endsWith(".weight") && view.shape().size() == 2
          && TensorSelection.isProjection(TensorSelection.moduleOf(name))) {
        projections.add(TensorSelection.moduleOf(name));
      }
    }
    List<String> unknown = new ArrayList<>(calibration.amax().keySet());
    unknown.removeAll(projections);
    if (!unknown.isEmpty()) {
      throw new BadInputException(file + ": \"" + unknown.getFirst() + "\": no attention or MLP projection of"
          + " that name in " + checkpoint.root() + (unknown.size() > 1 ? " (" + unknown.size()
              + " such keys)" : ""));
    }
    Map<String, Float> scales = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    // modelopt's export: a fused group (q/k/v, gate/up) takes its largest amax.
    Calibration fused = calibration.fused();
    for (String weight : plan.quantized()) {
      String module = TensorSelection.moduleOf(weight);
      if (fused.amax().containsKey(module)) {
        try {
          scales.put(module, Calibration.inputScale(config.format(), fused.amax().get(module)));
        } catch (IllegalArgumentException e) {
          throw new BadInputException(file + ": \"" + module + "\": " + e.getMessage(), e);
        }
      } else {
        missing.add(module);
      }
    }
    if (!missing.isEmpty()) {
      throw new BadInputException(file + ": no amax for module " + missing.getFirst() + ", which --format "
          + preset + " quantizes" + (missing.size() > 1 ? " (" + missing.size()
              + " modules missing)" : ""));
    }
    return scales;
  }
}
