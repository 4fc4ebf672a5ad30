package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PanelGemmTest {
  /** W as a plain float array: the panels are copies. */
  private record FloatPanels(float[] w, int rows, int cols) implements WeightPanels {
    @Override
    public void decode(int n0, int count, int k0, int depth, float[] panel) {
      for (int j = 0; j < count; j++) {
        System.arraycopy(w, (n0 + j) * cols + k0, panel, j * depth, depth);
      }
    }
  }

  @Test
  void matchesTheDoubleReferenceForEveryTileRemainder() {
    Random random = new Random(4);
    for (int k : new int[] { 1, 7, 33, 300, 1024 }) {
      for (int n : new int[] { 1, 3, 33, 67, 130 }) {
        float[] w = Reference.random(random, n * k);
        for (int m : new int[] { 1, 2, 5, 7, 10, 12, 16, 17, 20, 24, 25, 31, 32, 63, 64, 65, 72, 100 }) {
          float[] x = Reference.random(random, m * k);
          float[] y = new float[m * n];
          Arrays.fill(y, Float.NaN);
          PanelGemm.multiply(new FloatPanels(w, n, k), x, m, y, 0, n);
          Reference.check("M " + m + " N " + n + " K " + k, w, null, x, m, n, k, y, n);
        }
      }
    }
  }

  @Test
  void writesOnlyItsColumnRangeAtTheGivenOffsetAndStride() {
    Random random = new Random(5);
    int m = 9;
    int n = 200;
    int k = 520;
    float[] w = Reference.random(random, n * k);
    float[] x = Reference.random(random, m * k);
    FloatPanels panels = new FloatPanels(w, n, k);
    float[] whole = new float[m * n];
    PanelGemm.multiply(panels, x, m, whole, 0, n);
    // Columns [37, 140) into a [m, 110] block at offset 3: the rest must stay untouched.
    int from = 37;
    int to = 140;
    int stride = 110;
    float[] part = new float[3 + m * stride];
    Arrays.fill(part, -7f);
    PanelGemm.multiply(panels, PanelGemm.pack(x, m, k), from, to, part, 3, stride);
    for (int i = 0; i < part.length; i++) {
      int r = (i - 3) / stride;
      int c = (i - 3) % stride;
      float expected = i >= 3 && c < to - from ? whole[r * n + from + c] : -7f;
      assertEquals(expected, part[i], "part[" + i + "]");
    }
  }
}
