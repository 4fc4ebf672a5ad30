package io.jquant.runtime.kernel;

import io.jquant.runtime.Linear;
import java.util.Objects;

/**
 * The base of the kernel {@link Linear}s: it owns the checks, the bias and the column split, and leaves two
 * hooks to each format. {@link #prepare} turns the input rows into what the format multiplies (quantized
 * activations, a repacked x, or x itself), once per call; {@link #computeColumns} writes the raw sums of a
 * column range. The hooks are package-private, so only the kernel package extends this class, and
 * {@link GateUpLinear} can run two layers' hooks in one task per column chunk.
 */
abstract class PackedLinear implements Linear {
  private final String name;
  private final int out;
  private final int in;
  private final float[] bias;
  private final InputActivations activations;

  /**
   * Checks the shape and bias and keeps a copy of the bias.
   *
   * @param bias {@code out} values, or null
   */
  PackedLinear(String name, int out, int in, float[] bias, InputActivations activations) {
    this.name = Objects.requireNonNull(name, "name");
    LinearChecks.requireShape(name, out, in);
    LinearChecks.requireBias(name, bias, out);
    this.out = out;
    this.in = in;
    this.bias = bias == null ? null : bias.clone();
    this.activations = Objects.requireNonNull(activations, "activations");
  }

  /**
   * What {@link #computeColumns} multiplies: by default the float values {@link InputActivations#prepare}
   * gives ({@code x} itself for weight-only layers). Called once per forward call, in the caller's thread.
   */
  Object prepare(float[] x, int rows) {
    return activations.prepare(name, x, rows, in);
  }

  /**
   * Writes the raw sums (no bias) {@code y[yOffset + r · yStride + (n - from)] = Σ_k x[r][k] · W[n][k]} for
   * {@code r < rows} and {@code n} in {@code [from, to)}; {@code prepared} is what {@link #prepare} returned.
   * Runs concurrently for disjoint column ranges, so it must write nothing else.
   */
  abstract void computeColumns(Object prepared, int rows, int from, int to, float[] y, int yOffset,
      int yStride);

  /** The column tile: chunk starts are multiples of it (e.g. the rows a packed weight interleaves). */
  int columnAlign() {
    return 16;
  }

  /** The input scheme. */
  final InputActivations activations() {
    return activations;
  }

  /**
   * Whether {@code other}'s {@link #computeColumns} takes this layer's {@link #prepare} result for the same
   * input: by default when both use the same input scheme.
   */
  boolean sharesPrepareWith(PackedLinear other) {
    return activations == other.activations;
  }

  /** The bias, or null; not a copy, do not modify. */
  final float[] bias() {
    return bias;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int inFeatures() {
    return in;
  }

  @Override
  public final int outFeatures() {
    return out;
  }

  @Override
  public final void forward(float[] x, float[] y, int rows, KernelThreads threads) {
    LinearChecks.requireForward(name, x, y, rows, in, out);
    if (rows == 0) {
      return;
    }
    Object prepared = prepare(x, rows);
    threads.forEachChunk(out, columnAlign(), (from, to) -> {
      computeColumns(prepared, rows, from, to, y, from, out);
      if (bias != null) {
        for (int r = 0; r < rows; r++) {
          for (int n = from; n < to; n++) {
            y[r * out + n] += bias[n];
          }
        }
      }
    });
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + " [" + out + ", " + in + "], " + activations + "]";
  }
}
