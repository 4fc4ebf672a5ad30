package io.jquant.samples.minilm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LayerNorm#apply} of one row on the Vector API: the two sums in float lanes (16 or 8 partial sums,
 * reduced once), the tail under a mask. Only {@link LayerNorm} calls it, and only when the module is there.
 */
final class LayerNormLanes {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  private LayerNormLanes() {}

  /** Whether vectors pay: 8 or more float lanes. */
  static boolean enabled() {
    return FLOATS.length() >= 8;
  }

  static void apply(float[] x, int base, float[] weight, float[] bias, float eps) {
    int n = weight.length;
    int lanes = FLOATS.length();
    int body = n - n % lanes;
    VectorMask<Float> tail = FLOATS.indexInRange(body, n);
    FloatVector sum = FloatVector.zero(FLOATS);
    for (int i = 0; i < body; i += lanes) {
      sum = sum.add(FloatVector.fromArray(FLOATS, x, base + i));
    }
    sum = sum.add(FloatVector.fromArray(FLOATS, x, base + body, tail));
    float mean = sum.reduceLanes(VectorOperators.ADD) / n;
    FloatVector squares = FloatVector.zero(FLOATS);
    for (int i = 0; i < body; i += lanes) {
      FloatVector d = FloatVector.fromArray(FLOATS, x, base + i).sub(mean);
      squares = d.fma(d, squares);
    }
    FloatVector last = FloatVector.fromArray(FLOATS, x, base + body, tail).sub(mean);
    squares = last.fma(last, squares).blend(squares, tail.not());
    float deviation = (float) Math.sqrt(squares.reduceLanes(VectorOperators.ADD) / n + eps);
    for (int i = 0; i < body; i += lanes) {
      normalize(FloatVector.fromArray(FLOATS, x, base + i), mean, deviation, weight, bias, i).intoArray(x,
          base + i);
    }
    normalize(FloatVector.fromArray(FLOATS, x, base + body, tail), mean, deviation, weight, bias, body)
        .intoArray(x, base + body, tail);
  }

  private static FloatVector normalize(FloatVector v, float mean, float deviation, float[] weight,
      float[] bias,
      int i) {
    VectorMask<Float> in = FLOATS.indexInRange(i, weight.length);
    return v.sub(mean).div(deviation).mul(FloatVector.fromArray(FLOATS, weight, i, in))
        .add(FloatVector.fromArray(FLOATS, bias, i, in));
  }
}
