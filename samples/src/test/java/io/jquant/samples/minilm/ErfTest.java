package io.jquant.samples.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Erf against mpmath's values at 50 digits (src/test/python/erf_coefficients.txt). */
class ErfTest {
  @Test
  void matchesMpmath() {
    double[][] cases = {{1e-3, 0.0011283787909692365}, {0.3, 0.3286267594591274}, {0.84375, 0.7672256612323416},
        {1.7, 0.9837904585907745}, {2.5, 0.999593047982555}, {3.9, 0.9999999652077514},
        {5.5, 0.9999999999999927}};
    for (double[] c : cases) {
      assertEquals(c[1], Erf.erf(c[0]), 2e-16, "erf(" + c[0] + ")");
      assertEquals(-c[1], Erf.erf(-c[0]), 2e-16, "erf(" + -c[0] + ")");
    }
    assertEquals(1.0, Erf.erf(6.0));
    assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
    assertEquals(0.0, Erf.erf(0.0));
  }

  @Test
  void geluIsTheGraphsFormula() {
    // 0.5·x·(1 + erf(x/√2)): gelu(1) = 0.8413447460685429, gelu(-1) = -0.15865525393145707 exactly; the graph's
    // float steps (x/√2 rounded, erf rounded, 1 + erf rounded) land within an ulp of them.
    assertEquals(0.84134475f, Erf.gelu(1f), Math.ulp(0.84134475f));
    assertEquals(-0.15865526f, Erf.gelu(-1f), Math.ulp(0.15865526f));
    assertEquals(0f, Erf.gelu(0f));
  }
}
