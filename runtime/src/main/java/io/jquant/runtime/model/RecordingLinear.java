package io.jquant.runtime.model;

import io.jquant.runtime.ForwardingLinear;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.kernel.LinearChecks;

/** A float layer that tells an {@link AmaxRecorder} the amax of each input before computing. */
final class RecordingLinear extends ForwardingLinear {
  private final AmaxRecorder recorder;

  RecordingLinear(Linear kernel, AmaxRecorder recorder) {
    super(kernel);
    this.recorder = recorder;
    recorder.register(kernel.name());
  }

  @Override
  public void forward(float[] x, float[] y, int rows, KernelThreads threads) {
    LinearChecks.requireForward(name(), x, y, rows, inFeatures(), outFeatures());
    recorder.record(name(), x, Math.multiplyExact(rows, inFeatures()), inFeatures());
    super.forward(x, y, rows, threads);
  }

  @Override
  public String toString() {
    return "RecordingLinear[" + delegate() + "]";
  }
}
