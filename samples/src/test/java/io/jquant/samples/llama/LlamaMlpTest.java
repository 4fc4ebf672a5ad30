package io.jquant.samples.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.runtime.kernel.Fp32Linear;
import org.junit.jupiter.api.Test;

class LlamaMlpTest {
  @Test
  void computesSwiGlu() {
    // hidden 2, intermediate 1: gate = x0, up = x1, down = [[1], [2]].
    LlamaMlp mlp = new LlamaMlp(
        new Fp32Linear(new float[] { 1, 0 }, null, 1, 2),
        new Fp32Linear(new float[] { 0, 1 }, null, 1, 2),
        new Fp32Linear(new float[] { 1, 2 }, null, 2, 1));
    float[] out = new float[2];
    mlp.forward(new float[] { 2, 3 }, out, 1);
    double silu = 2 / (1 + Math.exp(-2));
    assertArrayEquals(new float[] { (float) (silu * 3), (float) (2 * silu * 3) }, out, 1e-6f);
  }

  @Test
  void refusesProjectionsThatDoNotFit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LlamaMlp(
        new Fp32Linear(new float[4], null, 2, 2),
        new Fp32Linear(new float[2], null, 1, 2),
        new Fp32Linear(new float[2], null, 2, 1)));
    assertEquals("MLP projections do not fit: gate [2, 2], up [1, 2], down [2, 1]", e.getMessage());
  }
}
