package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.util.List;
import java.util.Objects;

/**
 * An NVFP4 linear layer {@code y = x·Wᵀ (+ bias)} over the packed weight, never expanded to float32.
 *
 * <p>Layout: the checkpoint's own, not repacked: an off-heap segment (a mapped checkpoint) is read in place;
 * a heap segment (e.g. {@code of(...)}'s arrays) is copied once, byte for byte, off-heap, because C2 compiles
 * Vector API loads from heap segments about 10x slower. {@code weight} U8 {@code [N, K/2]}, element
 * {@code 2j} of a row in the low nibble of byte {@code j}; {@code weight_scale} F8_E4M3 {@code [N, K/16]},
 * one scale per 16 elements; and {@code weight_scale_2}, the float32 multiplier (modelopt's convention).
 * W[n][k] is {@code E2M1 · (E4M3 · weight_scale_2)}, the block scale rounded to float32 once as
 * {@link Nvfp4Weights#dequantize()} does; a NaN scale code (0x7F, 0xFF) makes its block NaN.
 *
 * <p>The input is first what {@link InputActivations#prepare} makes of it (float32 as given, or the
 * dequantized codes of an activation quantizer). Up to 8 rows run a GEMV that streams the weight once per row
 * (two weight rows per pass, a 16-entry table lookup per nibble and one FMA per block pair of lanes); more
 * rows decode tiles of W to float32 for {@link PanelGemm}. Results equal {@code x · dequantize()ᵀ} up to
 * float32 summation order: each block's products are added before the block scale multiplies them. Without
 * the Vector API the same sums run in scalar loops. Output columns are split over the threads; the thread
 * count changes no bit.
 */
public final class Nvfp4Linear extends Fp4Linear {
  private Nvfp4Linear(String name, Fp4Kernel kernel, InputActivations activations, float[] bias) {
    super(name, kernel, activations, bias);
  }

  /**
   * A layer over modelopt's tensors (read in place when off-heap).
   *
   * @param layer the layer name used in errors
   * @param weight U8 {@code [N, K/2]} packed E2M1 codes
   * @param weightScale F8_E4M3 {@code [N, K/16]} block scales
   * @param weightScale2 the per-tensor multiplier, finite and positive
   * @param activations what the layer does to its input
   * @param bias N values, or null
   * @throws IllegalArgumentException naming the layer, the tensor and both shapes when a tensor does not fit,
   * when K is not a multiple of 16, or when weightScale2 is not finite and positive
   */
  public static Nvfp4Linear create(String layer, TensorView weight, TensorView weightScale,
      float weightScale2,
      InputActivations activations, float[] bias) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(weightScale, "weightScale");
    Objects.requireNonNull(activations, "activations");
    int[] shape = Fp4Kernel.packedShape(layer, "NVFP4", weight, Nvfp4Weights.BLOCK);
    int n = shape[0];
    int k = shape[1];
    LinearChecks.requireTensor(layer, weightScale, StorageDType.F8_E4M3, n, k / Nvfp4Weights.BLOCK);
    if (!Float.isFinite(weightScale2) || !(weightScale2 > 0.0f)) {
      throw new IllegalArgumentException(
          "layer " + layer + ": weight_scale_2 must be finite and positive, got " + weightScale2);
    }
    LinearChecks.requireBias(layer, bias, n);
    return new Nvfp4Linear(layer,
        new Fp4Kernel(false, n, k, weight.data(), weightScale.data(), weightScale2, Fp4Kernel.VECTOR),
        activations,
        bias);
  }

  /**
   * A layer over {@code weights}' arrays (its modelopt tensors, {@link Nvfp4Weights#tensors()}), copied once
   * off-heap.
   *
   * @throws IllegalArgumentException when K is not a multiple of 16 or the bias does not fit
   * @throws IllegalStateException when a compressed-tensors global scale has no exact modelopt form
   */
  public static Nvfp4Linear of(String layer, Nvfp4Weights weights, InputActivations activations,
      float[] bias) {
    Objects.requireNonNull(layer, "layer");
    LinearChecks.requireBlockMultiple(layer, "NVFP4", weights.cols(), Nvfp4Weights.BLOCK);
    List<StoredTensor> tensors = weights.tensors();
    return create(layer, tensors.get(0).view(), tensors.get(1).view(), weights.toModelopt().globalScale(),
        activations, bias);
  }

  /** The same layer on the scalar loops, for tests. */
  Nvfp4Linear scalar() {
    return new Nvfp4Linear(name(), kernel.scalar(), activations(), bias());
  }
}
