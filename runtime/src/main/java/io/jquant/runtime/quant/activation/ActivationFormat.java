package io.jquant.runtime.quant.activation;

/** The element and scale encodings of quantized activations. */
public enum ActivationFormat {
  /** {@code float8_e4m3fn} codes, one byte per element; float32 scales (FP8 static or dynamic). */
  FP8_E4M3(false, ScaleEncoding.FLOAT32),
  /** Signed int8 codes, one byte per element; float32 scales (INT8 W8A8). */
  INT8(false, ScaleEncoding.FLOAT32),
  /** Packed FP4 E2M1 codes; E4M3 block scales and one float32 global scale. */
  NVFP4(true, ScaleEncoding.E4M3),
  /** Packed FP4 E2M1 codes; E8M0 block scales. */
  MXFP4(true, ScaleEncoding.E8M0),
  /** {@code float8_e4m3fn} codes, one byte per element; E8M0 block scales. */
  MXFP8(false, ScaleEncoding.E8M0);

  /** How the scales are stored. */
  public enum ScaleEncoding {
    /** float32 values only. */
    FLOAT32,
    /** One {@code float8_e4m3fn} byte per scale (UE4M3: the sign bit is 0). */
    E4M3,
    /** One E8M0 byte per scale. */
    E8M0
  }

  private final boolean packed;
  private final ScaleEncoding scaleEncoding;

  ActivationFormat(boolean packed, ScaleEncoding scaleEncoding) {
    this.packed = packed;
    this.scaleEncoding = scaleEncoding;
  }

  /**
   * Whether two 4-bit codes share a byte: element {@code 2j} of a row in the low nibble of byte {@code j},
   * {@code ceil(K/2)} bytes per row, the high nibble of an odd row's last byte 0.
   */
  public boolean packed() {
    return packed;
  }

  /** How the scales are stored. */
  public ScaleEncoding scaleEncoding() {
    return scaleEncoding;
  }

  /** The bytes of codes in one row of {@code cols} elements. */
  public int codeBytesPerRow(int cols) {
    return packed ? (cols + 1) / 2 : cols;
  }
}
