package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.ForwardingLinear;
import io.jquant.runtime.Linear;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * The float32 {@link Linear}: weights as float32, activations as given. The baseline every quantized kernel
 * is compared with: a vectorized GEMV for a few rows, the blocked {@code PanelGemm} core for more.
 */
public final class Fp32Linear extends ForwardingLinear {
  private final PackedLinear kernel;

  /**
   * An unnamed layer (named {@code "fp32"} in errors).
   *
   * @param weight row-major {@code [out, in]}, as Hugging Face checkpoints store it
   * @param bias {@code out} values, or null
   */
  public Fp32Linear(float[] weight, float[] bias, int out, int in) {
    this("fp32", weight, bias, out, in);
  }

  /** A named layer; see {@link #Fp32Linear(float[], float[], int, int)}. */
  public Fp32Linear(String name, float[] weight, float[] bias, int out, int in) {
    this(kernel(name, Objects.requireNonNull(weight, "weight").clone(), bias, out, in));
  }

  private Fp32Linear(Fp32Kernel kernel) {
    super(kernel);
    this.kernel = kernel;
  }

  /** The checked kernel over {@code weight}, which it keeps: the caller's own copy. */
  private static Fp32Kernel kernel(String name, float[] weight, float[] bias, int out, int in) {
    Objects.requireNonNull(name, "name");
    LinearChecks.requireShape(name, out, in);
    if (weight.length != (long) out * in) {
      throw new IllegalArgumentException("layer " + name + ": weight has " + weight.length + " values, but ["
          + out + ", " + in + "] needs " + (long) out * in);
    }
    return new Fp32Kernel(name, weight, bias, out, in);
  }

  /**
   * A layer over a checkpoint's float32 weight; the values are copied to the heap.
   *
   * @param weight F32 {@code [out, in]}
   * @param bias {@code out} values, or null
   * @throws IllegalArgumentException naming the layer and tensor if the weight is not a 2-D F32 tensor
   */
  public static Fp32Linear of(String layer, TensorView weight, float[] bias) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(weight, "weight");
    LinearChecks.requireMatrix(layer, weight, StorageDType.F32);
    List<Long> shape = weight.shape();
    int out = (int) (long) shape.get(0);
    int in = (int) (long) shape.get(1);
    if ((long) out * in > TensorView.MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException("layer " + layer + ": tensor " + weight.name() + " " + shape
          + " has more values than a float array holds");
    }
    float[] values = weight.data()
        .toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
    return new Fp32Linear(kernel(layer, values, bias, out, in)); // values is fresh: not copied again
  }

  /**
   * The kernel this layer runs, so {@link GateUpLinear} can fuse it with another. The layer wraps it rather
   * than being it so its public surface stays {@link Linear}'s: the kernel hands out its weight array.
   */
  PackedLinear kernel() {
    return kernel;
  }

  @Override
  public String toString() {
    return "Fp32Linear[" + name() + ", [" + outFeatures() + ", " + inFeatures() + "]]";
  }
}
