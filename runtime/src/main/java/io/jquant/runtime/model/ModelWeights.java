package io.jquant.runtime.model;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.Role;
import io.jquant.runtime.Linear;
import io.jquant.runtime.config.QuantConfig;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model's checkpoint opened for building its layers as a {@link QuantConfig} says; what generated wiring calls.
 *
 * <p>Opening checks, before any weight is read, that the checkpoint's own quantization config agrees with the
 * declared one ({@link ConfigAgreement}); a disagreement is an {@link IllegalArgumentException} naming every
 * differing layer and field with both sides.
 *
 * <p>{@link #projection} binds a projection on a quantized layer to its format's kernel, read from the
 * checkpoint's quantized tensors ({@code weight}, {@code weight_scale}, {@code weight_scale_2},
 * {@code input_scale}, ...) or, for a float checkpoint, quantized on the fly as the config says; elsewhere to a
 * BF16 or FP32 {@code Linear} over the stored weight. Biases are rounded to the config's {@code bias_dtype}.
 */
public final class ModelWeights implements AutoCloseable {
  private ModelWeights() {}

  /**
   * Opens the checkpoint at {@code checkpoint} (a directory or a {@code .safetensors} file) and checks its
   * quantization config against {@code declared}.
   *
   * @param declared the config to build with, or null to build every projection unquantized
   * @throws IOException when the checkpoint cannot be read
   * @throws IllegalArgumentException when its config disagrees with {@code declared}
   */
  public static ModelWeights open(Path checkpoint, ModelLayout layout, QuantConfig declared) throws IOException {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /** Like {@link #open} over tensors already at hand; closing it does not close {@code source}. */
  public static ModelWeights of(TensorSource source, ModelLayout layout, QuantConfig declared) {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /** The layout the layers are read with. */
  public ModelLayout layout() {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /** The config projections are built with; empty when every projection is unquantized. */
  public Optional<QuantConfig> config() {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /** The tensors. */
  public TensorSource source() {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /** Whether layer {@code layer}'s projections of {@code role} are quantized under {@link #config()}. */
  public boolean isQuantized(Role role, int layer) {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /**
   * Builds projection {@code projection} (relative to the layer prefix, e.g. {@code mlp.gate_proj}) of layer
   * {@code layer}: the format's kernel when the layer's {@code role} is quantized, else a float one. With
   * {@code can_use_fused_mlp}, a layer's GATE and UP share one input quantizer so that
   * {@link io.jquant.runtime.kernel.GateUpLinear} can fuse them.
   *
   * @throws IllegalArgumentException naming the tensor when one is missing or has the wrong dtype or shape
   */
  public Linear projection(Role role, ProjectionKind kind, int layer, String projection) {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /** The tensor {@code name} as stored. */
  public TensorView tensor(String name) {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /** The float tensor {@code name} (F32, BF16 or F16) widened to float32, row-major. */
  public float[] floats(String name) {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /**
   * Rounds {@code values[from, to)} (an embedding lookup's output) to the config's {@code embedding_output_dtype},
   * as MAX's embedding layer returns it; nothing when the dtype is unset or float32.
   */
  public void roundEmbeddingOutput(float[] values, int from, int to) {
    throw new UnsupportedOperationException("issue 6: in progress");
  }

  /** Closes the checkpoint when {@link #open} opened it. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("issue 6: in progress");
  }
}
