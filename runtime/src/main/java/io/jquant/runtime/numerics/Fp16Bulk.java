package io.jquant.runtime.numerics;

/**
 * Bulk conversions for {@link Fp16}, bit for bit equal to its scalar methods applied element by element.
 *
 * <p>These are plain loops on purpose. The Vector API has no float16 conversion, and a lane kernel written as
 * integer arithmetic (IEEE round to nearest, ties to even, with vectors holding a NaN handed to the scalar
 * conversion, whose NaN payload rule differs between platforms) was exact on all 2^32 inputs but no faster:
 * C2 already compiles these loops to the hardware's vector conversions (vcvtps2ph / vcvtph2ps), 3 to 5 times
 * faster than the lane kernel on data in cache and as fast from memory.
 *
 * <p>A run outside its array throws {@link IndexOutOfBoundsException} before anything is written.
 */
public final class Fp16Bulk {
  private Fp16Bulk() {}

  /** {@code dst[dstOffset + i] = Fp16.encode(src[srcOffset + i])}. */
  public static void encode(float[] src, int srcOffset, short[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp16.encode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Fp16.decode(src[srcOffset + i])}. */
  public static void decode(short[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp16.decode(src[srcOffset + i]);
    }
  }
}
