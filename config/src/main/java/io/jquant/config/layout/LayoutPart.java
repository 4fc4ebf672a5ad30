package io.jquant.config.layout;

import io.jquant.config.tensor.StorageDType;
import java.util.List;
import java.util.Objects;

/**
 * One tensor of a {@link StoredLayout}: its name beside the weight ({@code weight_scale}), the dtypes
 * producers write it in (scales stored as F32, BF16 or F16 are widened to float32 once, exactly), its shapes
 * and what its values must be.
 *
 * @param name the tensor's name relative to the layer
 * @param dtypes the accepted dtypes, the one jquant writes first
 * @param shape the accepted shapes
 * @param rule what the values must be
 */
public record LayoutPart(String name, List<StorageDType> dtypes, PartShape shape, ScaleRule rule) {
  /** F32, BF16 or F16: float scales, whichever the producer wrote (compressed-tensors: the model's dtype). */
  public static final List<StorageDType> FLOATS = List.of(StorageDType.F32, StorageDType.BF16,
      StorageDType.F16);
  /** Raw E8M0 bytes: U8 (vLLM, compressed-tensors, gpt-oss) or F8_E8M0. */
  public static final List<StorageDType> E8M0_BYTES = List.of(StorageDType.U8, StorageDType.F8_E8M0);

  public LayoutPart {
    Objects.requireNonNull(name, "name");
    dtypes = List.copyOf(dtypes);
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(rule, "rule");
  }

  /** Whether the values are float scales, widened to float32 when read. */
  public boolean isFloat() {
    return dtypes.equals(FLOATS);
  }

  /** {@code F32, BF16 or F16}: the dtypes as a message lists them. */
  String shownDtypes() {
    return alternatives(dtypes.stream().map(StorageDType::toString).toList());
  }

  static String alternatives(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.getLast();
  }
}
