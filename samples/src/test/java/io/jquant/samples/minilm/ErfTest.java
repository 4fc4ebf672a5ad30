package io.jquant.samples.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The double erf against mpmath's values at 50 digits (src/test/python/erf_coefficients.txt); the float erf
 * the GELU runs against the double one.
 */
class ErfTest {
  @Test
  void matchesMpmath() {
    double[][] cases = { { 1e-3, 0.0011283787909692365 }, { 0.3, 0.3286267594591274 },
        { 0.84375, 0.7672256612323416 },
        { 1.7, 0.9837904585907745 }, { 2.5, 0.999593047982555 }, { 3.9, 0.9999999652077514 },
        { 5.5, 0.9999999999999927 } };
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
    // 0.5·x·(1 + erf(x/√2)): gelu(1) = 0.8413447460685429, gelu(-1) = -0.15865525393145707 exactly; the
    // graph's
    // float steps (x/√2 rounded, erf rounded, 1 + erf rounded) land within an ulp of them.
    assertEquals(0.84134475f, Erf.gelu(1f), Math.ulp(0.84134475f));
    assertEquals(-0.15865526f, Erf.gelu(-1f), Math.ulp(0.15865526f));
    assertEquals(0f, Erf.gelu(0f));
  }

  @Test
  void floatErfIsWithinAnUlpOfTheDoubleOne() {
    // ~160k floats over [0, 6) (relative steps of 6.1e-5 below 1, absolute ones above): both pieces, the
    // switch at 0.921875 and the clamp at 4, against the double erf (1e-16) rounded to float.
    float worst = 0;
    for (float x = 0; x < 6f; x = Math.nextUp(x + 6.1e-5f * Math.min(1f, x + 0.01f))) {
      float exact = (float) Erf.erf((double) x);
      float ulps = Math.abs(Erf.erf(x) - exact) / Math.ulp(exact == 0 ? Float.MIN_NORMAL : exact);
      worst = Math.max(worst, ulps);
      assertEquals(-Erf.erf(x), Erf.erf(-x), "erf(" + -x + ") is not odd");
    }
    assertTrue(worst <= 1f, "worst error " + worst + " ulp");
    assertEquals(1f, Erf.erf(4f));
    assertEquals(-1f, Erf.erf(Float.NEGATIVE_INFINITY));
    assertTrue(Float.isNaN(Erf.erf(Float.NaN)));
    assertEquals(0.3286267594591274f, Erf.erf(0.3f), Math.ulp(0.33f));
    assertEquals(0.9837904585907745f, Erf.erf(1.7f), Math.ulp(0.98f));
  }

  @Test
  void arrayGeluMatchesTheScalarOneWithinAnUlp() {
    // 37 values: the vector body and a masked tail, both signs, both pieces of erf, the clamp, NaN.
    float[] v = new float[37];
    for (int i = 0; i < 36; i++) {
      v[i] = (i - 18) * 0.37f;
    }
    v[36] = Float.NaN;
    float[] expected = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      expected[i] = Erf.gelu(v[i]);
    }
    Erf.gelu(v, 0, v.length);
    for (int i = 0; i < 36; i++) {
      assertEquals(expected[i], v[i], Math.ulp(expected[i]), "gelu at " + i);
    }
    assertTrue(Float.isNaN(v[36]));
  }
}
