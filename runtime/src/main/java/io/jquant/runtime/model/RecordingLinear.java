package io.jquant.runtime.model;

import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.kernel.LinearChecks;

/** A float layer that tells an {@link AmaxRecorder} the amax of each input before computing. */
final class RecordingLinear implements Linear {
  private final Linear kernel;
  private final AmaxRecorder recorder;

  RecordingLinear(Linear kernel, AmaxRecorder recorder) {
    this.kernel = kernel;
    this.recorder = recorder;
    recorder.register(kernel.name());
  }

  @Override
  public String name() {
    return kernel.name();
  }

  @Override
  public int inFeatures() {
    return kernel.inFeatures();
  }

  @Override
  public int outFeatures() {
    return kernel.outFeatures();
  }

  @Override
  public long weightBytes() {
    return kernel.weightBytes();
  }

  @Override
  public void forward(float[] x, float[] y, int rows, KernelThreads threads) {
    LinearChecks.requireForward(name(), x, y, rows, inFeatures(), outFeatures());
    recorder.record(name(), x, Math.multiplyExact(rows, inFeatures()), inFeatures());
    kernel.forward(x, y, rows, threads);
  }

  @Override
  public String toString() {
    return "RecordingLinear[" + kernel + "]";
  }
}
