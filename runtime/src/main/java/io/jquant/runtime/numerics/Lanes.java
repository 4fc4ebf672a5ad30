package io.jquant.runtime.numerics;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes the bulk codecs share: float and int lanes of the machine's preferred shape, and bytes
 * and shorts with the same number of lanes, so one float vector maps to one byte or short vector and back.
 *
 * <p>This class and the other {@code ...Lanes} classes are the only ones that name vector types: loading them
 * needs the Vector API module. The public classes touch them only after {@link VectorSupport#available()}
 * said yes, and then ask {@link #enabled()}.
 */
final class Lanes {
  /** Float lanes: 16 with AVX-512, 8 with AVX2. */
  static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  /** Int lanes of the same shape, so a float vector's bits reinterpret lane for lane. */
  static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

  /** The number of lanes of every species here. */
  static final int LENGTH = FLOATS.length();

  /**
   * Whether the vector paths run. They need a byte vector as long as a float vector, and the smallest shape
   * is 64 bits, so fewer than 8 float lanes (SSE, NEON) keep the scalar loops, which are correct everywhere.
   */
  private static final boolean ENABLED = LENGTH >= 8 && Integer.bitCount(LENGTH) == 1;

  /** Byte lanes, {@link #LENGTH} of them. */
  static final VectorSpecies<Byte> BYTES = ENABLED ? species(byte.class, 8) : ByteVector.SPECIES_64;

  /** Short lanes, {@link #LENGTH} of them. */
  static final VectorSpecies<Short> SHORTS = ENABLED ? species(short.class, 16) : ShortVector.SPECIES_64;

  private Lanes() {}

  /**
   * {@link #ENABLED} for callers that must not name a vector type: a boolean method, so the caller's bytecode
   * links nothing of the Vector API. Call only when {@link VectorSupport#available()}, as this loads the
   * class.
   */
  static boolean enabled() {
    return ENABLED;
  }

  private static <E> VectorSpecies<E> species(Class<E> type, int bits) {
    return VectorSpecies.of(type, VectorShape.forBitSize(LENGTH * bits));
  }

  /** Loads {@link #LENGTH} floats and returns their bits. */
  static IntVector floatBits(float[] src, int offset) {
    return FloatVector.fromArray(FLOATS, src, offset).reinterpretAsInts();
  }

  /** Loads {@link #LENGTH} signed bytes, sign-extended to int lanes. */
  static IntVector signedBytes(byte[] src, int offset) {
    return (IntVector) ByteVector.fromArray(BYTES, src, offset).convertShape(VectorOperators.B2I, INTS, 0);
  }

  /** Loads {@link #LENGTH} bytes as 0..255 in int lanes. */
  static IntVector unsignedBytes(byte[] src, int offset) {
    return (IntVector) ByteVector.fromArray(BYTES, src, offset).convertShape(VectorOperators.ZERO_EXTEND_B2I,
        INTS, 0);
  }

  /** Loads {@link #LENGTH} shorts, sign-extended to int lanes. */
  static IntVector shorts(short[] src, int offset) {
    return (IntVector) ShortVector.fromArray(SHORTS, src, offset).convertShape(VectorOperators.S2I, INTS, 0);
  }

  /** Stores the low byte of each int lane, as a {@code (byte)} cast does. */
  static void storeBytes(IntVector v, byte[] dst, int offset) {
    ((ByteVector) v.convertShape(VectorOperators.I2B, BYTES, 0)).intoArray(dst, offset);
  }

  /** Stores the low half of each int lane, as a {@code (short)} cast does. */
  static void storeShorts(IntVector v, short[] dst, int offset) {
    ((ShortVector) v.convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(dst, offset);
  }

  /** Stores int lanes as the floats they are the bits of. */
  static void storeFloatBits(IntVector bits, float[] dst, int offset) {
    bits.reinterpretAsFloats().intoArray(dst, offset);
  }
}
