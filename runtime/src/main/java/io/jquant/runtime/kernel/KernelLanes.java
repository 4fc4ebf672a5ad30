package io.jquant.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes the 8-bit kernels share: float lanes of the machine's preferred shape and bytes with as
 * many lanes, so one load of {@link #LENGTH} weight bytes widens to one float vector (vpmovsxbd from a
 * 16-byte load with AVX-512, STYLE.md pitfall 4). Only the {@code ...Lanes} classes of this package name
 * vector types.
 */
final class KernelLanes {
  static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  /** Float lanes per vector: 16 with AVX-512, 8 with AVX2. */
  static final int LENGTH = FLOATS.length();

  /** Fewer than 8 lanes has no byte species of as many lanes; such machines keep the scalar loops. */
  private static final boolean ENABLED = LENGTH >= 8 && Integer.bitCount(LENGTH) == 1;

  static final VectorSpecies<Byte> BYTES = ENABLED
      ? VectorSpecies.of(byte.class, VectorShape.forBitSize(LENGTH * 8))
      : ByteVector.SPECIES_64;

  static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  private KernelLanes() {}

  /** Whether the lane loops can run; call only when the Vector API module is present. */
  static boolean enabled() {
    return ENABLED;
  }

  /** {@link #LENGTH} bytes of a segment. */
  static ByteVector bytes(MemorySegment segment, long offset) {
    return ByteVector.fromMemorySegment(BYTES, segment, offset, ORDER);
  }

  /**
   * The lanes summed in lane order through {@code scratch} ({@link #LENGTH} floats): unlike
   * {@code reduceLanes}, whose order may differ between the intrinsic and the Java fallback, this gives the
   * same bits in every compilation state, so a column's value never depends on when or by which thread it was
   * computed.
   */
  static float sum(FloatVector v, float[] scratch) {
    v.intoArray(scratch, 0);
    float sum = 0;
    for (int i = 0; i < LENGTH; i++) {
      sum += scratch[i];
    }
    return sum;
  }
}
