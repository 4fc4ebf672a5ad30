package io.jquant.runtime.kernel;

import io.jquant.runtime.numerics.E8M0;
import io.jquant.runtime.numerics.Fp4E2M1;
import io.jquant.runtime.numerics.Fp8E4M3;

/**
 * The decode tables the FP4 kernels share, filled from the scalar codecs (the definitions), so a table value
 * is the codec's bits: E2M1 elements, E4M3 block scales (NVFP4) and E8M0 block scales (MXFP4).
 */
final class Fp4Codes {
  /** {@link Fp4E2M1#decode} of codes 0..15. */
  static final float[] E2M1 = new float[16];

  /** {@link Fp8E4M3#decode} of bytes 0..255 (0x7F and 0xFF are NaN). */
  static final float[] E4M3 = new float[256];

  /** {@link E8M0#decode} of bytes 0..255 (0xFF is NaN, 0x00 is 2^-127). */
  static final float[] E8M0_VALUES = new float[256];

  static {
    for (int code = 0; code < 16; code++) {
      E2M1[code] = Fp4E2M1.decode(code);
    }
    for (int b = 0; b < 256; b++) {
      E4M3[b] = Fp8E4M3.decode((byte) b);
      E8M0_VALUES[b] = E8M0.decode(b);
    }
  }

  private Fp4Codes() {}
}
