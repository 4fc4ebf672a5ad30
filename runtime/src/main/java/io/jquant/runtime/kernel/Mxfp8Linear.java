package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.util.List;
import java.util.Objects;

/**
 * A linear layer over an MXFP8 weight {@code [N, K]} (OCP MX, docs/FORMATS.md §3): E4M3 elements and one E8M0
 * scale byte per 32 elements along K, {@code W[n][k] = E4M3 · 2^(b-127)}, scale byte 255 making its block
 * NaN. Both tensors stay in their segments, never expanded.
 *
 * <p>Up to {@value KernelPlan#EIGHT_BIT_GEMV_MAX_ROWS} activation rows run a GEMV that streams the weight,
 * two rows per pass, decoding each code in registers to exactly the reference's {@code E4M3 · 2^(b-127)};
 * more rows decode panels once and run the blocked GEMM. Results equal the reference ({@code dequantize()}
 * then a float32 matmul) up to float32 summation order; NaN and Inf propagate to the same outputs; the thread
 * count does not change a bit.
 */
public final class Mxfp8Linear extends TwoPathLinear {
  private final E4M3Matrix weights;
  private final long weightBytes;

  private Mxfp8Linear(String name, int out, int in, TensorView weight, TensorView scale,
      InputActivations activations, float[] bias) {
    super(name, out, in, bias, activations);
    this.weights = E4M3Matrix.mx(weight.data(), out, in, scale.data(), EightBitScales.VECTOR);
    this.weightBytes = EightBitScales.bytes(weight, scale);
  }

  /**
   * The layer over checkpoint tensors.
   *
   * @param weight F8_E4M3 {@code [N, K]}, K a multiple of 32
   * @param scale {@code weight_scale} U8 {@code [N, K/32]} of raw E8M0 bytes (F8_E8M0 is accepted too)
   * @param bias N values, or null
   * @throws IllegalArgumentException naming the layer, the tensor and both shapes when a tensor does not fit,
   * or when K is not a multiple of 32
   */
  public static Mxfp8Linear create(String layer, TensorView weight, TensorView scale,
      InputActivations activations, float[] bias) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(activations, "activations");
    LinearChecks.requireMatrix(layer, weight, StorageDType.F8_E4M3);
    int n = Math.toIntExact(weight.shape().get(0));
    int k = Math.toIntExact(weight.shape().get(1));
    LinearChecks.requireBlockMultiple(layer, "MXFP8", k, MxWeights.BLOCK);
    StorageDType scaleType = scale.dtype() == StorageDType.F8_E8M0 ? StorageDType.F8_E8M0 : StorageDType.U8;
    LinearChecks.requireTensor(layer, scale, scaleType, n, k / MxWeights.BLOCK);
    LinearChecks.requireBias(layer, bias, n);
    return new Mxfp8Linear(layer, n, k, weight, scale, activations, bias);
  }

  /**
   * The layer over an MX weight's tensors (shared, not copied).
   *
   * @throws IllegalArgumentException unless the elements are FP8_E4M3 and K is a multiple of 32
   */
  public static Mxfp8Linear of(String layer, MxWeights weights, InputActivations activations, float[] bias) {
    if (weights.element() != MxElement.FP8_E4M3) {
      throw new IllegalArgumentException("layer " + layer + ": MXFP8 runs FP8_E4M3 elements, not "
          + weights.element());
    }
    List<StoredTensor> tensors = weights.tensors();
    return create(layer, tensors.get(0).view(), tensors.get(1).view(), activations, bias);
  }

  @Override
  public long weightBytes() {
    return weightBytes;
  }

  @Override
  StreamedWeights weights() {
    return weights;
  }
}
