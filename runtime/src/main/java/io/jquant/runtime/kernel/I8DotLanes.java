package io.jquant.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact integer dot product of {@link I8Matrix}'s W8A8 GEMV, on operands offset by 128 so that both are
 * unsigned bytes: weight {@code u = q + 128} and activation {@code v = x + 128}, each stored as
 * {@code q ^ 0x80}. Both widen to shorts (vpmovzxbw); a product {@code u · v ≤ 255²} fits an unsigned 16-bit
 * lane, so one {@code vpmullw} multiplies {@link #LENGTH} of them; read as ints, each lane holds two products
 * {@code hi · 2^16 + lo}, and summing the raw lanes next to their high halves ({@code >>> 16}) recovers
 * {@code Σ (hi + lo) = raw - 65535 · Σ hi}, modulo 2^32. The Vector API has no {@code vpmaddwd} or
 * {@code vpdpbusd} (JDK 25), and C2 does not turn a {@code MulAddS2I} reduction into one (measured: scalar
 * speed); this takes 6 instructions per {@link #LENGTH} products where widening to float takes 6 per
 * {@link #LENGTH} / 2.
 *
 * <p>Everything is exact modulo 2^32, and the caller's {@code Σ q·x} is below 2^31 in magnitude for
 * {@code K ≤} {@link KernelPlan#INT8_DOT_MAX_COLS}, so the result does not depend on lane count, order or
 * tail: the AVX2 and AVX-512 loops give the same bits.
 */
final class I8DotLanes {
  /** Shorts per vector: 32 with AVX-512, 16 with AVX2. */
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;

  static final int LENGTH = SHORTS.length();

  private static final boolean ENABLED = LENGTH >= 8;

  private static final VectorSpecies<Byte> BYTES = ENABLED
      ? VectorSpecies.of(byte.class, VectorShape.forBitSize(LENGTH * 8))
      : ByteVector.SPECIES_64;

  private I8DotLanes() {}

  /** Whether the lane loops can run; call only when the Vector API module is present. */
  static boolean enabled() {
    return ENABLED;
  }

  private static ShortVector weights(MemorySegment u, long offset) {
    return (ShortVector) ByteVector.fromMemorySegment(BYTES, u, offset, ByteOrder.LITTLE_ENDIAN)
        .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
  }

  private static IntVector products(MemorySegment u, long offset, byte[] v, int vOff) {
    ShortVector x = (ShortVector) ByteVector.fromArray(BYTES, v, vOff)
        .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
    return weights(u, offset).mul(x).reinterpretAsInts();
  }

  private static IntVector products(MemorySegment u, long offset, short[] v, int vOff) {
    return weights(u, offset).mul(ShortVector.fromArray(SHORTS, v, vOff)).reinterpretAsInts();
  }

  /**
   * {@code Σ_k u[row + k] · v[vOff + k]} modulo 2^32, both read as unsigned bytes: two pairs of raw and
   * high-half accumulators, a scalar tail.
   */
  static int dot(MemorySegment u, long row, int k, byte[] v, int vOff) {
    IntVector raw0 = IntVector.zero(IntVector.SPECIES_PREFERRED);
    IntVector high0 = raw0;
    IntVector raw1 = raw0;
    IntVector high1 = raw0;
    int i = 0;
    for (; i <= k - 2 * LENGTH; i += 2 * LENGTH) {
      IntVector p0 = products(u, row + i, v, vOff + i);
      IntVector p1 = products(u, row + i + LENGTH, v, vOff + i + LENGTH);
      raw0 = raw0.add(p0);
      high0 = high0.add(p0.lanewise(VectorOperators.LSHR, 16));
      raw1 = raw1.add(p1);
      high1 = high1.add(p1.lanewise(VectorOperators.LSHR, 16));
    }
    if (i <= k - LENGTH) {
      IntVector p0 = products(u, row + i, v, vOff + i);
      raw0 = raw0.add(p0);
      high0 = high0.add(p0.lanewise(VectorOperators.LSHR, 16));
      i += LENGTH;
    }
    int sum = raw0.add(raw1).sub(high0.add(high1).mul(65535)).reduceLanes(VectorOperators.ADD);
    for (; i < k; i++) {
      sum += (u.get(ValueLayout.JAVA_BYTE, row + i) & 0xFF) * (v[vOff + i] & 0xFF);
    }
    return sum;
  }

  /**
   * {@link #dot} with v already widened to shorts: one instruction fewer per step, 13 % faster at one row
   * (measured, minimum of 300 interleaved passes over 4096x4096), for rows whose shorts stay in the L1 next
   * to the streamed weight.
   */
  static int dotWide(MemorySegment u, long row, int k, short[] v, int vOff) {
    IntVector raw0 = IntVector.zero(IntVector.SPECIES_PREFERRED);
    IntVector high0 = raw0;
    IntVector raw1 = raw0;
    IntVector high1 = raw0;
    int i = 0;
    for (; i <= k - 2 * LENGTH; i += 2 * LENGTH) {
      IntVector p0 = products(u, row + i, v, vOff + i);
      IntVector p1 = products(u, row + i + LENGTH, v, vOff + i + LENGTH);
      raw0 = raw0.add(p0);
      high0 = high0.add(p0.lanewise(VectorOperators.LSHR, 16));
      raw1 = raw1.add(p1);
      high1 = high1.add(p1.lanewise(VectorOperators.LSHR, 16));
    }
    if (i <= k - LENGTH) {
      IntVector p0 = products(u, row + i, v, vOff + i);
      raw0 = raw0.add(p0);
      high0 = high0.add(p0.lanewise(VectorOperators.LSHR, 16));
      i += LENGTH;
    }
    int sum = raw0.add(raw1).sub(high0.add(high1).mul(65535)).reduceLanes(VectorOperators.ADD);
    for (; i < k; i++) {
      sum += (u.get(ValueLayout.JAVA_BYTE, row + i) & 0xFF) * v[vOff + i];
    }
    return sum;
  }
}
