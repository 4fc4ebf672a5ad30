package io.jquant.runtime.kernel;

import io.jquant.runtime.Linear;
import java.util.Objects;

/**
 * A SwiGLU MLP's gate and up projections run as one layer: {@code out = silu(gate(x)) · up(x)}, with
 * {@code silu(g) = g / (1 + exp(-g))} in float32. For two kernel layers of one format, each thread computes
 * both projections for a slice of columns into a small scratch and combines them there, so the full gate and
 * up outputs never go to memory, and the input is prepared once when both layers quantize it the same way.
 * Other {@link Linear}s run their own forward on a few rows at a time.
 */
public final class GateUpLinear implements Linear {
  /** Columns per fused step: gate and up scratch of {@code rows · SLICE} floats each stay in the L2. */
  private static final int SLICE = 256;
  /** Rows per step of the unfused path, bounding its scratch to {@code BLOCK_ROWS · N} floats. */
  private static final int BLOCK_ROWS = 8;

  private final Linear gate;
  private final Linear up;
  private final PackedLinear packedGate;
  private final PackedLinear packedUp;

  private GateUpLinear(Linear gate, Linear up, PackedLinear packedGate, PackedLinear packedUp) {
    this.gate = gate;
    this.up = up;
    this.packedGate = packedGate;
    this.packedUp = packedUp;
  }

  /**
   * The fused pair.
   *
   * @throws IllegalArgumentException naming both layers unless they are of the same class and shape
   */
  public static GateUpLinear create(Linear gate, Linear up) {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(up, "up");
    if (gate.getClass() != up.getClass() || gate.inFeatures() != up.inFeatures()
        || gate.outFeatures() != up.outFeatures()) {
      throw new IllegalArgumentException("layers " + gate.name() + " and " + up.name()
          + " cannot be fused: gate is " + describe(gate) + ", up is " + describe(up));
    }
    return new GateUpLinear(gate, up, packed(gate), packed(up));
  }

  private static String describe(Linear linear) {
    return linear.getClass().getSimpleName() + " [" + linear.outFeatures() + ", " + linear.inFeatures() + "]";
  }

  private static PackedLinear packed(Linear linear) {
    if (linear instanceof PackedLinear packed) {
      return packed;
    }
    return linear instanceof Fp32Linear fp32 ? fp32.kernel() : null;
  }

  /** The gate projection. */
  public Linear gate() {
    return gate;
  }

  /** The up projection. */
  public Linear up() {
    return up;
  }

  @Override
  public String name() {
    return gate.name() + "+" + up.name();
  }

  @Override
  public int inFeatures() {
    return gate.inFeatures();
  }

  @Override
  public int outFeatures() {
    return gate.outFeatures();
  }

  @Override
  public long weightBytes() {
    return gate.weightBytes() + up.weightBytes();
  }

  /**
   * Writes {@code silu(gate(x)) · up(x)}, {@code rows · outFeatures()} values.
   *
   * @throws IllegalArgumentException naming the layers when x or y is too short
   */
  @Override
  public void forward(float[] x, float[] y, int rows, KernelThreads threads) {
    int in = inFeatures();
    int out = outFeatures();
    LinearChecks.requireForward(name(), x, y, rows, in, out);
    if (rows == 0) {
      return;
    }
    if (packedGate != null && packedUp != null) {
      fused(x, y, rows, threads);
    } else {
      unfused(x, y, rows, threads);
    }
  }

  private void fused(float[] x, float[] y, int rows, KernelThreads threads) {
    int out = outFeatures();
    Object preparedGate = packedGate.prepare(x, rows);
    Object preparedUp = packedGate.sharesPrepareWith(packedUp) ? preparedGate
        : packedUp.prepare(x, rows);
    int align = Math.max(packedGate.columnAlign(), packedUp.columnAlign());
    int slice = (SLICE + align - 1) / align * align;
    float[] gateBias = packedGate.bias();
    float[] upBias = packedUp.bias();
    threads.forEachChunk(out, align, (from, to) -> {
      int width = Math.min(slice, to - from);
      float[] g = new float[rows * width];
      float[] u = new float[rows * width];
      for (int n0 = from; n0 < to; n0 += slice) {
        int n1 = Math.min(to, n0 + slice);
        int w = n1 - n0;
        packedGate.computeColumns(preparedGate, rows, n0, n1, g, 0, w);
        packedUp.computeColumns(preparedUp, rows, n0, n1, u, 0, w);
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < w; j++) {
            float gj = g[r * w + j];
            float uj = u[r * w + j];
            if (gateBias != null) {
              gj += gateBias[n0 + j];
            }
            if (upBias != null) {
              uj += upBias[n0 + j];
            }
            y[r * out + n0 + j] = silu(gj) * uj;
          }
        }
      }
    });
  }

  private void unfused(float[] x, float[] y, int rows, KernelThreads threads) {
    int in = inFeatures();
    int out = outFeatures();
    int block = Math.min(rows, BLOCK_ROWS);
    float[] xs = new float[block * in];
    float[] g = new float[block * out];
    float[] u = new float[block * out];
    for (int r0 = 0; r0 < rows; r0 += block) {
      int count = Math.min(block, rows - r0);
      System.arraycopy(x, r0 * in, xs, 0, count * in);
      gate.forward(xs, g, count, threads);
      up.forward(xs, u, count, threads);
      for (int i = 0; i < count * out; i++) {
        y[r0 * out + i] = silu(g[i]) * u[i];
      }
    }
  }

  /** {@code g / (1 + exp(-g))} in float32. */
  static float silu(float g) {
    return g / (1f + (float) Math.exp(-g));
  }

  @Override
  public String toString() {
    return "GateUpLinear[" + name() + ", " + describe(gate) + "]";
  }
}
