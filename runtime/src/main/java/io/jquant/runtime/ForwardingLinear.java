package io.jquant.runtime;

import io.jquant.runtime.kernel.KernelThreads;
import java.util.Objects;

/**
 * A {@link Linear} that hands every call to another, for layers that change one thing about a kernel (what it
 * records, how its input is shaped) and override only that.
 */
public abstract class ForwardingLinear implements Linear {
  private final Linear delegate;

  /** A layer whose every call goes to {@code delegate} until overridden. */
  protected ForwardingLinear(Linear delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The layer this one forwards to. */
  protected final Linear delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int inFeatures() {
    return delegate.inFeatures();
  }

  @Override
  public int outFeatures() {
    return delegate.outFeatures();
  }

  @Override
  public long weightBytes() {
    return delegate.weightBytes();
  }

  @Override
  public void forward(float[] x, float[] y, int rows, KernelThreads threads) {
    delegate.forward(x, y, rows, threads);
  }
}
