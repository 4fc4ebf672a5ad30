package io.jquant.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loop of the exact W4A4 GEMV ({@link Fp4TableWeights}): E2M1 weights times E2M1 activations by
 * table lookup, 32 weight rows per short vector. Call only when {@link #enabled()} (AVX-512: 32 short lanes,
 * where {@code selectFrom} is one {@code vpermw}).
 *
 * <p>Twice an E2M1 value is an integer of magnitude at most 12, so {@code 4 · w · x} is an integer of
 * magnitude at most 144 and a block's sum of 16 or 32 of them at most 4608: exact in a short lane. For each
 * activation element the caller picks one of 16 tables ({@link #TABLES}, by the element's code), whose entry
 * {@code c} is {@code 4 · E2M1(c) · E2M1(x)}; a {@code selectFrom} with the weight codes as indices gives 32
 * products at once. A short lane's index may carry bits above the nibble (the next element's code): the
 * tables repeat their 16 entries in lanes 16..31 and the lookup wraps at 32, so only the low 4 bits count.
 *
 * <p>Layout read: per group of 64 weight rows, per pair of elements {@code (2p, 2p+1)}, 64 bytes whose byte
 * {@code i} is row i's byte p of the checkpoint (element 2p in the low nibble); then per block, 64 scale
 * bytes, one per row.
 */
final class Fp4TableLanes {
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> HALF_BYTES = ByteVector.SPECIES_256;
  private static final VectorSpecies<Byte> QUARTER_BYTES = ByteVector.SPECIES_128;
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_512;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** Weight rows per group: two short vectors. */
  static final int GROUP = 64;

  private static final boolean ENABLED = SHORTS.length() == 32;

  /**
   * The 16 tables of 32 shorts: table {@code t} (activation code t) lane {@code c} holds
   * {@code 4 · E2M1(c mod 16) · E2M1(t)}.
   */
  static final short[] TABLES = tables();

  private Fp4TableLanes() {}

  /** Whether the loop can run: 32 short lanes (AVX-512). A method, so callers link no vector type. */
  static boolean enabled() {
    return ENABLED;
  }

  private static short[] tables() {
    short[] tables = new short[16 * 32];
    for (int t = 0; t < 16; t++) {
      for (int c = 0; c < 32; c++) {
        tables[t * 32 + c] = (short) (4 * Fp4Codes.E2M1[c & 15] * Fp4Codes.E2M1[t]);
      }
    }
    return tables;
  }

  /**
   * The 64 raw sums of one group for one activation row:
   * {@code out[i] = Σ_blocks (Σ_block 4·w·x) · (scale(i, b) · mults[multBase + b])}, where the scale byte c
   * of the block decodes as {@code Float.intBitsToFloat((c + scaleBias) << scaleShift) · scaleFactor}.
   *
   * @param tableOffsets per activation element, {@code 32 ·} its E2M1 code (an offset into {@link #TABLES})
   */
  static void group(MemorySegment codes, long codeBase, MemorySegment scales, long scaleBase, int k,
      int block, int[] tableOffsets, int offsetBase, float[] mults, int multBase, int scaleBias,
      int scaleShift, float scaleFactor, float[] out) {
    short[] tables = TABLES;
    FloatVector y0 = FloatVector.zero(FLOATS);
    FloatVector y1 = y0;
    FloatVector y2 = y0;
    FloatVector y3 = y0;
    int pairs = block / 2;
    int blocks = k / block;
    long at = codeBase;
    int element = offsetBase;
    for (int b = 0; b < blocks; b++) {
      ShortVector a0 = ShortVector.zero(SHORTS);
      ShortVector a1 = a0;
      for (int p = 0; p < pairs; p++, at += GROUP, element += 2) {
        ShortVector even = ShortVector.fromArray(SHORTS, tables, tableOffsets[element]);
        ShortVector odd = ShortVector.fromArray(SHORTS, tables, tableOffsets[element + 1]);
        ShortVector c0 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, codes, at, LE)
            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
        ShortVector c1 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, codes, at + 32, LE)
            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
        a0 = a0.add(c0.selectFrom(even)).add(c0.lanewise(VectorOperators.LSHR, 4).selectFrom(odd));
        a1 = a1.add(c1.selectFrom(even)).add(c1.lanewise(VectorOperators.LSHR, 4).selectFrom(odd));
      }
      long s = scaleBase + (long) b * GROUP;
      float mult = mults[multBase + b];
      y0 = accumulate(a0, 0, scales, s, mult, scaleBias, scaleShift, scaleFactor, y0);
      y1 = accumulate(a0, 1, scales, s + 16, mult, scaleBias, scaleShift, scaleFactor, y1);
      y2 = accumulate(a1, 0, scales, s + 32, mult, scaleBias, scaleShift, scaleFactor, y2);
      y3 = accumulate(a1, 1, scales, s + 48, mult, scaleBias, scaleShift, scaleFactor, y3);
    }
    y0.intoArray(out, 0);
    y1.intoArray(out, 16);
    y2.intoArray(out, 32);
    y3.intoArray(out, 48);
  }

  /** {@code y + float(sums part) · ((decoded scales · factor) · mult)}. */
  private static FloatVector accumulate(ShortVector sums, int part, MemorySegment scales, long at, float mult,
      int scaleBias, int scaleShift, float scaleFactor, FloatVector y) {
    FloatVector scale = ((IntVector) ByteVector.fromMemorySegment(QUARTER_BYTES, scales, at, LE)
        .convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0))
        .add(scaleBias)
        .lanewise(VectorOperators.LSHL, scaleShift)
        .reinterpretAsFloats()
        .mul(scaleFactor)
        .mul(mult);
    FloatVector sum = (FloatVector) sums.convertShape(VectorOperators.S2F, FLOATS, part);
    return sum.fma(scale, y);
  }
}
