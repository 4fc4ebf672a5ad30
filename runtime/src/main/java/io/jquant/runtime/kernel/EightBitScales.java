package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.VectorSupport;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/** Small pieces the 8-bit kernels share. */
final class EightBitScales {
  /** Whether the lane loops run: decided once, without loading a vector class when the module is missing. */
  static final boolean VECTOR = VectorSupport.available() && KernelLanes.enabled();

  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  /**
   * The most activation rows the GEMV of INT8 and MXFP8 takes. It re-decodes each weight pair per row (from
   * L1, not memory), so its cost grows with the rows while the GEMM decodes each panel once for all of them;
   * the crossing moves with the shape (a weight in the L2 favours the GEMM). With {@link RowDots} (AVX-512),
   * INT8 at 3 rows: GEMV 2.5 against 3.0 ms at 4096², 137 against 112 µs at 1536x384; MXFP8, whose panel
   * decode is the slowest: 4.7 against 6.8 ms at 4096². Kept at 3, the larger shapes' side.
   */
  static final int GEMV_MAX_ROWS = 3;

  /**
   * The same for FP8 (tensor, row or block scales), whose panels decode faster: with {@link RowDots} the GEMM
   * wins from 3 rows (FP8 block 4096²: 4.4 against 4.7 ms; 1536x384: 163 against 259 µs) and loses at 2 on
   * large weights (3.7 against 2.8 ms).
   */
  static final int FP8_GEMV_MAX_ROWS = PanelGemm.ROW_DOTS ? 2 : 3;

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
