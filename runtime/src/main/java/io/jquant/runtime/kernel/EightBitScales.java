package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/** Small pieces the 8-bit kernels share. */
final class EightBitScales {
  /** Whether the lane loops run: {@link KernelPlan#eightBitLanes()}. */
  static final boolean VECTOR = KernelPlan.current().eightBitLanes();

  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  private EightBitScales() {}

  /** The little-endian float32 values of a scale tensor, copied: scales are small, weights are not. */
  static float[] floats(TensorView tensor) {
    float[] values = new float[(int) tensor.elementCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.data().getAtIndex(F32, i);
    }
    return values;
  }

  /**
   * Refuses a scale tensor of another type or of none of the shapes checkpoints use for it; the message names
   * the first shape, the canonical one.
   */
  static void requireScale(String layer, TensorView tensor, StorageDType dtype, List<List<Long>> shapes) {
    if (tensor.dtype() != dtype || !shapes.contains(tensor.shape())) {
      LinearChecks.requireTensor(layer, tensor, dtype, shapes.get(0).stream().mapToLong(d -> d).toArray());
    }
  }

  /** The storage bytes of the tensors. */
  static long bytes(TensorView... tensors) {
    long sum = 0;
    for (TensorView tensor : tensors) {
      sum += tensor.data().byteSize();
    }
    return sum;
  }
}
