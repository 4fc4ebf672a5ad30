package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jquant.runtime.numerics.VectorSupport;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The small-batch kernels sum in exactly the order their Javadoc states: the 12-row tiles as the 6-row tiles
 * (one FMA chain per output in k order from the value in yT), and {@link RowDots} as one FMA chain per lane,
 * a lane tree, then the scalar rest. Each is compared bit for bit with a scalar model of that order.
 */
class SmallBatchTilesTest {
  private static final int DEPTH = PanelGemm.DEPTH;

  @Test
  void twelveRowTilesAreOneFmaChainPerOutputInKOrder() {
    assumeTrue(VectorSupport.available() && GemmLanes.WIDE_TILES, "AVX-512 with the Vector API");
    Random random = new Random(11);
    int kc = 77;
    float[] panel = Reference.random(random, PanelGemm.PANEL_ROWS * DEPTH);
    for (int width : new int[] { GemmLanes.HALF_LENGTH, GemmLanes.LENGTH, GemmLanes.TILE }) {
      float[] xt = Reference.random(random, kc * width + 5);
      int yStride = width + 3;
      float[] yT = Reference.random(random, 12 * yStride);
      float[] expected = yT.clone();
      for (int j = 0; j < 12; j++) {
        for (int i = 0; i < width; i++) {
          float sum = expected[j * yStride + i];
          for (int k = 0; k < kc; k++) {
            sum = Math.fma(xt[5 + k * width + i], panel[j * DEPTH + 2 + k], sum);
          }
          expected[j * yStride + i] = sum;
        }
      }
      if (width == GemmLanes.TILE) {
        GemmLanes.tile12x2(panel, 2, xt, 5, kc, yT, 0, yStride);
      } else if (width == GemmLanes.LENGTH) {
        GemmLanes.tile12x1(panel, 2, xt, 5, kc, yT, 0, yStride);
      } else {
        GemmLanes.tile12x1Half(panel, 2, xt, 5, kc, yT, 0, yStride);
      }
      assertArrayEquals(expected, yT, "width " + width);
    }
  }

  @Test
  void rowDotsSumLanesThenATreeThenTheRest() {
    assumeTrue(VectorSupport.available() && KernelPlan.current().rowDots(), "AVX-512 with the Vector API");
    Random random = new Random(12);
    for (int k : new int[] { 16, 300, 1100 }) {
      for (int m : new int[] { 1, 3, 7, 12, 16, 17, 24 }) {
        int n = 29;
        float[] w = Reference.random(random, n * k);
        float[] x = Reference.random(random, m * k);
        float[] y = new float[m * n];
        RowDots.multiply(new Fp32Kernel("w", w, null, n, k), x, m, 0, n, y, 0, n);
        float[] expected = new float[m * n];
        for (int r = 0; r < m; r++) {
          for (int c = 0; c < n; c++) {
            expected[r * n + c] = modelDot(w, c * k, x, r * k, k);
          }
        }
        assertArrayEquals(expected, y, "M " + m + " K " + k);
      }
    }
  }

  /**
   * RowDots' order: 16 lane chains in k order, the tree (lanes l and l ^ 8, then ^ 4, ^ 2, ^ 1), the rest.
   */
  private static float modelDot(float[] w, int wOff, float[] x, int xOff, int k) {
    int lanes = DotLanes.LENGTH;
    int vector = k - k % lanes;
    float[] lane = new float[lanes];
    for (int i = 0; i < vector; i++) {
      lane[i % lanes] = Math.fma(w[wOff + i], x[xOff + i], lane[i % lanes]);
    }
    for (int h = lanes / 2; h >= 1; h /= 2) {
      float[] next = new float[lanes];
      for (int l = 0; l < lanes; l++) {
        next[l] = lane[l] + lane[l ^ h];
      }
      lane = next;
    }
    float rest = 0;
    for (int i = vector; i < k; i++) {
      rest += w[wOff + i] * x[xOff + i];
    }
    return lane[0] + rest;
  }
}
