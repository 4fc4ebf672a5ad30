package io.jquant.runtime.model;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.ConfigAgreement;
import io.jquant.runtime.Linear;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.kernel.Bf16Linear;
import io.jquant.runtime.kernel.Fp32Linear;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.layout.StoredLayer;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A model's checkpoint opened for building its layers as a {@link QuantConfig} says; what generated wiring
 * calls.
 *
 * <p>Opening checks, before any weight is read, that the checkpoint's own quantization config agrees with the
 * declared one ({@link ConfigAgreement}); a disagreement is an {@link IllegalArgumentException} naming every
 * differing layer and field with both sides.
 *
 * <p>{@link #projection} binds a projection on a quantized layer to its format's kernel, read from the
 * checkpoint's quantized tensors ({@code weight}, {@code weight_scale}, {@code weight_scale_2},
 * {@code input_scale}, ...) or, for a float checkpoint, quantized on the fly as the config says; elsewhere to
 * a BF16 or FP32 {@code Linear} over the stored weight. Biases are rounded to the config's
 * {@code bias_dtype}.
 *
 * <p>Quantizing a float checkpoint on the fly ({@link #projection}): <ul> <li>weights:
 * {@link io.jquant.runtime.quant.WeightQuantizer#forConfig(QuantConfig)} (MX scales by RCEIL), then
 * {@link io.jquant.runtime.kernel.Kernels#linear}. A K that is not a multiple of the format's block (16 for
 * NVFP4, 32 for MXFP4 and MXFP8; Llama's down_proj can have K = 172) is padded with zero columns to the next
 * multiple before quantizing, which changes no scale and no real element's code (zeros change no absmax), and
 * the layer pads each input row likewise; its {@code inFeatures()} is the true K; <li>inputs: the config's
 * input spec. A STATIC spec needs a calibrated {@code input_scale}, which a float checkpoint does not have
 * (nor one {@code jquant quantize} wrote), so the activations are then quantized dynamically per call at the
 * same granularity: NVFP4 with a per-call per-tensor scale
 * ({@link io.jquant.runtime.quant.activation.ActivationQuantizer#nvfp4Dynamic()}), FP8 with a per-call tensor
 * (TENSOR), per-token (COLWISE) or per-block (BLOCK) scale. The same holds for a quantized checkpoint without
 * {@code input_scale}. With {@link #useCalibration} the float modules take static scales from recorded amax
 * instead; <li>non-finite weights are refused, naming the tensor and the element. </ul>
 *
 * <p>Calibration: {@link #recordInputs} turns the quantized layers' projections into float layers that record
 * their input amax while the model's own forward code runs over sample inputs; {@link CalibratedCheckpoint}
 * then writes the quantized checkpoint with an {@code input_scale} per projection, which opens back here to
 * exactly what {@link #useCalibration} computes on the fly. A modelopt NVFP4 weight stored with a K off the
 * block of 16 (as jquant writes Llama's 172-wide down_proj) is padded at load as the on-the-fly path pads it.
 *
 * <p>Not thread-safe while projections are built; the {@link Linear}s it returns are independent of it, but
 * those over a checkpoint read its mapped memory and must not be used after {@link #close()}.
 */
public final class ModelWeights implements AutoCloseable {
  private final TensorSource source;
  private final ModelLayout layout;
  private final QuantConfig config;
  private final Checkpoint owned;
  /** A layer's MLP input quantizer, shared by its GATE and UP so that GateUpLinear fuses them. */
  private final Map<Integer, SharedInput> fusedInputs = new HashMap<>();
  /** Per role and layer, the shared NVFP4 weight amax of each fused module under a calibration. */
  private final Map<String, Map<String, Float>> fusedWeightAmax = new HashMap<>();
  private AmaxRecorder recorder;
  private Calibration calibration;
  private boolean closed;

  private record SharedInput(Float inputScale, InputActivations activations) {}

  private ModelWeights(TensorSource source, ModelLayout layout, QuantConfig config, Checkpoint owned) {
    this.source = source;
    this.layout = layout;
    this.config = config;
    this.owned = owned;
  }

  /**
   * Opens the checkpoint at {@code checkpoint} (a directory or a {@code .safetensors} file) and checks its
   * quantization config against {@code declared}.
   *
   * @param declared the config to build with, or null to build every projection unquantized
   * @throws IOException when the checkpoint cannot be read
   * @throws IllegalArgumentException when its config disagrees with {@code declared}
   */
  public static ModelWeights open(Path checkpoint, ModelLayout layout, QuantConfig declared)
      throws IOException {
    Objects.requireNonNull(layout, "layout");
    Checkpoint opened = Checkpoint.open(checkpoint);
    try {
      return create(new CheckpointSource(opened), layout, declared, opened);
    } catch (RuntimeException | Error e) {
      opened.close();
      throw e;
    }
  }

  /** Like {@link #open} over tensors already at hand; closing it does not close {@code source}. */
  public static ModelWeights of(TensorSource source, ModelLayout layout, QuantConfig declared) {
    return create(source, layout, declared, null);
  }

  private static ModelWeights create(TensorSource source, ModelLayout layout, QuantConfig declared,
      Checkpoint owned) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(layout, "layout");
    List<ConfigAgreement.Disagreement> disagreements = ConfigAgreement.compare(declared,
        source.quantization(layout.numLayers(), layout.moduleNames()), layout.numLayers());
    if (!disagreements.isEmpty()) {
      throw new IllegalArgumentException(source.description()
          + ": the checkpoint's quantization disagrees with the declaration:\n  "
          + disagreements.stream().map(ConfigAgreement.Disagreement::message)
              .collect(Collectors.joining("\n  ")));
    }
    return new ModelWeights(source, layout, declared, owned);
  }

  /** The layout the layers are read with. */
  public ModelLayout layout() {
    return layout;
  }

  /** The config projections are built with; empty when every projection is unquantized. */
  public Optional<QuantConfig> config() {
    return Optional.ofNullable(config);
  }

  /** The tensors. */
  public TensorSource source() {
    return source;
  }

  /**
   * Calibrating mode: every projection {@link #projection} builds from now on for a quantized layer is the
   * float layer over its stored weight (as modelopt calibrates: quantizers off), which records the amax of
   * each input into {@code recorder} under its module name. Run the model's own forward code over sample
   * inputs, then take {@link AmaxRecorder#calibration()} to {@link #useCalibration} or
   * {@link CalibratedCheckpoint#write}.
   *
   * @return this
   * @throws IllegalStateException when there is no config or its input spec is DYNAMIC (nothing to calibrate)
   */
  public ModelWeights recordInputs(AmaxRecorder recorder) {
    requireStatic("calibrating");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    return this;
  }

  /**
   * Quantizes activations of float modules with static scales from {@code calibration}: every projection
   * {@link #projection} builds from now on for a quantized layer whose weight is stored in float (quantized
   * on the fly) takes {@link Calibration#inputScale(String, QuantFormat)} of its module as its
   * {@code input_scale}, instead of per-call scales. Modules stored quantized keep their own
   * {@code input_scale} tensors.
   *
   * @return this
   * @throws IllegalStateException when there is no config or its input spec is DYNAMIC
   */
  public ModelWeights useCalibration(Calibration calibration) {
    requireStatic("a calibration");
    this.calibration = Objects.requireNonNull(calibration, "calibration").fused();
    return this;
  }

  private void requireStatic(String what) {
    if (config == null || !config.isStatic()) {
      throw new IllegalStateException(source.description() + ": " + what + " needs a QuantConfig with STATIC"
          + " input scales, got " + (config == null ? "none (float32)" : config.inputScale().toRuleSpec()));
    }
  }

  /**
   * Whether layer {@code layer}'s projections of {@code role} are quantized under {@link #config()}.
   *
   * @throws IllegalArgumentException unless role is MLP or ATTENTION
   */
  public boolean isQuantized(Role role, int layer) {
    requireRole(role);
    if (config == null) {
      return false;
    }
    return (role == Role.MLP ? config.mlpQuantizedLayers() : config.attnQuantizedLayers()).contains(layer);
  }

  /**
   * Builds projection {@code projection} (relative to the layer prefix, e.g. {@code mlp.gate_proj}) of layer
   * {@code layer}: the format's kernel when the layer's {@code role} is quantized, else a float one. With
   * {@code can_use_fused_mlp}, a layer's GATE and UP share one input quantizer so that
   * {@link io.jquant.runtime.kernel.GateUpLinear} can fuse them.
   *
   * <p>On a quantized layer, a module the checkpoint holds quantized gets its format's kernel over the stored
   * tensors (the layouts {@link StoredKernels} lists), a float one is quantized on the fly (see the class
   * comment); a STATIC input spec takes the module's {@code input_scale} (or the reciprocal of
   * compressed-tensors' {@code input_global_scale}). On an unquantized layer, a BF16 weight runs on
   * {@link Bf16Linear}, an F32 one on {@link Fp32Linear}, an F16 one widened to float32 on Fp32Linear. The
   * bias ({@code <module>.bias}, any float dtype, shape {@code [out]}) is widened to float32, each value
   * rounded to the config's {@code bias_dtype} when that is bfloat16 or float16; the sum stays float32.
   *
   * @throws IllegalArgumentException naming the tensor when one is missing or has the wrong dtype or shape;
   * naming the module when its tensors are no layout of the format, or when it is stored quantized on a layer
   * the config leaves unquantized
   */
  public Linear projection(Role role, ProjectionKind kind, int layer, String projection) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(projection, "projection");
    requireRole(role);
    if (kind != ProjectionKind.INFER && kind.role() != role) {
      throw new IllegalArgumentException("projection " + projection + ": " + kind + " is not a projection of "
          + role);
    }
    String module = layout.module(layer, projection);
    Optional<TensorView> weight = source.find(module + ".weight");
    Optional<TensorView> packed = source.find(module + ".weight_packed");
    if (weight.isEmpty() && packed.isEmpty()) {
      source.tensor(module + ".weight"); // throws, naming the source and the tensor
    }
    boolean storedQuantized = packed.isPresent() || !weight.get().isFloat();
    if (!isQuantized(role, layer)) {
      if (storedQuantized) {
        throw new IllegalArgumentException(
            source.description() + ": module " + module + " is stored quantized ("
                + StoredKernels.layout(source, module) + "), but layer " + layer + "'s " + role
                + " is not quantized "
                + (config == null ? "(no QuantConfig)" : "under the QuantConfig"));
      }
      return floatLinear(module, weight.get());
    }
    if (recorder != null && storedQuantized) {
      throw new IllegalArgumentException(source.description() + ": cannot calibrate module " + module
          + ": it is stored quantized (" + StoredKernels.layout(source, module)
          + "); calibration runs the float weights");
    }
    if (storedQuantized) {
      InputActivations activations = activations(role, kind, layer, module, true);
      Optional<Linear> padded = PaddedNvfp4.linear(source, module, config, activations,
          () -> bias(module, weight.get()));
      if (padded.isPresent()) {
        return padded.get();
      }
      // The layout table checks the stored tensors first, with the words dequantize and inspect use.
      StoredLayer stored = StoredKernels.layer(source, module, config);
      return stored.kernel(activations, bias(module, stored.view(stored.layout().weight().name())));
    }
    TensorView w = weight.get();
    if (w.shape().size() != 2) {
      throw new IllegalArgumentException(
          source.description() + ": tensor '" + w.name() + "' is " + w.dtype()
              + " " + w.shape() + ", expected a 2-D weight [out, in]");
    }
    if (recorder != null) {
      return new RecordingLinear(floatLinear(module, w), recorder);
    }
    float[] bias = bias(module, w);
    InputActivations activations = activations(role, kind, layer, module, false);
    FloatMatrix matrix = new FloatMatrix(w.name(), Math.toIntExact(w.shape().get(0)),
        Math.toIntExact(w.shape().get(1)), FloatTensors.widen(source.description(), w));
    return OnTheFly.linear(module, matrix, config, activations, bias, fusedWeightAmax(role, layer, module));
  }

  /**
   * With a calibration, an NVFP4 module of a fused group (q/k/v, gate/up among the layer's declared
   * projections) quantizes with the group's weight amax, as modelopt exports it ({@link FusedGroups}); else
   * null (its own).
   */
  private Float fusedWeightAmax(Role role, int layer, String module) {
    if (calibration == null || config.format() != QuantFormat.NVFP4) {
      return null;
    }
    // Each group's weights are read once per ModelWeights, not once per member (q/k/v read 3, not 9).
    return fusedWeightAmax.computeIfAbsent(role + "." + layer, key -> {
      List<String> names = role == Role.MLP ? layout.moduleNames().mlp() : layout.moduleNames().attention();
      List<String> modules = names.stream().map(p -> layout.module(layer, p)).toList();
      return FusedGroups.weightAmax(FusedGroups.of(modules), source::tensor, source.description());
    }).get(module);
  }

  private Linear floatLinear(String module, TensorView weight) {
    if (weight.shape().size() != 2) {
      throw new IllegalArgumentException(source.description() + ": tensor '" + weight.name() + "' is "
          + weight.dtype() + " " + weight.shape() + ", expected a 2-D weight [out, in]");
    }
    float[] bias = bias(module, weight);
    return switch (weight.dtype()) {
      case BF16 -> Bf16Linear.create(module, weight, bias);
      case F32 -> Fp32Linear.of(module, weight, bias);
      default -> new Fp32Linear(module, FloatTensors.widen(source.description(), weight), bias,
          Math.toIntExact(weight.shape().get(0)), Math.toIntExact(weight.shape().get(1)));
    };
  }

  /** {@code <module>.bias} widened and rounded to {@code bias_dtype}, or null when there is none. */
  private float[] bias(String module, TensorView weight) {
    Optional<TensorView> found = source.find(module + ".bias");
    if (found.isEmpty()) {
      return null;
    }
    TensorView bias = found.get();
    long out = weight.shape().get(0);
    if (!bias.shape().equals(List.of(out))) {
      throw new IllegalArgumentException(source.description() + ": tensor '" + bias.name() + "' has shape "
          + bias.shape() + ", expected [" + out + "] for weight " + weight.shape());
    }
    float[] values = FloatTensors.widen(source.description(), bias);
    FloatTensors.round(values, 0, values.length, config == null ? null : config.biasDtype(), "bias_dtype");
    return values;
  }

  private InputActivations activations(Role role, ProjectionKind kind, int layer, String module,
      boolean storedQuantized) {
    Float inputScale = !config.isStatic() ? null
        : storedQuantized || calibration == null ? inputScale(module)
            : Float.valueOf(calibration.inputScale(module, config.format()));
    boolean fused = role == Role.MLP && config.canUseFusedMlp()
        && (kind == ProjectionKind.GATE || kind == ProjectionKind.UP);
    if (!fused) {
      return InputActivations.quantized(InputQuantizers.of(config, inputScale));
    }
    SharedInput shared = fusedInputs.get(layer);
    if (shared != null && Objects.equals(shared.inputScale(), inputScale)) {
      return shared.activations();
    }
    // Different static scales (which can_use_fused_mlp rules out for a checkpoint that declares it) cannot
    // share.
    InputActivations activations = InputActivations.quantized(InputQuantizers.of(config, inputScale));
    fusedInputs.putIfAbsent(layer, new SharedInput(inputScale, activations));
    return activations;
  }

  /** The static input scale of {@code module}: modelopt's input_scale, or 1/compressed-tensors' divisor. */
  private Float inputScale(String module) {
    Optional<TensorView> scale = source.find(module + ".input_scale");
    if (scale.isPresent()) {
      return StoredKernels.scalar(source, scale.get());
    }
    Optional<TensorView> global = source.find(module + ".input_global_scale");
    return global.map(t -> 1.0f / StoredKernels.scalar(source, t)).orElse(null);
  }

  /** The tensor {@code name} as stored. */
  public TensorView tensor(String name) {
    return source.tensor(name);
  }

  /**
   * The float tensor {@code name} (F32, BF16 or F16) widened to float32, row-major.
   *
   * @throws IllegalArgumentException naming the tensor when it is missing, or naming it and its dtype when it
   * is not a float tensor
   */
  public float[] floats(String name) {
    return FloatTensors.widen(source.description(), source.tensor(name));
  }

  /**
   * Rounds {@code values[from, to)} (an embedding lookup's output) to the config's
   * {@code embedding_output_dtype}, as MAX's embedding layer returns it; nothing when the dtype is unset or
   * float32.
   */
  public void roundEmbeddingOutput(float[] values, int from, int to) {
    Objects.checkFromToIndex(from, to, values.length);
    FloatTensors.round(values, from, to, config == null ? null : config.embeddingOutputDtype(),
        "embedding_output_dtype");
  }

  /** Closes the checkpoint when {@link #open} opened it (once; later calls do nothing). */
  @Override
  public void close() {
    if (owned != null && !closed) {
      closed = true;
      owned.close();
    }
  }

  private static void requireRole(Role role) {
    Objects.requireNonNull(role, "role");
    if (role != Role.MLP && role != Role.ATTENTION) {
      throw new IllegalArgumentException("role must be MLP or ATTENTION, got " + role);
    }
  }
}
