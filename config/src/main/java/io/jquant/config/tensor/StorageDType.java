package io.jquant.config.tensor;

import java.util.Arrays;

/**
 * The element types a tensor is stored in, with the codes of the safetensors format (docs/FORMATS.md §6), in
 * the order of its {@code Dtype} enum. F4 and F6 pack below a byte; every other type is whole bytes.
 */
public enum StorageDType {
  BOOL(8),
  F4(4),
  F6_E2M3(6),
  F6_E3M2(6),
  U8(8),
  I8(8),
  F8_E5M2(8),
  F8_E4M3(8),
  F8_E8M0(8),
  F8_E4M3FNUZ(8),
  F8_E5M2FNUZ(8),
  I16(16),
  U16(16),
  F16(16),
  BF16(16),
  I32(32),
  U32(32),
  F32(32),
  C64(64),
  F64(64),
  I64(64),
  U64(64);

  private final int bits;

  StorageDType(int bits) {
    this.bits = bits;
  }

  /** The width of one element in bits. */
  public int bits() {
    return bits;
  }

  /** The code in a safetensors header, e.g. {@code "F8_E4M3"}. */
  public String code() {
    return name();
  }

  /**
   * The type of a safetensors code.
   *
   * @throws IllegalArgumentException naming the code and the known ones when it is not a safetensors dtype
   */
  public static StorageDType ofCode(String code) {
    for (StorageDType type : values()) {
      if (type.name().equals(code)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown safetensors dtype \"" + code + "\"; known: " + Arrays.toString(values()));
  }
}
