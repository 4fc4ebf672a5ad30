package io.jquant.runtime.numerics;

/**
 * The element types of the MX formats (OCP MX v1.0), with the facts the shared-scale rules need
 * (docs/FORMATS.md §3.2): the largest magnitude, the exponent of its largest power of two ({@code emax_elem})
 * and the mantissa width.
 */
public enum MxElement {
  /** MXFP4's element: 4 bits, two per byte. */
  FP4_E2M1(4, Fp4E2M1.MAX, Fp4E2M1.EMAX, 1),
  /** MXFP8's element by default. */
  FP8_E4M3(8, Fp8E4M3.MAX, Fp8E4M3.EMAX, 3),
  /** MXFP8's alternative element. */
  FP8_E5M2(8, Fp8E5M2.MAX, Fp8E5M2.EMAX, 2);

  private final int bits;
  private final float max;
  private final int emax;
  private final int mantissaBits;

  MxElement(int bits, float max, int emax, int mantissaBits) {
    this.bits = bits;
    this.max = max;
    this.emax = emax;
    this.mantissaBits = mantissaBits;
  }

  /** The storage width of one element: 4 or 8. */
  public int bits() {
    return bits;
  }

  /** The largest finite magnitude. */
  public float max() {
    return max;
  }

  /** log2 of the largest power of two the element holds. */
  public int emax() {
    return emax;
  }

  /** The number of explicit mantissa bits. */
  public int mantissaBits() {
    return mantissaBits;
  }

  /**
   * The element's code for {@code x} with its codec's rounding and saturation (a nibble for FP4, else a
   * byte).
   */
  public int encode(float x) {
    return switch (this) {
      case FP4_E2M1 -> Fp4E2M1.encode(x);
      case FP8_E4M3 -> Fp8E4M3.encode(x) & 0xFF;
      case FP8_E5M2 -> Fp8E5M2.encode(x) & 0xFF;
    };
  }

  /** The value of a code. */
  public float decode(int code) {
    return switch (this) {
      case FP4_E2M1 -> Fp4E2M1.decode(code);
      case FP8_E4M3 -> Fp8E4M3.decode((byte) code);
      case FP8_E5M2 -> Fp8E5M2.decode((byte) code);
    };
  }
}
