package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.runtime.Fp32Linear;
import io.jquant.runtime.Linear;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GateUpLinearTest {
  /** silu(gate(x)) · up(x) from the layers' own forward calls. */
  private static float[] separate(Linear gate, Linear up, float[] x, int rows) {
    int out = gate.outFeatures();
    float[] g = new float[rows * out];
    float[] u = new float[rows * out];
    gate.forward(x, g, rows);
    up.forward(x, u, rows);
    float[] y = new float[rows * out];
    for (int i = 0; i < y.length; i++) {
      y[i] = g[i] / (1f + (float) Math.exp(-g[i])) * u[i];
    }
    return y;
  }

  @Test
  void fusedBf16AndFp32GiveTheBitsOfSeparateForwardsOnBothPathsAndThreadCounts() {
    Random random = new Random(21);
    int out = 600;
    int in = 96;
    float[] gw = Reference.random(random, out * in);
    float[] uw = Reference.random(random, out * in);
    float[] gb = Reference.random(random, out);
    Linear[][] pairs = {
      {Bf16Linear.create("g", LinearKernelsTest.bf16("g.weight", gw.clone(), out, in), gb),
          Bf16Linear.create("u", LinearKernelsTest.bf16("u.weight", uw.clone(), out, in), null)},
      {new Fp32Linear("g", gw, gb, out, in), new Fp32Linear("u", uw, null, out, in)},
    };
    try (KernelThreads two = KernelThreads.create(2)) {
      for (Linear[] pair : pairs) {
        GateUpLinear fused = GateUpLinear.create(pair[0], pair[1]);
        assertEquals(pair[0].weightBytes() + pair[1].weightBytes(), fused.weightBytes());
        for (int rows : new int[] {1, 3, 7, 33}) {
          float[] x = Reference.random(random, rows * in);
          float[] expected = separate(pair[0], pair[1], x, rows);
          float[] y = new float[rows * out];
          fused.forward(x, y, rows);
          assertArrayEquals(expected, y, fused + " rows " + rows);
          fused.forward(x, y, rows, two);
          assertArrayEquals(expected, y, fused + " rows " + rows + ", 2 threads");
        }
      }
    }
  }

  @Test
  void siluFollowsTheFloat32Formula() {
    assertEquals(0f, GateUpLinear.silu(0f));
    assertEquals(1f / (1f + (float) Math.exp(-1.0)), GateUpLinear.silu(1f));
    assertEquals(Float.POSITIVE_INFINITY, GateUpLinear.silu(Float.POSITIVE_INFINITY));
    assertEquals(-0f, GateUpLinear.silu(-200f));
    assertEquals(Float.NaN, GateUpLinear.silu(Float.NaN));
  }

  @Test
  void refusesLayersOfDifferentShapeOrClass() {
    Linear a = new Fp32Linear("a", new float[6], null, 2, 3);
    Linear b = new Fp32Linear("b", new float[6], null, 3, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GateUpLinear.create(a, b));
    assertEquals("layers a and b cannot be fused: gate is Fp32Linear [2, 3], up is Fp32Linear [3, 2]",
        e.getMessage());
  }
}
