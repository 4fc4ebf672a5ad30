package io.jquant.runtime.quant;

/** float32 values as the little-endian bytes safetensors stores (docs/FORMATS.md §6). */
final class LittleEndian {
  private LittleEndian() {}

  /** The raw IEEE bits of each value, low byte first; NaN payloads are kept. */
  static byte[] float32(float... values) {
    byte[] bytes = new byte[values.length * 4];
    for (int i = 0; i < values.length; i++) {
      int bits = Float.floatToRawIntBits(values[i]);
      bytes[4 * i] = (byte) bits;
      bytes[4 * i + 1] = (byte) (bits >>> 8);
      bytes[4 * i + 2] = (byte) (bits >>> 16);
      bytes[4 * i + 3] = (byte) (bits >>> 24);
    }
    return bytes;
  }

  /** The float32 at element {@code index} of little-endian bytes, raw bits kept. */
  static float float32At(byte[] bytes, int index) {
    int i = 4 * index;
    return Float.intBitsToFloat((bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF) << 16
        | (bytes[i + 3] & 0xFF) << 24);
  }
}
