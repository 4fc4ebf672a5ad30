package io.jquant.cli;

import io.jquant.config.BlockSize;
import io.jquant.config.layout.StoredLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The FP8 block that {@code dequantize} and {@code inspect} check and read block-scaled layers with. */
final class Fp8BlockSize {
  private Fp8BlockSize() {}

  /**
   * {@code quantization_config.weight_block_size}, else {@link StoredLayout#DEFAULT_FP8_BLOCK} (128x128,
   * DeepSeek-V3's and compressed-tensors FP8_BLOCK's).
   *
   * @param config the parsed config.json, or an empty map
   * @param file config.json, for the error
   * @throws BadInputException naming config.json and the key when it is there but not two positive ints (a
   * float or a string was read as an int, or ignored, before)
   */
  static BlockSize of(Map<String, Object> config, Path file) {
    if (!(config.get("quantization_config") instanceof Map<?, ?> quant)
        || !quant.containsKey("weight_block_size")) {
      return StoredLayout.DEFAULT_FP8_BLOCK;
    }
    Object block = quant.get("weight_block_size");
    if (block instanceof List<?> dims && dims.size() == 2 && positiveInt(dims.get(0))
        && positiveInt(dims.get(1))) {
      return new BlockSize(((Number) dims.get(0)).intValue(), ((Number) dims.get(1)).intValue());
    }
    throw new BadInputException(file + ": quantization_config.weight_block_size: expected two positive"
        + " integers [rows, cols], got " + block);
  }

  private static boolean positiveInt(Object value) {
    return (value instanceof Integer || value instanceof Long) && ((Number) value).longValue() > 0
        && ((Number) value).longValue() <= Integer.MAX_VALUE;
  }
}
