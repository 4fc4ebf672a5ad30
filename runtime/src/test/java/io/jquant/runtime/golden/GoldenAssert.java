package io.jquant.runtime.golden;

import static io.jquant.runtime.golden.GoldenFile.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.runtime.golden.GoldenFile.Case;
import io.jquant.runtime.golden.GoldenFile.Mismatches;
import java.util.function.IntFunction;

/**
 * Element-by-element comparisons of a golden case's arrays with jquant's, reporting the count and the first
 * mismatches, each with what produced it ({@code where}: the input element, the block, ...).
 */
public final class GoldenAssert {
  private GoldenAssert() {}

  /** Equal bytes. */
  public static void bytes(Case c, String key, byte[] expected, byte[] actual, IntFunction<String> where) {
    assertEquals(expected.length, actual.length, c.name() + ": length of " + key);
    Mismatches m = new Mismatches(c.name() + " " + key);
    for (int i = 0; i < expected.length; i++) {
      int k = i;
      m.check(expected[i] == actual[i], () -> String.format("%s[%d] (%s): expected 0x%02x, jquant gives "
          + "0x%02x", key, k, where.apply(k), expected[k] & 0xFF, actual[k] & 0xFF));
    }
    m.assertNone();
  }

  /** Equal float32 bits: -0 and +0 differ, as the stored bytes do. */
  public static void floats(Case c, String key, float[] expected, float[] actual, IntFunction<String> where) {
    assertEquals(expected.length, actual.length, c.name() + ": length of " + key);
    Mismatches m = new Mismatches(c.name() + " " + key);
    for (int i = 0; i < expected.length; i++) {
      int k = i;
      m.check(Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]),
          () -> String.format("%s[%d] (%s): expected %s, jquant gives %s", key, k, where.apply(k),
              describe(expected[k]), describe(actual[k])));
    }
    m.assertNone();
  }
}
