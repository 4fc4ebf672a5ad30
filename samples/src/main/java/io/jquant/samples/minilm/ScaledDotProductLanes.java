package io.jquant.samples.minilm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScaledDotProduct}'s inner loops on the Vector API, along the head dimension (the tail under a mask).
 * Only that class calls it, and only when the module is there.
 */
final class ScaledDotProductLanes {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  private ScaledDotProductLanes() {}

  /** Whether vectors pay: 8 or more float lanes. */
  static boolean enabled() {
    return FLOATS.length() >= 8;
  }

  /**
   * {@code Σ_d a[aOffset + d] · b[bOffset + d]} for {@code d < length}: lane-wise FMAs, then one reduction.
   */
  static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    int lanes = FLOATS.length();
    FloatVector acc = FloatVector.zero(FLOATS);
    int d = 0;
    for (; d + lanes <= length; d += lanes) {
      acc = FloatVector.fromArray(FLOATS, a, aOffset + d).fma(FloatVector.fromArray(FLOATS, b, bOffset + d),
          acc);
    }
    if (d < length) {
      VectorMask<Float> tail = FLOATS.indexInRange(d, length);
      acc = FloatVector.fromArray(FLOATS, a, aOffset + d, tail)
          .fma(FloatVector.fromArray(FLOATS, b, bOffset + d, tail), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@code out[outOffset + d] = Σ_j p[j] · v[j · width + offset + d]} for {@code d < length}, one FMA chain
   * per d in j order.
   */
  static void weightedSum(float[] p, int rows, float[] v, int offset, int width, int length, float[] out,
      int outOffset) {
    int lanes = FLOATS.length();
    int d = 0;
    for (; d + lanes <= length; d += lanes) {
      FloatVector acc = FloatVector.zero(FLOATS);
      for (int j = 0; j < rows; j++) {
        acc = FloatVector.fromArray(FLOATS, v, j * width + offset + d)
            .fma(FloatVector.broadcast(FLOATS, p[j]), acc);
      }
      acc.intoArray(out, outOffset + d);
    }
    if (d < length) {
      VectorMask<Float> tail = FLOATS.indexInRange(d, length);
      FloatVector acc = FloatVector.zero(FLOATS);
      for (int j = 0; j < rows; j++) {
        acc = FloatVector.fromArray(FLOATS, v, j * width + offset + d, tail)
            .fma(FloatVector.broadcast(FLOATS, p[j]), acc);
      }
      acc.intoArray(out, outOffset + d, tail);
    }
  }
}
