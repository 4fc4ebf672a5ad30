package io.jquant.samples.minilm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Erf#gelu(float[], int, int)} on the Vector API: both pieces of the float erf on every lane, then a
 * blend; the exp is the Vector API's (SVML on x86). Only {@link Erf} calls it, and only when the module is
 * there.
 */
final class ErfLanes {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  private ErfLanes() {}

  /** Whether vectors pay: 8 or more float lanes. */
  static boolean enabled() {
    return FLOATS.length() >= 8;
  }

  static void gelu(float[] v, int from, int to) {
    int lanes = FLOATS.length();
    int i = from;
    for (; i + lanes <= to; i += lanes) {
      gelu(FloatVector.fromArray(FLOATS, v, i)).intoArray(v, i);
    }
    if (i < to) {
      VectorMask<Float> tail = FLOATS.indexInRange(i, to);
      gelu(FloatVector.fromArray(FLOATS, v, i, tail)).intoArray(v, i, tail);
    }
  }

  private static FloatVector gelu(FloatVector x) {
    FloatVector e = erf(x.div(Erf.SQRT2));
    return x.mul(e.add(1f)).mul(0.5f);
  }

  private static FloatVector erf(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector small = a.fma(horner(Erf.P, a.mul(a)), a);
    FloatVector large = FloatVector.broadcast(FLOATS, 1f)
        .sub(horner(Erf.Q, a.sub(Erf.SPLIT)).lanewise(VectorOperators.EXP));
    FloatVector r = large.blend(small, a.compare(VectorOperators.LT, Erf.SPLIT))
        .blend(1f, a.compare(VectorOperators.GE, Erf.ONE));
    // copySign (r is +0 or positive); NaN stays NaN: every compare is false for it, so r is `large`, NaN.
    IntVector sign = x.reinterpretAsInts().and(Integer.MIN_VALUE);
    return r.reinterpretAsInts().or(sign).reinterpretAsFloats();
  }

  private static FloatVector horner(float[] c, FloatVector t) {
    FloatVector v = FloatVector.broadcast(FLOATS, c[c.length - 1]);
    for (int j = c.length - 2; j >= 0; j--) {
      v = v.fma(t, FloatVector.broadcast(FLOATS, c[j]));
    }
    return v;
  }
}
