package io.jquant.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of {@link Gemv}: dot products with four independent accumulators (the FMA latency is
 * hidden, the loads are the limit), and the BF16 row decode (a 16-bit shift per lane). Call only when
 * {@link GemmLanes#enabled()}.
 */
final class GemvLanes {
  private static final VectorSpecies<Float> FLOATS = GemmLanes.FLOATS;
  private static final int LENGTH = GemmLanes.LENGTH;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  /** Shorts with as many lanes as {@link #FLOATS}: half the shape. */
  private static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class,
      VectorShape.forBitSize(Math.max(64, LENGTH * 16)));

  private GemvLanes() {}

  /** {@code Σ_{i < length} a[aOffset + i] · b[bOffset + i]}: four vector sums, then the tail in order. */
  static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    FloatVector s0 = FloatVector.zero(FLOATS);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int i = 0;
    for (; i <= length - 4 * LENGTH; i += 4 * LENGTH) {
      s0 = FloatVector.fromArray(FLOATS, a, aOffset + i).fma(FloatVector.fromArray(FLOATS, b, bOffset + i),
          s0);
      s1 = FloatVector.fromArray(FLOATS, a, aOffset + i + LENGTH)
          .fma(FloatVector.fromArray(FLOATS, b, bOffset + i + LENGTH), s1);
      s2 = FloatVector.fromArray(FLOATS, a, aOffset + i + 2 * LENGTH)
          .fma(FloatVector.fromArray(FLOATS, b, bOffset + i + 2 * LENGTH), s2);
      s3 = FloatVector.fromArray(FLOATS, a, aOffset + i + 3 * LENGTH)
          .fma(FloatVector.fromArray(FLOATS, b, bOffset + i + 3 * LENGTH), s3);
    }
    for (; i <= length - LENGTH; i += LENGTH) {
      s0 = FloatVector.fromArray(FLOATS, a, aOffset + i).fma(FloatVector.fromArray(FLOATS, b, bOffset + i),
          s0);
    }
    // Lanes added in index order: reduceLanes(ADD) may use another order when C2 intrinsifies it than in the
    // interpreter, and a worker thread's result must not depend on which code it ran.
    float[] lanes = new float[LENGTH];
    s0.add(s1).add(s2.add(s3)).intoArray(lanes, 0);
    float sum = 0;
    for (float lane : lanes) {
      sum += lane;
    }
    for (; i < length; i++) {
      sum += a[aOffset + i] * b[bOffset + i];
    }
    return sum;
  }

  /**
   * Decodes {@code count} BF16 values at {@code byteOffset} of {@code src} to float32 in {@code dst}; returns
   * how many it did (whole vectors), the caller does the tail.
   */
  static int bf16(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
    int i = 0;
    for (; i <= count - LENGTH; i += LENGTH) {
      ShortVector codes = ShortVector.fromMemorySegment(SHORTS, src, byteOffset + 2L * i,
          ByteOrder.LITTLE_ENDIAN);
      IntVector bits = (IntVector) codes.convertShape(VectorOperators.S2I, INTS, 0);
      // The shift also drops the sign extension of S2I.
      bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, dstOffset + i);
    }
    return i;
  }
}
