package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lane loops of {@link Fp4E2M1Bulk} and their kernels: encode, nibble packing and unpacking, decode by
 * table. Each loop converts the whole vectors at the start of a checked run and returns how many elements
 * that was, a multiple of {@link Lanes#LENGTH} and so even: the caller's tail starts on a byte. Call only
 * when {@link Lanes#enabled()}.
 */
final class E2M1Lanes {
  /**
   * The magnitude bits above which (or from which) a magnitude takes the next code: MAX's decision points.
   */
  private static final int ABOVE_0_25 = Float.floatToRawIntBits(0.25f);
  private static final int FROM_0_75 = Float.floatToRawIntBits(0.75f);
  private static final int ABOVE_1_25 = Float.floatToRawIntBits(1.25f);
  private static final int FROM_1_75 = Float.floatToRawIntBits(1.75f);
  private static final int ABOVE_2_5 = Float.floatToRawIntBits(2.5f);
  private static final int FROM_3_5 = Float.floatToRawIntBits(3.5f);
  private static final int ABOVE_5 = Float.floatToRawIntBits(5.0f);
  private static final int ABS_MASK = 0x7FFFFFFF;

  /**
   * The packed bytes of one vector of elements, LENGTH / 2 of them, move as a byte vector of at least 64 bits
   * (the smallest shape): exactly one vector's bytes from 16 lanes up, twice that with 8 lanes.
   */
  private static final VectorSpecies<Byte> PACKED = VectorSpecies.of(byte.class,
      VectorShape.forBitSize(Math.max(64, LENGTH * 4)));

  /**
   * The elements that must remain for a vector step of LENGTH: its own LENGTH, or the 16 whose bytes one
   * {@link #PACKED} vector spans. With 8 lanes a step so reads 4 bytes past its own and writes 4 zero bytes
   * there, which lie inside the run and are written again by the next step or the scalar tail.
   */
  private static final int STEP = 2 * PACKED.length();

  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;

  /** The float bits of the sixteen codes, repeated to fill the lanes when there are more than 16. */
  private static final IntVector TABLE = table(0);

  /** With 8 lanes the table takes two vectors: codes 8 to 15 here. */
  private static final IntVector TABLE_HIGH = table(8);

  private E2M1Lanes() {}

  static int encode(float[] src, int srcOffset, byte[] packed, int packedOffset, int length) {
    int i = 0;
    for (; i <= length - STEP; i += LENGTH) {
      FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i);
      storePacked(codes(x), packed, packedOffset + i / 2);
    }
    return i;
  }

  static int encodeDivided(
      float[] src, int srcOffset, float divisor, byte[] packed, int packedOffset, int length) {
    int i = 0;
    for (; i <= length - STEP; i += LENGTH) {
      FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i).div(divisor);
      storePacked(codes(x), packed, packedOffset + i / 2);
    }
    return i;
  }

  static int encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] packed, int packedOffset, int length) {
    int i = 0;
    for (; i <= length - STEP; i += LENGTH) {
      FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i).mul(multiplier);
      storePacked(codes(x), packed, packedOffset + i / 2);
    }
    return i;
  }

  static int decode(byte[] packed, int packedOffset, float[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - STEP; i += LENGTH) {
      values(loadCodes(packed, packedOffset + i / 2)).intoArray(dst, dstOffset + i);
    }
    return i;
  }

  static int decodeScaled(byte[] packed, int packedOffset, float scale, float[] dst, int dstOffset,
      int length) {
    int i = 0;
    for (; i <= length - STEP; i += LENGTH) {
      values(loadCodes(packed, packedOffset + i / 2)).mul(scale).intoArray(dst, dstOffset + i);
    }
    return i;
  }

  /**
   * {@link Fp4E2M1Bulk#encodeBlocksDivided} ({@code divide}) or {@code encodeBlocksMultiplied} of a checked
   * run: per block, the whole vectors here and the tail by the scalar definition. With 8 lanes a vector may
   * write zero bytes into the next block, which that block then overwrites.
   */
  static void encodeBlocks(float[] src, int srcOffset, int length, int blockSize, float[] factors,
      int factorsOffset, boolean divide, byte[] packed, int packedOffset) {
    int blocks = Math.ceilDiv(length, blockSize);
    for (int b = 0; b < blocks; b++) {
      int start = b * blockSize;
      int end = Math.min(length, start + blockSize);
      float factor = factors[factorsOffset + b];
      int i = start;
      for (; i <= end - LENGTH && i <= length - STEP; i += LENGTH) {
        FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i);
        x = divide ? x.div(factor) : x.mul(factor);
        storePacked(codes(x), packed, packedOffset + i / 2);
      }
      if (i < end) {
        Fp4E2M1Bulk.packBlock(src, srcOffset, factor, divide, packed, packedOffset, i, end);
      }
    }
  }

  /** {@link Fp4E2M1Bulk#decodeBlocksScaled} of a checked run, per block the whole vectors, then the tail. */
  static void decodeBlocksScaled(byte[] packed, int packedOffset, int length, int blockSize, float[] scales,
      int scalesOffset, float[] dst, int dstOffset) {
    int blocks = Math.ceilDiv(length, blockSize);
    for (int b = 0; b < blocks; b++) {
      int start = b * blockSize;
      int end = Math.min(length, start + blockSize);
      float scale = scales[scalesOffset + b];
      int i = start;
      for (; i <= end - LENGTH && i <= length - STEP; i += LENGTH) {
        values(loadCodes(packed, packedOffset + i / 2)).mul(scale).intoArray(dst, dstOffset + i);
      }
      if (i < end) {
        Fp4E2M1Bulk.decodeBlock(packed, packedOffset, scale, dst, dstOffset, i, end);
      }
    }
  }

  private static IntVector table(int start) {
    int[] lanes = new int[LENGTH];
    for (int k = 0; k < LENGTH; k++) {
      lanes[k] = Float.floatToRawIntBits(Fp4E2M1.decode(start + k));
    }
    return IntVector.fromArray(Lanes.INTS, lanes, 0);
  }

  /** {@link Fp4E2M1#encode} on each lane: the code, 0..15, in each int lane. */
  private static IntVector codes(FloatVector x) {
    // Integer compares of the magnitude bits order as the float compares do, and every NaN's bits lie above
    // all of them, so a NaN counts up to 0x7 as the scalar code has it.
    IntVector abs = x.reinterpretAsInts().and(ABS_MASK);
    IntVector code = IntVector.zero(Lanes.INTS)
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

  /** Stores the codes of one vector of elements as LENGTH / 2 packed bytes: code 2j low, code 2j+1 high. */
  private static void storePacked(IntVector codes, byte[] packed, int offset) {
    // Read as longs, lanes 2j and 2j+1 are the low and high halves; shifting the high half down to bit 4 puts
    // the pair in the low byte of the long, and the narrowing keeps that byte.
    LongVector longs = codes.reinterpretAsLongs();
    LongVector pairs = longs.or(longs.lanewise(VectorOperators.LSHR, 28));
    ((ByteVector) pairs.convertShape(VectorOperators.L2B, PACKED, 0)).intoArray(packed, offset);
  }

  /** Loads the codes of one vector of elements from LENGTH / 2 packed bytes, one code per int lane. */
  private static IntVector loadCodes(byte[] packed, int offset) {
    LongVector bytes = (LongVector) ByteVector.fromArray(PACKED, packed, offset)
        .convertShape(VectorOperators.ZERO_EXTEND_B2L, LONGS, 0);
    // The low nibble to the low half of the long (int lane 2j), the high nibble to the high half (lane 2j+1).
    return bytes.and(0xF).or(bytes.and(0xF0).lanewise(VectorOperators.LSHL, 28)).reinterpretAsInts();
  }

  /** {@link Fp4E2M1#decode} on each lane of codes 0..15. */
  private static FloatVector values(IntVector codes) {
    IntVector bits = LENGTH >= 16 ? codes.selectFrom(TABLE) : codes.selectFrom(TABLE, TABLE_HIGH);
    return bits.reinterpretAsFloats();
  }
}
