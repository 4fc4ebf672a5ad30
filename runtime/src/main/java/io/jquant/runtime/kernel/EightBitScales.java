package io.jquant.runtime.kernel;

import io.jquant.runtime.numerics.VectorSupport;
import io.jquant.runtime.tensor.StorageDType;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/** Small pieces the 8-bit kernels share. */
final class EightBitScales {
  /** Whether the lane loops run: decided once, without loading a vector class when the module is missing. */
  static final boolean VECTOR = VectorSupport.available() && KernelLanes.enabled();

  private static final ValueLayout.OfFloat F32 =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /**
   * The most activation rows the GEMV of FP8 and INT8 takes. It re-decodes each weight pair per row (from L1,
   * not memory), so its cost grows with the rows while the GEMM decodes each panel once for all of them: with
   * {@link RowDots} (AVX-512) the GEMM wins from 2 rows (1536x384, INT8: 81 against 95 µs; FP8 block: 130
   * against 180), without it from 4.
   */
  static final int GEMV_MAX_ROWS = PanelGemm.ROW_DOTS ? 1 : 3;

  /** The same for MXFP8, whose GEMV still wins at 2 rows (190 against 216 µs at 1536x384). */
  static final int MX_GEMV_MAX_ROWS = PanelGemm.ROW_DOTS ? 2 : 3;

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
