package io.jquant.runtime.model;

import io.jquant.runtime.ForwardingLinear;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.kernel.LinearChecks;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A kernel built over a weight whose rows were zero-padded from K to the format's block multiple, run on
 * inputs of the true K: each input row is copied into a zero-padded row first. The padding columns of W are
 * 0, so they add nothing (and x's padding is 0 too, so even a quantized input's blocks are those of a short
 * block). {@link #inFeatures()} is the true K.
 *
 * <p>The padded input buffer is kept between calls (no allocation per call for a steady row count); a caller
 * running the layer concurrently takes the kept buffer or makes its own, so calls never share one.
 */
final class PaddedLinear extends ForwardingLinear {
  private final int in;
  private final AtomicReference<float[]> spare = new AtomicReference<>();

  PaddedLinear(Linear kernel, int in) {
    super(kernel);
    if (in <= 0 || in >= kernel.inFeatures()) {
      throw new IllegalArgumentException("layer " + kernel.name() + ": padding K " + in + " to "
          + kernel.inFeatures() + " needs 0 < K < padded K");
    }
    this.in = in;
  }

  /** The kernel over the padded weight. */
  Linear kernel() {
    return delegate();
  }

  @Override
  public int inFeatures() {
    return in;
  }

  @Override
  public void forward(float[] x, float[] y, int rows, KernelThreads threads) {
    LinearChecks.requireForward(name(), x, y, rows, in, outFeatures());
    int padded = delegate().inFeatures();
    int length = Math.multiplyExact(rows, padded);
    float[] buffer = spare.getAndSet(null);
    if (buffer == null || buffer.length != length) {
      buffer = new float[length]; // zero: the padding columns stay 0 from here on
    }
    for (int r = 0; r < rows; r++) {
      System.arraycopy(x, r * in, buffer, r * padded, in);
    }
    delegate().forward(buffer, y, rows, threads);
    spare.set(buffer);
  }

  @Override
  public String toString() {
    return "PaddedLinear[" + delegate() + ", K " + in + "]";
  }
}
