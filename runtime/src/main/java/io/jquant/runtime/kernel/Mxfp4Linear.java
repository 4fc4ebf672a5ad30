package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.util.List;
import java.util.Objects;

/**
 * An MXFP4 linear layer {@code y = x·Wᵀ (+ bias)} over the packed weight, never expanded to float32.
 *
 * <p>Layout: the checkpoint's own, not repacked: an off-heap segment (a mapped checkpoint) is read in place;
 * a heap segment (e.g. {@code of(...)}'s arrays) is copied once, byte for byte, off-heap, because C2 compiles
 * Vector API loads from heap segments about 10x slower. {@code weight} U8 {@code [N, K/2]}, element
 * {@code 2j} of a row in the low nibble of byte {@code j}; {@code weight_scale} U8 {@code [N, K/32]}, raw
 * E8M0 bytes, one per 32 elements. W[n][k] is {@code E2M1 · 2^(b-127)}, as {@link MxWeights#dequantize()}
 * computes it; scale byte 255 makes its block NaN.
 *
 * <p>Computed as {@link Nvfp4Linear} is (see there): a GEMV for up to 8 rows, panels for {@link PanelGemm}
 * beyond; results equal {@code x · dequantize()ᵀ} up to float32 summation order, whatever the thread count.
 */
public final class Mxfp4Linear extends Fp4Linear {
  private Mxfp4Linear(String name, Fp4Kernel kernel, InputActivations activations, float[] bias) {
    super(name, kernel, activations, bias);
  }

  /**
   * A layer over the MXFP4 tensors (read in place when off-heap).
   *
   * @param layer the layer name used in errors
   * @param weight U8 {@code [N, K/2]} packed E2M1 codes
   * @param weightScale U8 (or F8_E8M0) {@code [N, K/32]} E8M0 scale bytes
   * @param activations what the layer does to its input
   * @param bias N values, or null
   * @throws IllegalArgumentException naming the layer, the tensor and both shapes when a tensor does not fit
   * or when K is not a multiple of 32
   */
  public static Mxfp4Linear create(String layer, TensorView weight, TensorView weightScale,
      InputActivations activations, float[] bias) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(weightScale, "weightScale");
    Objects.requireNonNull(activations, "activations");
    int[] shape = Fp4Kernel.packedShape(layer, "MXFP4", weight, MxWeights.BLOCK);
    int n = shape[0];
    int k = shape[1];
    // The E8M0 bytes are stored as U8 by vLLM, compressed-tensors and gpt-oss, as F8_E8M0 by others.
    StorageDType scaleType = weightScale.dtype() == StorageDType.F8_E8M0 ? StorageDType.F8_E8M0
        : StorageDType.U8;
    LinearChecks.requireTensor(layer, weightScale, scaleType, n, k / MxWeights.BLOCK);
    LinearChecks.requireBias(layer, bias, n);
    return new Mxfp4Linear(layer,
        new Fp4Kernel(true, n, k, weight.data(), weightScale.data(), 1.0f, Fp4Kernel.VECTOR), activations,
        bias);
  }

  /**
   * A layer over {@code weights}' arrays ({@link MxWeights#tensors()}), copied once off-heap.
   *
   * @throws IllegalArgumentException when the element is not FP4_E2M1, K is not a multiple of 32 or the bias
   * does not fit
   */
  public static Mxfp4Linear of(String layer, MxWeights weights, InputActivations activations, float[] bias) {
    Objects.requireNonNull(layer, "layer");
    if (weights.element() != MxElement.FP4_E2M1) {
      throw new IllegalArgumentException(
          "layer " + layer + ": MXFP4 needs FP4_E2M1 elements, got " + weights.element());
    }
    LinearChecks.requireBlockMultiple(layer, "MXFP4", weights.cols(), MxWeights.BLOCK);
    List<StoredTensor> tensors = weights.tensors();
    return create(layer, tensors.get(0).view(), tensors.get(1).view(), activations, bias);
  }

  /** The same layer on the scalar loops, for tests. */
  Mxfp4Linear scalar() {
    return new Mxfp4Linear(name(), kernel.scalar(), activations(), bias());
  }
}
