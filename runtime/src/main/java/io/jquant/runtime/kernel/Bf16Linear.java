package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.VectorSupport;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

/**
 * A linear layer over BF16 weights {@code [N, K]} kept as BF16 (2 bytes per weight, read in place from the
 * tensor's segment: a mapped checkpoint is not copied). A BF16 value is the top half of a float32, so the
 * decode is a 16-bit shift and the products are those of the float32 weights. Activations stay float32.
 */
public final class Bf16Linear extends PlainWeightsLinear {
  private final MemorySegment weight;

  private Bf16Linear(String name, MemorySegment weight, float[] bias, int out, int in) {
    super(name, out, in, bias);
    this.weight = VectorSupport.available() ? OffHeap.of(weight) : weight;
  }

  /**
   * The layer over {@code weight}'s bytes (read in place when off-heap, as a mapped checkpoint is, and then
   * they must outlive the layer; a heap segment is copied off-heap once).
   *
   * @param weight BF16 {@code [out, in]}
   * @param bias {@code out} values, or null
   * @throws IllegalArgumentException naming the layer and tensor if the weight is not a 2-D BF16 tensor
   */
  public static Bf16Linear create(String layer, TensorView weight, float[] bias) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(weight, "weight");
    LinearChecks.requireMatrix(layer, weight, StorageDType.BF16);
    List<Long> shape = weight.shape();
    int out = (int) (long) shape.get(0);
    int in = (int) (long) shape.get(1);
    return new Bf16Linear(layer, weight.data(), bias, out, in);
  }

  @Override
  public long weightBytes() {
    return weight.byteSize();
  }

  @Override
  public void decode(int n0, int count, int k0, int depth, float[] panel) {
    long in = inFeatures();
    for (int j = 0; j < count; j++) {
      Gemv.decodeBf16(weight, (n0 + j) * in + k0, panel, j * depth, depth);
    }
  }

  @Override
  public void gemv(float[] x, int rows, int from, int to, float[] y, int yOffset, int yStride) {
    Gemv.bf16(weight, inFeatures(), x, rows, from, to, y, yOffset, yStride);
  }
}
