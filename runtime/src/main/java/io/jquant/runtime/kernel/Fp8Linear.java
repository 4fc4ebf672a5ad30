package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.quant.Fp8Granularity;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.util.List;
import java.util.Objects;

/**
 * A linear layer over an FP8 E4M3 weight {@code [N, K]} with float32 scales per tensor, per row or per block
 * (docs/FORMATS.md §4.2-4.4): {@code W[n][k] = E4M3[n][k] · scale} of its group. The weight bytes stay in
 * their segment (a mapped checkpoint slice or a heap array), never expanded; the scales are copied (they are
 * small).
 *
 * <p>Up to {@link KernelPlan#fp8GemvMaxRows()} activation rows (2, or 3 without AVX-512) run a GEMV that
 * streams the weight, two rows per pass, and decodes each code in registers to exactly the reference's
 * {@code E4M3 · scale}; more rows decode panels once and run the blocked GEMM. Activations are float32 or
 * quantized as the layer's {@link InputActivations} say. Results equal the reference ({@code dequantize()}
 * then a float32 matmul) up to float32 summation order; NaN and Inf propagate to the same outputs. The
 * threads split output columns; their number does not change a bit.
 */
public final class Fp8Linear extends TwoPathLinear {
  private final E4M3Matrix weights;
  private final long weightBytes;

  private Fp8Linear(String name, TensorView weight, TensorView scale, int blockRows, int blockCols,
      InputActivations activations, float[] bias) {
    super(name, Math.toIntExact(weight.shape().get(0)), Math.toIntExact(weight.shape().get(1)), bias,
        activations);
    this.weights = E4M3Matrix.fp8(weight.data(), outFeatures(), inFeatures(), blockRows, blockCols,
        EightBitScales.floats(scale), EightBitScales.VECTOR);
    this.weightBytes = EightBitScales.bytes(weight, scale);
  }

  /**
   * One scale for the tensor.
   *
   * @param weight F8_E4M3 {@code [N, K]}
   * @param scale {@code weight_scale} F32 {@code []} (or {@code [1]}, as compressed-tensors stores it)
   * @param bias N values, or null
   * @throws IllegalArgumentException naming the layer, the tensor and both shapes when a tensor does not fit
   */
  public static Fp8Linear tensorwise(String layer, TensorView weight, TensorView scale,
      InputActivations activations, float[] bias) {
    requireWeight(layer, weight);
    EightBitScales.requireScale(layer, scale, StorageDType.F32, List.of(List.of(), List.of(1L)));
    int n = Math.toIntExact(weight.shape().get(0));
    int k = Math.toIntExact(weight.shape().get(1));
    return new Fp8Linear(layer, weight, scale, n, k, activations, bias);
  }

  /**
   * One scale per row (output channel).
   *
   * @param weight F8_E4M3 {@code [N, K]}
   * @param scale {@code weight_scale} F32 {@code [N, 1]} (or {@code [N]})
   * @param bias N values, or null
   * @throws IllegalArgumentException naming the layer, the tensor and both shapes when a tensor does not fit
   */
  public static Fp8Linear rowwise(String layer, TensorView weight, TensorView scale,
      InputActivations activations,
      float[] bias) {
    requireWeight(layer, weight);
    long n = weight.shape().get(0);
    EightBitScales.requireScale(layer, scale, StorageDType.F32, List.of(List.of(n, 1L), List.of(n)));
    return new Fp8Linear(layer, weight, scale, 1, Math.toIntExact(weight.shape().get(1)), activations, bias);
  }

  /**
   * One scale per {@code blockRows x blockCols} block (DeepSeek-V3: 128 x 128); blocks on the last row or
   * column of blocks are short when the block does not divide the shape.
   *
   * @param weight F8_E4M3 {@code [N, K]}
   * @param scaleInv {@code weight_scale_inv} F32 {@code [ceil(N/blockRows), ceil(K/blockCols)]}, multiplied
   * @param bias N values, or null
   * @throws IllegalArgumentException naming the layer, the tensor and both shapes when a tensor does not fit,
   * or for a non-positive block
   */
  public static Fp8Linear blockwise(String layer, TensorView weight, TensorView scaleInv, int blockRows,
      int blockCols, InputActivations activations, float[] bias) {
    requireWeight(layer, weight);
    if (blockRows <= 0 || blockCols <= 0) {
      throw new IllegalArgumentException(
          "layer " + layer + ": an FP8 scale block has positive dimensions, not ["
              + blockRows + ", " + blockCols + "]");
    }
    long n = weight.shape().get(0);
    long k = weight.shape().get(1);
    LinearChecks.requireTensor(layer, scaleInv, StorageDType.F32, Math.ceilDiv(n, blockRows),
        Math.ceilDiv(k, blockCols));
    return new Fp8Linear(layer, weight, scaleInv, blockRows, blockCols, activations, bias);
  }

  /** The layer over a quantized weight's tensors (shared, not copied). */
  public static Fp8Linear of(String layer, Fp8Weights weights, InputActivations activations, float[] bias) {
    List<StoredTensor> tensors = weights.tensors();
    TensorView weight = tensors.get(0).view();
    TensorView scale = tensors.get(1).view();
    return switch (weights.granularity()) {
      case TENSOR -> tensorwise(layer, weight, scale, activations, bias);
      case ROW -> rowwise(layer, weight, scale, activations, bias);
      case BLOCK ->
        blockwise(layer, weight, scale, weights.blockRows(), weights.blockCols(), activations, bias);
    };
  }

  /**
   * The layer for a granularity: {@link #tensorwise}, {@link #rowwise} or {@link #blockwise};
   * {@code blockRows} and {@code blockCols} are read for {@link Fp8Granularity#BLOCK} only.
   */
  public static Fp8Linear create(String layer, Fp8Granularity granularity, int blockRows, int blockCols,
      TensorView weight, TensorView scale, InputActivations activations, float[] bias) {
    return switch (granularity) {
      case TENSOR -> tensorwise(layer, weight, scale, activations, bias);
      case ROW -> rowwise(layer, weight, scale, activations, bias);
      case BLOCK -> blockwise(layer, weight, scale, blockRows, blockCols, activations, bias);
    };
  }

  private static void requireWeight(String layer, TensorView weight) {
    Objects.requireNonNull(layer, "layer");
    LinearChecks.requireMatrix(layer, weight, StorageDType.F8_E4M3);
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
