package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.runtime.Linear;
import org.junit.jupiter.api.Test;

class Fp32LinearTest {
  @Test
  void computesXTimesWTransposedPlusBias() {
    // W = [[1, 2, 3], [-1, 0, 0.5]] (out 2, in 3); x rows [1, 1, 1] and [2, 0, -2].
    Linear linear = new Fp32Linear(new float[] { 1, 2, 3, -1, 0, 0.5f }, new float[] { 10, 20 }, 2, 3);
    float[] y = new float[4];
    linear.forward(new float[] { 1, 1, 1, 2, 0, -2 }, y, 2);
    assertArrayEquals(new float[] { 16, 19.5f, 6, 17 }, y);
    assertEquals(3, linear.inFeatures());
    assertEquals(2, linear.outFeatures());
  }

  @Test
  void refusesAWeightOfTheWrongSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Fp32Linear(new float[5], null, 2, 3));
    assertEquals("layer fp32: weight has 5 values, but [2, 3] needs 6", e.getMessage());
  }

  @Test
  void refusesBuffersTooSmallForTheRows() {
    Linear linear = new Fp32Linear(new float[6], null, 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> linear.forward(new float[3], new float[4], 2));
    assertEquals("layer fp32: forward of 2 rows needs x of 6 and y of 4 values; got 3 and 4", e.getMessage());
  }
}
