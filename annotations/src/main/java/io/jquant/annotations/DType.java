package io.jquant.annotations;

/** Element types of tensors and scales, named as MAX's {@code max.dtype.DType}. */
public enum DType {
  FLOAT32("float32", 32, true),
  BFLOAT16("bfloat16", 16, true),
  FLOAT16("float16", 16, true),
  FLOAT8_E4M3FN("float8_e4m3fn", 8, true),
  FLOAT8_E5M2("float8_e5m2", 8, true),
  /** The MX shared scale: a power of two, no sign, no zero. */
  FLOAT8_E8M0FNU("float8_e8m0fnu", 8, true),
  FLOAT4_E2M1FN("float4_e2m1fn", 4, true),
  INT8("int8", 8, false),
  UINT8("uint8", 8, false);

  private final String wireName;
  private final int bitWidth;
  private final boolean floatingPoint;

  DType(String wireName, int bitWidth, boolean floatingPoint) {
    this.wireName = wireName;
    this.bitWidth = bitWidth;
    this.floatingPoint = floatingPoint;
  }

  /** The name MAX writes, e.g. {@code "float8_e4m3fn"}. */
  public String wireName() {
    return wireName;
  }

  /** Bits per element. */
  public int bitWidth() {
    return bitWidth;
  }

  /** Whether the elements are floating-point numbers. */
  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** The dtype whose {@link #wireName()} is {@code name}. */
  public static DType fromWireName(String name) {
    for (DType dtype : values()) {
      if (dtype.wireName.equals(name)) {
        return dtype;
      }
    }
    throw new IllegalArgumentException("unknown dtype '" + name + "'");
  }
}
