package io.jquant.runtime.tensor;

import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.numerics.Fp16;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the values of one-element float tensors, the scalars MAX's fused-MLP check compares. */
final class ScalarValues {
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  private ScalarValues() {}

  static Map<String, Double> read(List<TensorView> views) {
    Map<String, Double> values = new HashMap<>();
    for (TensorView view : views) {
      if (view.elementCount() != 1) {
        continue;
      }
      switch (view.dtype()) {
        case F32 -> values.put(view.name(), (double) view.data().get(F32, 0));
        case BF16 -> values.put(view.name(), (double) Bf16.decode(view.data().get(U16, 0)));
        case F16 -> values.put(view.name(), (double) Fp16.decode(view.data().get(U16, 0)));
        default -> {} // not a scale MAX compares
      }
    }
    return values;
  }
}
