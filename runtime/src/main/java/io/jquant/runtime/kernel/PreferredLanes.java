package io.jquant.runtime.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

/**
 * The preferred species' lane counts, for {@link KernelPlan.Cpu#current()}: read here rather than from the
 * kernels' lane classes, so asking for the plan initializes none of their tables. Load only when the Vector
 * API module is present.
 */
final class PreferredLanes {
  /** Float lanes: 16 with AVX-512, 8 with AVX2 ({@link GemmLanes#LENGTH}, {@link KernelLanes#LENGTH}). */
  static final int FLOATS = FloatVector.SPECIES_PREFERRED.length();
  /** Short lanes: 32 with AVX-512, 16 with AVX2 ({@link I8DotLanes#LENGTH}). */
  static final int SHORTS = ShortVector.SPECIES_PREFERRED.length();
  /** Int lanes: 16 with AVX-512, 8 with AVX2 ({@link Fp4Lanes#L}). */
  static final int INTS = IntVector.SPECIES_PREFERRED.length();

  private PreferredLanes() {}
}
