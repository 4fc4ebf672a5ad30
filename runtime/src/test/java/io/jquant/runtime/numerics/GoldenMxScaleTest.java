package io.jquant.runtime.numerics;

import static io.jquant.runtime.golden.GoldenFile.describe;
import static io.jquant.runtime.golden.GoldenFile.floatBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.golden.GoldenFile;
import io.jquant.runtime.golden.GoldenFile.Mismatches;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MxScaleMode#scaleByte} against the golden script's own formulation of docs/FORMATS.md §3.2 (from
 * {@code torch.frexp}, not from float bits): block maxima from the section's tables, powers of two and their
 * neighbours, each element's maximum and the ties above it, float32 subnormals and 3000 random values.
 */
class GoldenMxScaleTest {
  private static final MxScaleMode[] MODES = {
      MxScaleMode.RCEIL, MxScaleMode.FLOOR, MxScaleMode.EVEN, MxScaleMode.CEIL,
  };

  @Test
  void everyModeAndElementEqualsTheGoldenBytes() {
    List<String[]> rows = GoldenFile.rows("mx_scale_bytes.txt.gz");
    assertTrue(rows.size() > 3000, "rows: " + rows.size());
    // Columns after the amax: elements FP4_E2M1, FP8_E4M3, FP8_E5M2, each with RCEIL, FLOOR, EVEN, CEIL.
    MxElement[] elements = { MxElement.FP4_E2M1, MxElement.FP8_E4M3, MxElement.FP8_E5M2 };
    Mismatches m = new Mismatches("MxScaleMode.scaleByte vs the golden §3.2 formulas");
    for (String[] row : rows) {
      float amax = floatBits(row[0]);
      for (int e = 0; e < elements.length; e++) {
        for (int k = 0; k < MODES.length; k++) {
          MxElement element = elements[e];
          MxScaleMode mode = MODES[k];
          int expected = Integer.parseInt(row[1 + e * MODES.length + k], 16);
          int got = mode.scaleByte(amax, element);
          m.check(expected == got, () -> String.format("%s %s amax %s: expected 0x%02x, jquant gives 0x%02x",
              element, mode, describe(amax), expected, got));
        }
      }
    }
    m.assertNone();
  }

  /** The §3.2 tables, literally, so a change of the file cannot hide a change of the documented bytes. */
  @Test
  void formatsTablesThreePointTwo() {
    float[] fp4Amax = { 0.0f, 3.0f, 5.0f, 6.0f, 6.5f, 7.0f, 12.0f, 1e-40f };
    int[][] fp4 = { // FLOOR, CEIL, EVEN, RCEIL
        { 0, 0, 0, 0 }, { 126, 127, 126, 126 }, { 127, 128, 127, 127 }, { 127, 128, 127, 127 },
        { 127, 128, 127, 128 }, { 127, 128, 128, 128 }, { 128, 129, 128, 128 }, { 0, 0, 0, 0 },
    };
    assertTable(MxElement.FP4_E2M1, fp4Amax, fp4);
    float[] fp8Amax = { 300.0f, 448.0f, 449.0f, 500.0f, 512.0f };
    int[][] fp8 = { { 127, 128, 127, 127 }, { 127, 128, 127, 127 }, { 127, 128, 127, 128 },
        { 127, 128, 128, 128 },
        { 128, 128, 128, 128 } };
    assertTable(MxElement.FP8_E4M3, fp8Amax, fp8);
  }

  private static void assertTable(MxElement element, float[] amax, int[][] bytes) {
    MxScaleMode[] order = { MxScaleMode.FLOOR, MxScaleMode.CEIL, MxScaleMode.EVEN, MxScaleMode.RCEIL };
    for (int i = 0; i < amax.length; i++) {
      for (int k = 0; k < order.length; k++) {
        assertEquals(bytes[i][k], order[k].scaleByte(amax[i], element),
            element + " " + order[k] + " amax " + amax[i]);
      }
    }
  }
}
