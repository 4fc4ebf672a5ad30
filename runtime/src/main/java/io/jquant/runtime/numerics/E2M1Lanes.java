package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** The lane kernels of {@link Fp4E2M1Bulk}: encode, nibble packing and unpacking, decode by table. */
final class E2M1Lanes {
  /** The magnitude bits above which (or from which) a magnitude takes the next code: MAX's decision points. */
  private static final int ABOVE_0_25 = Float.floatToRawIntBits(0.25f);
  private static final int FROM_0_75 = Float.floatToRawIntBits(0.75f);
  private static final int ABOVE_1_25 = Float.floatToRawIntBits(1.25f);
  private static final int FROM_1_75 = Float.floatToRawIntBits(1.75f);
  private static final int ABOVE_2_5 = Float.floatToRawIntBits(2.5f);
  private static final int FROM_3_5 = Float.floatToRawIntBits(3.5f);
  private static final int ABOVE_5 = Float.floatToRawIntBits(5.0f);
  private static final int ABS_MASK = 0x7FFFFFFF;

  /** Lane k: 2k, the even lanes of two vectors laid end to end. */
  private static final IntVector EVEN_LANES = IntVector.zero(Lanes.INTS).addIndex(2);

  /** Lane k takes element k of the interleaving lo0 hi0 lo1 hi1 ... of two vectors lo and hi. */
  private static final IntVector INTERLEAVE_FIRST = interleave(0);

  /** Lane k takes element LENGTH + k of that interleaving. */
  private static final IntVector INTERLEAVE_SECOND = interleave(LENGTH / 2);

  /** The float bits of the sixteen codes, repeated to fill the lanes when there are more than 16. */
  private static final IntVector TABLE = table(0);

  /** With 8 lanes the table takes two vectors: codes 8 to 15 here. */
  private static final IntVector TABLE_HIGH = table(8);

  private E2M1Lanes() {}

  private static IntVector interleave(int start) {
    int[] lanes = new int[LENGTH];
    for (int k = 0; k < LENGTH; k++) {
      lanes[k] = (k % 2 == 0 ? 0 : LENGTH) + start + k / 2;
    }
    return IntVector.fromArray(Lanes.INTS, lanes, 0);
  }

  private static IntVector table(int start) {
    int[] lanes = new int[LENGTH];
    for (int k = 0; k < LENGTH; k++) {
      lanes[k] = Float.floatToRawIntBits(Fp4E2M1.decode(start + k));
    }
    return IntVector.fromArray(Lanes.INTS, lanes, 0);
  }

  /** {@link Fp4E2M1#encode} on each lane: the code, 0..15, in each int lane. */
  static IntVector codes(FloatVector x) {
    // Integer compares of the magnitude bits order as the float compares do, and every NaN's bits lie above
    // all of them, so a NaN counts up to 0x7 as the scalar code has it.
    IntVector abs = x.reinterpretAsInts().and(ABS_MASK);
    IntVector code =
        IntVector.zero(Lanes.INTS)
            .lanewise(VectorOperators.ADD, 1, abs.compare(VectorOperators.GT, ABOVE_0_25))
            .lanewise(VectorOperators.ADD, 1, abs.compare(VectorOperators.GE, FROM_0_75))
            .lanewise(VectorOperators.ADD, 1, abs.compare(VectorOperators.GT, ABOVE_1_25))
            .lanewise(VectorOperators.ADD, 1, abs.compare(VectorOperators.GE, FROM_1_75))
            .lanewise(VectorOperators.ADD, 1, abs.compare(VectorOperators.GT, ABOVE_2_5))
            .lanewise(VectorOperators.ADD, 1, abs.compare(VectorOperators.GE, FROM_3_5))
            .lanewise(VectorOperators.ADD, 1, abs.compare(VectorOperators.GT, ABOVE_5));
    // The sign is x < 0, false for -0 and NaN.
    return code.lanewise(VectorOperators.OR, 0x8, x.compare(VectorOperators.LT, 0.0f).cast(Lanes.INTS));
  }

  /**
   * Packs the codes of 2·LENGTH consecutive elements, {@code first} then {@code second}, into int lanes holding
   * one byte each: lane j is code 2j in the low nibble and code 2j+1 in the high one.
   */
  static IntVector pack(IntVector first, IntVector second) {
    return EVEN_LANES.selectFrom(pairs(first), pairs(second));
  }

  /** Each even lane becomes its code with the next lane's code as the high nibble. */
  private static IntVector pairs(IntVector codes) {
    // Read as longs, lanes 2j and 2j+1 are the low and high halves; shifting the high half down to bit 4 puts
    // the pair in the low byte of the even lane.
    var longs = codes.reinterpretAsLongs();
    return longs.or(longs.lanewise(VectorOperators.LSHR, 28)).reinterpretAsInts();
  }

  /** The codes of 2·LENGTH elements from LENGTH packed bytes (0..255 in int lanes), in element order. */
  static Pair unpack(IntVector bytes) {
    IntVector low = bytes.and(0xF);
    IntVector high = bytes.lanewise(VectorOperators.LSHR, 4);
    return new Pair(INTERLEAVE_FIRST.selectFrom(low, high), INTERLEAVE_SECOND.selectFrom(low, high));
  }

  /** {@link Fp4E2M1#decode} on each lane of codes 0..15. */
  static FloatVector values(IntVector codes) {
    IntVector bits = LENGTH >= 16 ? codes.selectFrom(TABLE) : codes.selectFrom(TABLE, TABLE_HIGH);
    return bits.reinterpretAsFloats();
  }

  /** Two vectors of codes, elements 0..LENGTH-1 and LENGTH..2·LENGTH-1 of a run. */
  record Pair(IntVector first, IntVector second) {}
}
