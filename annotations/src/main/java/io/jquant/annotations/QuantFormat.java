package io.jquant.annotations;

/**
 * The checkpoint quantization formats, named as Modular MAX's {@code max.nn.QuantFormat}.
 *
 * <p>Each format prescribes its scale specs; see {@link io.jquant.annotations.rules.FormatProfile}.
 */
public enum QuantFormat {
  /** FP8 E4M3 weights in the compressed-tensors layout (tensor or per-channel weight scales). */
  COMPRESSED_TENSORS_FP8("compressed-tensors-fp8"),
  /**
   * FP8 E4M3 with row-wise weight scales and dynamic per-token activations (FBGEMM); MAX also files Hugging
   * Face's tensor-wise {@code fp8} checkpoints here.
   */
  FBGEMM_FP8("fbgemm-fp8"),
  /** FP8 E4M3 with 128x128 weight blocks and dynamic 1x128 activation blocks (DeepSeek-V3 style). */
  BLOCKSCALED_FP8("blockscaled-fp8"),
  /** OCP microscaling FP8: E4M3 elements, one E8M0 scale per 32 elements along K. */
  MXFP8("mxfp8"),
  /** NVIDIA FP4: E2M1 elements, an E4M3 scale per 16 elements and one float32 scale per tensor. */
  NVFP4("nvfp4"),
  /** OCP microscaling FP4: E2M1 elements, one E8M0 scale per 32 elements along K. */
  MXFP4("mxfp4"),
  /** Symmetric int8 weights (per output channel) and int8 activations (per token), absmax/127. */
  INT8_W8A8("int8-w8a8");

  private final String wireName;

  QuantFormat(String wireName) {
    this.wireName = wireName;
  }

  /** The name MAX writes, e.g. {@code "compressed-tensors-fp8"}. */
  public String wireName() {
    return wireName;
  }

  /** The format whose {@link #wireName()} is {@code name}. */
  public static QuantFormat fromWireName(String name) {
    for (QuantFormat format : values()) {
      if (format.wireName.equals(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown quantization format '" + name + "'");
  }
}
