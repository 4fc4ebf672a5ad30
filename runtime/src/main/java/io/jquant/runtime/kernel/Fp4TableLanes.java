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
 * {@code i} is row i's byte p of the checkpoint (element 2p in the low nibble); per block, 64 scale bytes,
 * byte j of int lane i being row {@code 16j + i}'s. {@link #decodeScales} turns a group's scales into floats
 * once per call (kept apart from the product loop, which ran twice as slow with the decode inside it), shared
 * by all activation rows; {@link #groupPair} runs two activation rows per pass over the codes.
 */
final class Fp4TableLanes {
  private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> HALF_BYTES = ByteVector.SPECIES_256;
  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_512;
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
   * {@code out[i] = Σ_blocks (Σ_block 4·w·x) · (decoded[64b + i] · mults[multBase + b])}.
   *
   * @param tableOffsets per activation element, {@code 32 ·} its E2M1 code (an offset into {@link #TABLES})
   */
  static void group(MemorySegment codes, long codeBase, int k, int block, int[] tableOffsets, int offsetBase,
      float[] mults, int multBase, float[] decoded, float[] out) {
    short[] tables = TABLES;
    FloatVector y0 = FloatVector.zero(FLOATS);
    FloatVector y1 = y0;
    FloatVector y2 = y0;
    FloatVector y3 = y0;
    int pairs = block / 2;
    int blocks = k / block;
    int element = offsetBase;
    for (int b = 0; b < blocks; b++) {
      ShortVector a0 = ShortVector.zero(SHORTS);
      ShortVector a1 = a0;
      for (int p = 0; p < pairs; p++, element += 2) {
        // Computed from the int loop variable, so C2 hoists the segment's bounds check out of the loop (a
        // separately stepped long offset kept it inside: 0.61 against 0.53 ms at 4096x4096 NVFP4).
        long at = codeBase + (long) (b * pairs + p) * GROUP;
        ShortVector even = ShortVector.fromArray(SHORTS, tables, tableOffsets[element]);
        ShortVector odd = ShortVector.fromArray(SHORTS, tables, tableOffsets[element + 1]);
        ShortVector c0 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, codes, at, LE)
            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
        ShortVector c1 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, codes, at + 32, LE)
            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
        a0 = a0.add(c0.selectFrom(even)).add(c0.lanewise(VectorOperators.LSHR, 4).selectFrom(odd));
        a1 = a1.add(c1.selectFrom(even)).add(c1.lanewise(VectorOperators.LSHR, 4).selectFrom(odd));
      }
      int d = b * GROUP;
      FloatVector mult = FloatVector.broadcast(FLOATS, mults[multBase + b]);
      y0 = ((FloatVector) a0.convertShape(VectorOperators.S2F, FLOATS, 0))
          .fma(FloatVector.fromArray(FLOATS, decoded, d).mul(mult), y0);
      y1 = ((FloatVector) a0.convertShape(VectorOperators.S2F, FLOATS, 1))
          .fma(FloatVector.fromArray(FLOATS, decoded, d + 16).mul(mult), y1);
      y2 = ((FloatVector) a1.convertShape(VectorOperators.S2F, FLOATS, 0))
          .fma(FloatVector.fromArray(FLOATS, decoded, d + 32).mul(mult), y2);
      y3 = ((FloatVector) a1.convertShape(VectorOperators.S2F, FLOATS, 1))
          .fma(FloatVector.fromArray(FLOATS, decoded, d + 48).mul(mult), y3);
    }
    y0.intoArray(out, 0);
    y1.intoArray(out, 16);
    y2.intoArray(out, 32);
    y3.intoArray(out, 48);
  }

  /**
   * {@link #group} for two activation rows at once (the second at {@code offsetBase + k},
   * {@code multBase + k / block}, into {@code out[64..127]}): each weight code vector is loaded, widened and
   * shifted once for both rows.
   */
  static void groupPair(MemorySegment codes, long codeBase, int k, int block, int[] tableOffsets,
      int offsetBase, float[] mults, int multBase, float[] decoded, float[] out) {
    short[] tables = TABLES;
    FloatVector y0 = FloatVector.zero(FLOATS);
    FloatVector y1 = y0;
    FloatVector y2 = y0;
    FloatVector y3 = y0;
    FloatVector z0 = y0;
    FloatVector z1 = y0;
    FloatVector z2 = y0;
    FloatVector z3 = y0;
    int pairs = block / 2;
    int blocks = k / block;
    int element = offsetBase;
    for (int b = 0; b < blocks; b++) {
      ShortVector a0 = ShortVector.zero(SHORTS);
      ShortVector a1 = a0;
      ShortVector b0 = a0;
      ShortVector b1 = a0;
      for (int p = 0; p < pairs; p++, element += 2) {
        long at = codeBase + (long) (b * pairs + p) * GROUP;
        ShortVector c0 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, codes, at, LE)
            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
        ShortVector c1 = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, codes, at + 32, LE)
            .convertShape(VectorOperators.ZERO_EXTEND_B2S, SHORTS, 0);
        ShortVector h0 = c0.lanewise(VectorOperators.LSHR, 4);
        ShortVector h1 = c1.lanewise(VectorOperators.LSHR, 4);
        ShortVector even = ShortVector.fromArray(SHORTS, tables, tableOffsets[element]);
        ShortVector odd = ShortVector.fromArray(SHORTS, tables, tableOffsets[element + 1]);
        a0 = a0.add(c0.selectFrom(even)).add(h0.selectFrom(odd));
        a1 = a1.add(c1.selectFrom(even)).add(h1.selectFrom(odd));
        even = ShortVector.fromArray(SHORTS, tables, tableOffsets[element + k]);
        odd = ShortVector.fromArray(SHORTS, tables, tableOffsets[element + k + 1]);
        b0 = b0.add(c0.selectFrom(even)).add(h0.selectFrom(odd));
        b1 = b1.add(c1.selectFrom(even)).add(h1.selectFrom(odd));
      }
      int d = b * GROUP;
      FloatVector s0 = FloatVector.fromArray(FLOATS, decoded, d);
      FloatVector s1 = FloatVector.fromArray(FLOATS, decoded, d + 16);
      FloatVector s2 = FloatVector.fromArray(FLOATS, decoded, d + 32);
      FloatVector s3 = FloatVector.fromArray(FLOATS, decoded, d + 48);
      FloatVector mult = FloatVector.broadcast(FLOATS, mults[multBase + b]);
      y0 = ((FloatVector) a0.convertShape(VectorOperators.S2F, FLOATS, 0)).fma(s0.mul(mult), y0);
      y1 = ((FloatVector) a0.convertShape(VectorOperators.S2F, FLOATS, 1)).fma(s1.mul(mult), y1);
      y2 = ((FloatVector) a1.convertShape(VectorOperators.S2F, FLOATS, 0)).fma(s2.mul(mult), y2);
      y3 = ((FloatVector) a1.convertShape(VectorOperators.S2F, FLOATS, 1)).fma(s3.mul(mult), y3);
      mult = FloatVector.broadcast(FLOATS, mults[multBase + blocks + b]);
      z0 = ((FloatVector) b0.convertShape(VectorOperators.S2F, FLOATS, 0)).fma(s0.mul(mult), z0);
      z1 = ((FloatVector) b0.convertShape(VectorOperators.S2F, FLOATS, 1)).fma(s1.mul(mult), z1);
      z2 = ((FloatVector) b1.convertShape(VectorOperators.S2F, FLOATS, 0)).fma(s2.mul(mult), z2);
      z3 = ((FloatVector) b1.convertShape(VectorOperators.S2F, FLOATS, 1)).fma(s3.mul(mult), z3);
    }
    y0.intoArray(out, 0);
    y1.intoArray(out, 16);
    y2.intoArray(out, 32);
    y3.intoArray(out, 48);
    z0.intoArray(out, 64);
    z1.intoArray(out, 80);
    z2.intoArray(out, 96);
    z3.intoArray(out, 112);
  }

  /**
   * The group's block scales as floats, 64 per block in row order: scale byte c decodes as
   * {@code Float.intBitsToFloat((c + bias) << shift) · factor}.
   */
  static void decodeScales(MemorySegment scales, long scaleBase, int blocks, int bias, int shift,
      float factor, float[] decoded) {
    for (int b = 0; b < blocks; b++) {
      IntVector codes4 = ByteVector.fromMemorySegment(BYTES, scales, scaleBase + (long) b * GROUP, LE)
          .reinterpretAsInts();
      for (int part = 0; part < 4; part++) {
        scale(codes4, 8 * part, bias, shift).mul(factor).intoArray(decoded, b * GROUP + 16 * part);
      }
    }
  }

  /** Byte {@code byteShift / 8} of each int lane, as float bits {@code (c + bias) << shift}. */
  private static FloatVector scale(IntVector codes4, int byteShift, int bias, int shift) {
    return codes4.lanewise(VectorOperators.LSHR, byteShift)
        .and(0xFF)
        .add(bias)
        .lanewise(VectorOperators.LSHL, shift)
        .reinterpretAsFloats();
  }
}
