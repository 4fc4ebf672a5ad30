package io.jquant.config;

import io.jquant.annotations.DType;

/**
 * MAX's {@code quantized_scales_type} and its helpers: the scales tensor that dynamic quantization writes.
 */
final class QuantizedScalesTypes {
  // The cuBLAS 128x4 tile, in sync with MAX's fp4_utils.mojo (SF_ATOM_M, SF_ATOM_K, SF_MN_GROUP_SIZE).
  private static final long ATOM_M0 = 32;
  private static final long ATOM_M1 = 4;
  private static final long ATOM_K = 4;
  private static final long MN_GROUP = ATOM_M0 * ATOM_M1;

  private static final int NVFP4_VECTOR = 16;
  private static final int MX_VECTOR = 32;
  private static final BlockSize BLOCKWISE_FP8_INPUT = new BlockSize(1, 128);

  private QuantizedScalesTypes() {}

  static TensorType of(QuantConfig config, long m, long k, ScalesLayout layout) {
    if (m <= 0 || k <= 0) {
      throw new IllegalArgumentException(
          "a quantized tensor has positive dimensions [M, K], got [" + m + ", " + k + "]");
    }
    if (config.isNvfp4()) {
      // MAX has no plain NVFP4 layout; PLAIN here is the checkpoint's own [M, K/16] (docs/FORMATS.md §2.1).
      return scaled(m, k, DType.FLOAT8_E4M3FN, NVFP4_VECTOR, layout);
    }
    if (config.isMxfp4() || config.isMxfp8()) {
      return scaled(m, k, DType.FLOAT8_E8M0FNU, MX_VECTOR, layout);
    }
    // MAX compares only the input block size, whatever the format; the layout does not apply.
    if (BLOCKWISE_FP8_INPUT.equals(config.inputScale().blockSize())) {
      return TensorType.of(DType.FLOAT32, Math.ceilDiv(k, 128), m); // transposed: [K/128, M]
    }
    throw new IllegalStateException("Can not determine the quantized scales type for " + config.format()
        + " with " + config.inputScale().granularity() + " input scales"
        + (config.inputScale().blockSize() == null ? "" : " of " + config.inputScale().blockSize()));
  }

  private static TensorType scaled(long m, long k, DType dtype, int vector, ScalesLayout layout) {
    return switch (layout) {
      case INTERLEAVED_128X4 -> TensorType.of(dtype,
          Math.ceilDiv(m, MN_GROUP), Math.ceilDiv(k, vector * ATOM_K), ATOM_M0, ATOM_M1, ATOM_K);
      case PLAIN -> TensorType.of(dtype, m, Math.ceilDiv(k, vector));
    };
  }
}
