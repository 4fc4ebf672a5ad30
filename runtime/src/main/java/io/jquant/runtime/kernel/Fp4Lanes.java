package io.jquant.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loops of the FP4 kernels (NVFP4 and MXFP4), the only FP4 kernel class that names vector types;
 * call only when {@link io.jquant.runtime.numerics.VectorSupport#available()} and {@link #enabled()}.
 *
 * <p>GEMV layout (STYLE.md part 2, variant C2): with L int lanes, a <em>chunk</em> is {@code 8L} elements of
 * a weight row, {@code 4L} packed bytes loaded as L little-endian ints, so nibble {@code j} of lane {@code i}
 * is element {@code 8i + j} of the chunk. One shift and one 16-entry {@code selectFrom} of float bits turn
 * nibble {@code j} of every lane into one float vector, which multiplies {@code xT[L·j + i] = x[8i + j]}: x
 * permuted once per call by {@link #permute}. Lanes {@code 2b, 2b+1} of a chunk belong to NVFP4 block
 * {@code b} ({@code 4b..4b+3} to MXFP4 block {@code b}), so a chunk's 8 products are summed unscaled in two
 * chains and multiplied by a per-lane scale vector in one FMA. The scales of a <em>group</em> of chunks (L
 * scale bytes: 2 NVFP4 chunks, 4 MXFP4 chunks) are loaded and decoded arithmetically at once and spread to
 * each chunk's lanes by one constant rearrange.
 */
final class Fp4Lanes {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** Int and float lanes: 16 with AVX-512, 8 with AVX2. */
  static final int L = INTS.length();

  private static final boolean ENABLED = L == 8 || L == 16;

  /** Whether one vector holds the 16-entry table (else two do). */
  private static final boolean WIDE = L >= 16;

  /** Elements of a chunk. */
  static final int CHUNK = 8 * L;

  /** Packed bytes of a chunk. */
  static final int CHUNK_BYTES = 4 * L;

  /** L scale bytes, one per int lane. */
  private static final VectorSpecies<Byte> SCALE_BYTES = L == 16 ? ByteVector.SPECIES_128
      : ByteVector.SPECIES_64;

  /**
   * The float bits of the 16 E2M1 codes, repeated to fill 16 lanes (or codes 0..7 and 8..15 with 8 lanes).
   */
  private static final IntVector TABLE = table(0);
  private static final IntVector TABLE_HIGH = table(8);

  /**
   * With 16 lanes: indices into (low nibbles, high nibbles) of 16 bytes that give elements 0..15 and 16..31
   * in natural order (element 2j is low[j], 2j+1 is high[j]).
   */
  private static final IntVector EVEN_HALF = interleave(0);
  private static final IntVector ODD_HALF = interleave(L / 2);

  /** Lane i of NVFP4 chunk h in its group takes scale {@code h·L/2 + i/2}. */
  @SuppressWarnings("unchecked")
  private static final VectorShuffle<Float>[] NV_SPREAD = new VectorShuffle[] { spread(0, 2), spread(1, 2) };

  /** Lane i of MXFP4 chunk h in its group takes scale {@code h·L/4 + i/4}. */
  @SuppressWarnings("unchecked")
  private static final VectorShuffle<Float>[] MX_SPREAD = new VectorShuffle[] { spread(0, 4), spread(1, 4),
      spread(2, 4), spread(3, 4) };

  private static final int NAN_BITS = 0x7FC00000;

  private Fp4Lanes() {}

  /** Whether the lanes fit these loops (8 or 16 int lanes); a method, so callers link no vector type. */
  static boolean enabled() {
    return ENABLED;
  }

  /**
   * Writes x's {@code k} elements from {@code xOffset} to {@code xT} from {@code tOffset}, each whole chunk
   * in the lane order of the GEMV loop, the rest (less than a chunk) as it is.
   */
  static void permute(float[] x, int xOffset, int k, float[] xT, int tOffset) {
    int full = k / CHUNK * CHUNK;
    for (int c = 0; c < full; c += CHUNK) {
      for (int i = 0; i < L; i++) {
        for (int j = 0; j < 8; j++) {
          xT[tOffset + c + L * j + i] = x[xOffset + c + 8 * i + j];
        }
      }
    }
    System.arraycopy(x, xOffset + full, xT, tOffset + full, k - full);
  }

  /**
   * The unfinished dot products of two weight rows with one permuted x over their first {@code chunks}
   * chunks: {@code sums[0]} for the row at byte {@code w0} (scales at {@code s0}), {@code sums[1]} for
   * {@code w1} / {@code s1}. Each is {@code Σ_chunks (Σ_j E2M1 · x) · scale}, per lane, the lanes then added
   * in index order (no {@code reduceLanes}, whose order may differ between compiled and interpreted code).
   *
   * @param mx MXFP4 (E8M0 scales, blocks of 32) rather than NVFP4 (E4M3 scales times {@code global})
   * @param subnormals NVFP4 only: whether a scale code may be subnormal (then decoded without a denormal
   * step)
   * @param lanes scratch of at least 2L floats
   */
  static void dot2(boolean mx, boolean subnormals, MemorySegment w, long w0, long w1, MemorySegment s,
      long s0, long s1,
      float global, float[] xT, int xOffset, int chunks, float[] lanes, float[] sums) {
    int group = mx ? 4 : 2;
    int scalesPerChunk = L / group;
    VectorShuffle<Float>[] spreads = mx ? MX_SPREAD : NV_SPREAD;
    FloatVector acc0 = FloatVector.zero(FLOATS);
    FloatVector acc1 = FloatVector.zero(FLOATS);
    for (int c = 0; c < chunks; c += group) {
      int count = Math.min(group, chunks - c);
      long sOffset = (long) c * scalesPerChunk;
      // A last, partial group loads only its own scale bytes.
      VectorMask<Byte> present = count == group ? null : SCALE_BYTES.indexInRange(0, count * scalesPerChunk);
      FloatVector scales0 = scales(mx, subnormals, s, s0 + sOffset, global, present);
      FloatVector scales1 = scales(mx, subnormals, s, s1 + sOffset, global, present);
      for (int h = 0; h < count; h++) {
        long wOffset = (long) (c + h) * CHUNK_BYTES;
        int xi = xOffset + (c + h) * CHUNK;
        VectorShuffle<Float> spread = spreads[h];
        // Written out, not a helper: C2 does not inline a helper it compiled on its own first, and a vector
        // returned from a call is boxed.
        IntVector v0 = IntVector.fromMemorySegment(INTS, w, w0 + wOffset, LE);
        IntVector v1 = IntVector.fromMemorySegment(INTS, w, w1 + wOffset, LE);
        FloatVector x;
        IntVector n0;
        IntVector n1;
        x = FloatVector.fromArray(FLOATS, xT, xi);
        n0 = v0;
        FloatVector a0 = (WIDE ? n0.selectFrom(TABLE) : n0.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().mul(x);
        n1 = v1;
        FloatVector a1 = (WIDE ? n1.selectFrom(TABLE) : n1.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().mul(x);
        x = FloatVector.fromArray(FLOATS, xT, xi + L);
        n0 = v0.lanewise(VectorOperators.LSHR, 4);
        FloatVector b0 = (WIDE ? n0.selectFrom(TABLE) : n0.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().mul(x);
        n1 = v1.lanewise(VectorOperators.LSHR, 4);
        FloatVector b1 = (WIDE ? n1.selectFrom(TABLE) : n1.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().mul(x);
        x = FloatVector.fromArray(FLOATS, xT, xi + 2 * L);
        n0 = v0.lanewise(VectorOperators.LSHR, 8);
        a0 = (WIDE ? n0.selectFrom(TABLE) : n0.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, a0);
        n1 = v1.lanewise(VectorOperators.LSHR, 8);
        a1 = (WIDE ? n1.selectFrom(TABLE) : n1.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, a1);
        x = FloatVector.fromArray(FLOATS, xT, xi + 3 * L);
        n0 = v0.lanewise(VectorOperators.LSHR, 12);
        b0 = (WIDE ? n0.selectFrom(TABLE) : n0.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, b0);
        n1 = v1.lanewise(VectorOperators.LSHR, 12);
        b1 = (WIDE ? n1.selectFrom(TABLE) : n1.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, b1);
        x = FloatVector.fromArray(FLOATS, xT, xi + 4 * L);
        n0 = v0.lanewise(VectorOperators.LSHR, 16);
        a0 = (WIDE ? n0.selectFrom(TABLE) : n0.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, a0);
        n1 = v1.lanewise(VectorOperators.LSHR, 16);
        a1 = (WIDE ? n1.selectFrom(TABLE) : n1.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, a1);
        x = FloatVector.fromArray(FLOATS, xT, xi + 5 * L);
        n0 = v0.lanewise(VectorOperators.LSHR, 20);
        b0 = (WIDE ? n0.selectFrom(TABLE) : n0.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, b0);
        n1 = v1.lanewise(VectorOperators.LSHR, 20);
        b1 = (WIDE ? n1.selectFrom(TABLE) : n1.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, b1);
        x = FloatVector.fromArray(FLOATS, xT, xi + 6 * L);
        n0 = v0.lanewise(VectorOperators.LSHR, 24);
        a0 = (WIDE ? n0.selectFrom(TABLE) : n0.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, a0);
        n1 = v1.lanewise(VectorOperators.LSHR, 24);
        a1 = (WIDE ? n1.selectFrom(TABLE) : n1.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, a1);
        x = FloatVector.fromArray(FLOATS, xT, xi + 7 * L);
        n0 = v0.lanewise(VectorOperators.LSHR, 28);
        b0 = (WIDE ? n0.selectFrom(TABLE) : n0.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, b0);
        n1 = v1.lanewise(VectorOperators.LSHR, 28);
        b1 = (WIDE ? n1.selectFrom(TABLE) : n1.and(0xF).selectFrom(TABLE, TABLE_HIGH))
            .reinterpretAsFloats().fma(x, b1);
        acc0 = a0.add(b0).fma(scales0.rearrange(spread), acc0);
        acc1 = a1.add(b1).fma(scales1.rearrange(spread), acc1);
      }
    }
    acc0.intoArray(lanes, 0);
    acc1.intoArray(lanes, L);
    float sum0 = 0;
    float sum1 = 0;
    for (int i = 0; i < L; i++) {
      sum0 += lanes[i];
      sum1 += lanes[L + i];
    }
    sums[0] = sum0;
    sums[1] = sum1;
  }

  /**
   * Decodes the first {@code depth / block · block} elements of one weight row into {@code dst} in natural
   * order, each an E2M1 value times its block's float32 scale (the product {@code dequantize()} computes),
   * and returns how many that was; the caller decodes the rest.
   *
   * @param scales the row's block scales as float32, from {@code scaleOffset}
   */
  static int decode(MemorySegment w, long wOffset, int depth, int block, float[] scales, int scaleOffset,
      float[] dst, int dstOffset) {
    int blocks = depth / block;
    int done = blocks * block;
    int first = 0;
    if (WIDE) {
      // 32 elements a step: 16 bytes widened to 16 ints at once, the low and the high nibbles looked up as
      // two vectors (selectFrom wraps the index, so no mask), then interleaved into natural order by two
      // constant two-vector selects. Each output vector is 16 elements: one NVFP4 block, half an MXFP4 block.
      int pairs = done / 32 * 32;
      boolean nv = block == 16;
      for (; first < pairs; first += 32) {
        ByteVector bytes = ByteVector.fromMemorySegment(ByteVector.SPECIES_128, w, wOffset + first / 2, LE);
        IntVector codes = (IntVector) bytes.convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
        IntVector low = codes.selectFrom(TABLE);
        IntVector high = codes.lanewise(VectorOperators.LSHR, 4).selectFrom(TABLE);
        int b = scaleOffset + first / block;
        float scale0 = scales[b];
        float scale1 = nv ? scales[b + 1] : scale0;
        EVEN_HALF.selectFrom(low, high).reinterpretAsFloats().mul(scale0).intoArray(dst, dstOffset + first);
        ODD_HALF.selectFrom(low, high).reinterpretAsFloats().mul(scale1).intoArray(dst,
            dstOffset + first + 16);
      }
    }
    // What is left: everything with 8 lanes, at most one NVFP4 block with 16.
    for (; first < done; first += 16) {
      float scale = scales[scaleOffset + first / block];
      ByteVector bytes = ByteVector.fromMemorySegment(ByteVector.SPECIES_64, w, wOffset + first / 2, LE);
      for (int part = 0; part * L < 16; part++) {
        LongVector pairs = (LongVector) bytes.convertShape(VectorOperators.ZERO_EXTEND_B2L, LONGS, part);
        // Low nibble to the low int of the long (element 2j), high nibble to the high int (2j+1).
        IntVector codes = pairs.and(0xF).or(pairs.and(0xF0).lanewise(VectorOperators.LSHL, 28))
            .reinterpretAsInts();
        lookup(codes).mul(scale).intoArray(dst, dstOffset + first + part * L);
      }
    }
    return done;
  }

  /**
   * Decodes the first {@code count / L · L} block scale bytes from {@code offset} to float32 in {@code dst}
   * (what {@code dequantize()} multiplies: the E8M0 value, or the E4M3 value times {@code global}) and
   * returns how many that was; the caller decodes the rest. The panel decode spent about a fifth of its time
   * on these one at a time.
   *
   * @param subnormals NVFP4 only: whether a scale code may be subnormal (then decoded without a denormal
   * step)
   */
  static int decodeScales(boolean mx, boolean subnormals, MemorySegment s, long offset, int count,
      float global,
      float[] dst) {
    int done = count / L * L;
    for (int i = 0; i < done; i += L) {
      FloatVector values = scales(mx, subnormals, s, offset + i, global, null);
      if (!mx) {
        // Fp8E4M3.decode keeps a NaN code's sign (0xFF is 0xFFC00000) and dequantize() carries it into the
        // weight; scales() gives both NaN codes the positive NaN, which only the GEMV's sums see.
        IntVector b = (IntVector) ByteVector.fromMemorySegment(SCALE_BYTES, s, offset + i, LE)
            .convertShape(VectorOperators.B2I, INTS, 0);
        values = values.reinterpretAsInts().blend(b.and(0x80000000).or(NAN_BITS), b.and(0x7F).eq(0x7F))
            .reinterpretAsFloats();
      }
      values.intoArray(dst, i);
    }
    return done;
  }

  /** E2M1 values of the low 4 bits of each lane (selectFrom wraps the indices, so no mask is needed). */
  private static FloatVector lookup(IntVector codes) {
    IntVector bits = WIDE ? codes.selectFrom(TABLE) : codes.and(0xF).selectFrom(TABLE, TABLE_HIGH);
    return bits.reinterpretAsFloats();
  }

  /**
   * L block scales from {@code offset} as float32, only the lanes in {@code present} when not null;
   * {@code subnormals}: some E4M3 scale code of the weight may be subnormal.
   */
  private static FloatVector scales(boolean mx, boolean subnormals, MemorySegment s, long offset,
      float global,
      VectorMask<Byte> present) {
    ByteVector raw = present == null
        ? ByteVector.fromMemorySegment(SCALE_BYTES, s, offset, LE)
        : ByteVector.fromMemorySegment(SCALE_BYTES, s, offset, LE, present);
    if (mx) {
      // E8M0: the byte is the float exponent; 0 is the subnormal 2^-127 and 255 is NaN.
      IntVector b = (IntVector) raw.convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
      return b.lanewise(VectorOperators.LSHL, 23).blend(0x00400000, b.eq(0)).blend(NAN_BITS, b.eq(255))
          .reinterpretAsFloats();
    }
    // E4M3 moved into float32's exponent and mantissa is the value times 2^-120 exactly; the product with
    // 2^120 restores it, the product with the global scale rounds once as dequantize() does. 0x7F and 0xFF
    // are NaN, which the products keep. For a subnormal code that float is a denormal, and a multiply by a
    // denormal costs a microcode assist (a 4096² GEMV with 10% subnormal scale codes ran 2.4-3x slower), so
    // weights with such codes take exactE4m3, a few steps more (10% of a GEMV).
    IntVector b = (IntVector) raw.convertShape(VectorOperators.B2I, INTS, 0);
    if (subnormals) {
      return exactE4m3(b, global);
    }
    IntVector bits = b.lanewise(VectorOperators.LSHL, 20).and(0x87F00000).blend(NAN_BITS,
        b.and(0x7F).eq(0x7F));
    return bits.reinterpretAsFloats().mul(0x1p120f).mul(global);
  }

  /**
   * E4M3 codes (sign-extended) times {@code global} without a denormal step: the exponent field is raised by
   * 120 directly, exact for normal codes; a subnormal code {@code m/8 · 2^-6} is taken as
   * {@code (1 + m/8) · 2^-6 - 2^-6}, exact and never denormal. Kept out of {@link #scales} so that stays
   * small enough for C2 to inline.
   */
  private static FloatVector exactE4m3(IntVector b, float global) {
    IntVector magnitude = b.lanewise(VectorOperators.LSHL, 20).and(0x07F00000);
    VectorMask<Integer> subnormal = magnitude.lt(0x00800000);
    FloatVector normal = magnitude.add(120 << 23).reinterpretAsFloats();
    FloatVector value = normal.blend(magnitude.add(121 << 23).reinterpretAsFloats().sub(0x1p-6f),
        subnormal.cast(FLOATS));
    IntVector bits = value.reinterpretAsInts().or(b.and(0x80000000)).blend(NAN_BITS, b.and(0x7F).eq(0x7F));
    return bits.reinterpretAsFloats().mul(global);
  }

  private static VectorShuffle<Float> spread(int h, int lanesPerScale) {
    int[] source = new int[L];
    for (int i = 0; i < L; i++) {
      source[i] = h * L / lanesPerScale + i / lanesPerScale;
    }
    return VectorShuffle.fromArray(FLOATS, source, 0);
  }

  private static IntVector interleave(int start) {
    int[] lanes = new int[L];
    for (int i = 0; i < L; i++) {
      lanes[i] = start + i / 2 + (i % 2) * L;
    }
    return IntVector.fromArray(INTS, lanes, 0);
  }

  private static IntVector table(int start) {
    int[] lanes = new int[L];
    for (int i = 0; i < L; i++) {
      lanes[i] = Float.floatToRawIntBits(Fp4Codes.E2M1[(start + i) % 16]);
    }
    return IntVector.fromArray(INTS, lanes, 0);
  }
}
