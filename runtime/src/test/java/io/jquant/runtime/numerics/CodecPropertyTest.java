package io.jquant.runtime.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Properties of the scalar definitions, checked against an independent model of each format: the sorted list
 * of its finite values. Encoding must give the nearest value, a tie the one with the even code, and values
 * beyond the range must saturate or overflow as docs/FORMATS.md says; decoding a code and encoding it again
 * must give the code back, except for the NaN and -0 cases named in
 * {@link #everyCodeSurvivesDecodeThenEncode}.
 */
class CodecPropertyTest {
  private interface Decode {
    float of(int code);
  }

  private interface Encode {
    int of(float x);
  }

  /**
   * A format through its scalar codec. {@code overflow} is the first magnitude that becomes infinity, or NaN
   * for a saturating format, whose values beyond its range give its largest or smallest value.
   */
  private record Format(String name, int codes, Decode decode, Encode encode, boolean evenByValue, float max,
      float overflow) {
    boolean saturates() {
      return Float.isNaN(overflow);
    }
  }

  private static final Format E4M3 = new Format("E4M3", 256, c -> Fp8E4M3.decode((byte) c),
      x -> Fp8E4M3.encode(x) & 0xFF, false, 448.0f, Float.NaN);
  private static final Format E5M2 = new Format("E5M2", 256, c -> Fp8E5M2.decode((byte) c),
      x -> Fp8E5M2.encode(x) & 0xFF, false, 57344.0f, 61440.0f);
  private static final Format E2M1 = new Format("E2M1", 16, Fp4E2M1::decode, Fp4E2M1::encode, false, 6.0f,
      Float.NaN);
  private static final Format INT8 = new Format("INT8", 256, c -> Int8.decode((byte) c),
      x -> Int8.encode(x) & 0xFF, true, 127.0f, Float.NaN);
  private static final Format BF16 = new Format("BF16", 65536, c -> Bf16.decode((short) c),
      x -> Bf16.encode(x) & 0xFFFF, false, Float.intBitsToFloat(0x7F7F0000),
      Float.intBitsToFloat(0x7F7F8000));
  private static final Format FP16 = new Format("FP16", 65536, c -> Fp16.decode((short) c),
      x -> Fp16.encode(x) & 0xFFFF, false, 65504.0f, 65520.0f);

  private static final Format[] FORMATS = { E4M3, E5M2, E2M1, INT8, BF16, FP16 };

  // ---- decode then encode ---------------------------------------------------------------------------------

  /**
   * Every code comes back, except: E2M1's -0 (0x8), which encodes as +0 because the sign is {@code x < 0};
   * E5M2's NaN codes other than 0x7F / 0xFF, which collapse to those; BF16's signalling NaNs, which come back
   * quiet (bit 0x40 set); and FP16's signalling NaNs, which the x86 and AArch64 conversions quiet (bit 0x200)
   * and the JDK's Java fallback keeps. INT8 and E4M3 (NaN 0x7F / 0xFF included) come back whole.
   */
  @Test
  void everyCodeSurvivesDecodeThenEncode() {
    for (Format format : FORMATS) {
      for (int code = 0; code < format.codes(); code++) {
        int back = format.encode().of(format.decode().of(code));
        int expected = expectedRoundTrip(format, code, back);
        if (back != expected) {
          fail(String.format("%s code 0x%X: decode %s, encode 0x%X", format.name(), code,
              format.decode().of(code), back));
        }
      }
    }
  }

  private static int expectedRoundTrip(Format format, int code, int back) {
    if (format == E2M1 && code == 0x8) {
      return 0x0;
    }
    if (format == E5M2 && (code & 0x7F) > 0x7C) {
      return code | 0x7F;
    }
    if (format == BF16 && (code & 0x7F80) == 0x7F80 && (code & 0x7F) != 0) {
      return code | 0x40;
    }
    if (format == FP16 && (code & 0x7C00) == 0x7C00 && (code & 0x3FF) != 0 && back == (code | 0x200)) {
      return code | 0x200;
    }
    return code;
  }

  @Test
  void theDocumentedRoundTripExceptionsHappen() {
    assertEquals(0x0, Fp4E2M1.encode(Fp4E2M1.decode(0x8)));
    assertEquals(0x7F, Fp8E5M2.encode(Fp8E5M2.decode((byte) 0x7D)));
    assertEquals((byte) 0xFF, Fp8E5M2.encode(Fp8E5M2.decode((byte) 0xFE)));
    assertEquals((short) 0x7FC1, Bf16.encode(Bf16.decode((short) 0x7F81)));
    assertEquals((short) 0xFF80, Bf16.encode(Bf16.decode((short) 0xFF80)), "-Inf is no NaN");
    assertEquals((byte) 0xFF, Fp8E4M3.encode(Fp8E4M3.decode((byte) 0xFF)));
  }

  // ---- encode is round to nearest, ties to even -----------------------------------------------------------

  @Test
  void encodeGivesTheNearestValueWithTiesToEvenOnARandomSample() {
    SplittableRandom random = new SplittableRandom(21);
    for (Format format : FORMATS) {
      Model model = new Model(format);
      for (int i = 0; i < 200_000; i++) {
        float x = Float.intBitsToFloat(random.nextInt());
        if (Float.isFinite(x)) {
          model.check(x);
        }
        double magnitude = random.nextDouble(1, 2) * Math.pow(2, random.nextInt(-28, 18));
        model.check((float) (random.nextBoolean() ? magnitude : -magnitude));
      }
    }
  }

  @Test
  void encodeGivesTheNearestValueWithTiesToEvenAroundEveryBoundary() {
    for (Format format : FORMATS) {
      Model model = new Model(format);
      double[] values = model.values;
      for (int i = 0; i + 1 < values.length; i++) {
        double low = values[i];
        double high = values[i + 1];
        float midpoint = (float) ((low + high) / 2);
        assertEquals((low + high) / 2, midpoint, 0.0, format.name() + ": midpoints of codes are floats");
        for (float centre : new float[] { (float) low, midpoint }) {
          float up = centre;
          float down = centre;
          model.check(centre);
          for (int k = 0; k < 6; k++) {
            up = Math.nextUp(up);
            down = Math.nextDown(down);
            model.check(up);
            model.check(down);
          }
        }
      }
    }
  }

  /**
   * A format's finite values in order, each with whether its code is even, plus for an overflowing format the
   * first power of two beyond its range, which stands for infinity: the midpoint to it is where infinity
   * starts.
   */
  private static final class Model {
    final Format format;
    final double[] values;
    final boolean[] even;

    Model(Format format) {
      this.format = format;
      TreeMap<Double, Boolean> byValue = new TreeMap<>();
      for (int code = 0; code < format.codes(); code++) {
        float value = format.decode().of(code);
        if (Float.isFinite(value)) {
          boolean isEven = format.evenByValue() ? ((int) value & 1) == 0 : (code & 1) == 0;
          byValue.put(value == 0 ? 0.0 : (double) value, isEven);
        }
      }
      if (!format.saturates()) {
        double beyond = 2.0 * format.overflow() - format.max();
        byValue.put(beyond, true);
        byValue.put(-beyond, true);
      }
      values = byValue.keySet().stream().mapToDouble(Double::doubleValue).toArray();
      even = new boolean[values.length];
      int i = 0;
      for (boolean isEven : byValue.values()) {
        even[i++] = isEven;
      }
      if (format.saturates()) {
        assertEquals(format.max(), values[values.length - 1], 0.0, format.name() + " max");
      }
    }

    void check(float x) {
      float got = format.decode().of(format.encode().of(x));
      double expected = expected(x);
      if (Double.isInfinite(expected) ? got != expected : (double) got != expected) {
        fail(String.format("%s.encode(%s = 0x%08X) decodes to %s, nearest with ties to even is %s",
            format.name(), x, Float.floatToRawIntBits(x), got, expected));
      }
    }

    private double expected(float x) {
      if (format.saturates()) {
        // INT8's range is [-128, 127], the float formats' symmetric.
        if (x > values[values.length - 1]) {
          return values[values.length - 1];
        }
        if (x < values[0]) {
          return values[0];
        }
      }
      if (!format.saturates() && Math.abs(x) >= format.overflow()) {
        return Math.copySign(Double.POSITIVE_INFINITY, x);
      }
      int at = Arrays.binarySearch(values, x);
      if (at >= 0) {
        return values[at];
      }
      int high = -at - 1;
      int low = high - 1;
      double midpoint = (values[low] + values[high]) / 2; // exact: neighbours have few significant bits
      int nearest = x < midpoint ? low : x > midpoint ? high : even[low] ? low : high;
      boolean beyondRange = !format.saturates() && (nearest == 0 || nearest == values.length - 1);
      return beyondRange ? Math.copySign(Double.POSITIVE_INFINITY, x) : values[nearest];
    }
  }

  // ---- saturation, overflow and signed zeros (docs/FORMATS.md) --------------------------------------------

  @Test
  void e4m3SaturatesToPlusMinus448() {
    for (float x : new float[] { 448.0f, 449.0f, 464.0f, 480.0f, 1e30f, Float.MAX_VALUE,
        Float.POSITIVE_INFINITY }) {
      assertEquals((byte) 0x7E, Fp8E4M3.encode(x), "E4M3 " + x);
      assertEquals((byte) 0xFE, Fp8E4M3.encode(-x), "E4M3 " + -x);
    }
    assertEquals((byte) 0x7F, Fp8E4M3.encode(Float.NaN));
    assertEquals((byte) 0xFF, Fp8E4M3.encode(Float.intBitsToFloat(0xFFC00000)));
  }

  @Test
  void e2m1SaturatesToPlusMinus6() {
    for (float x : new float[] { 6.0f, Math.nextUp(5.0f), 7.0f, 1e30f, Float.POSITIVE_INFINITY }) {
      assertEquals(0x7, Fp4E2M1.encode(x), "E2M1 " + x);
      assertEquals(0xF, Fp4E2M1.encode(-x), "E2M1 " + -x);
    }
    assertEquals(0x6, Fp4E2M1.encode(5.0f), "the tie 5 goes to 4, the even code");
    assertEquals(0x7, Fp4E2M1.encode(Float.NaN));
  }

  @Test
  void int8SaturatesToItsRange() {
    for (float x : new float[] { 127.0f, 127.5f, 128.0f, 1e9f, Float.MAX_VALUE, Float.POSITIVE_INFINITY }) {
      assertEquals((byte) 127, Int8.encode(x), "INT8 " + x);
    }
    for (float x : new float[] { -128.0f, -128.5f, -129.0f, -1e9f, -Float.MAX_VALUE,
        Float.NEGATIVE_INFINITY }) {
      assertEquals((byte) -128, Int8.encode(x), "INT8 " + x);
    }
    assertEquals((byte) 126, Int8.encode(126.5f), "ties to even");
    assertEquals((byte) -126, Int8.encode(-125.5f), "ties to even");
    assertEquals((byte) 0, Int8.encode(Float.NaN));
  }

  @Test
  void e5m2OverflowsToInfinityFrom61440() {
    assertEquals((byte) 0x7B, Fp8E5M2.encode(57344.0f));
    assertEquals((byte) 0x7B, Fp8E5M2.encode(Math.nextDown(61440.0f)));
    for (float x : new float[] { 61440.0f, 65536.0f, 1e30f, Float.POSITIVE_INFINITY }) {
      assertEquals((byte) 0x7C, Fp8E5M2.encode(x), "E5M2 " + x);
      assertEquals((byte) 0xFC, Fp8E5M2.encode(-x), "E5M2 " + -x);
    }
    assertEquals((byte) 0x7F, Fp8E5M2.encode(Float.NaN));
  }

  @Test
  void bf16AndFp16OverflowToInfinityHalfAnUlpAboveTheirMax() {
    assertEquals((short) 0x7F7F, Bf16.encode(Float.intBitsToFloat(0x7F7F7FFF)));
    assertEquals((short) 0x7F80, Bf16.encode(Float.intBitsToFloat(0x7F7F8000)));
    assertEquals((short) 0x7F80, Bf16.encode(Float.MAX_VALUE));
    assertEquals((short) 0x7BFF, Fp16.encode(Math.nextDown(65520.0f)));
    assertEquals((short) 0x7C00, Fp16.encode(65520.0f));
    assertEquals((short) 0xFC00, Fp16.encode(-65520.0f));
  }

  /** A negative value that rounds to zero keeps its sign, except in E2M1 (sign is x < 0) and INT8 (no -0). */
  @Test
  void signedZeros() {
    float tiny = -Float.MIN_VALUE;
    assertEquals((byte) 0x80, Fp8E4M3.encode(tiny));
    assertEquals((byte) 0x80, Fp8E4M3.encode(-0.0f));
    assertEquals((byte) 0x80, Fp8E5M2.encode(tiny));
    assertEquals((short) 0x8000, Bf16.encode(-0.0f));
    assertEquals((short) 0x8000, Fp16.encode(tiny));
    assertEquals(0x8, Fp4E2M1.encode(-0.2f));
    assertEquals(0x0, Fp4E2M1.encode(-0.0f));
    assertEquals((byte) 0, Int8.encode(-0.3f));
    assertTrue(Float.floatToRawIntBits(Fp8E4M3.decode((byte) 0x80)) == 0x80000000, "E4M3 0x80 is -0");
  }
}
