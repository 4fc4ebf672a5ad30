package io.jquant.runtime.model;

import io.jquant.runtime.numerics.AbsMax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records each quantized projection's input amax while a model runs over calibration inputs: the calibrating
 * mode of {@link ModelWeights#recordInputs(AmaxRecorder)}. Every projection it builds on a quantized layer
 * registers its module here and, on each forward call, raises the module's amax to {@code max |x|} of the
 * call's input (modelopt's max calibrator). Safe to record from several threads.
 */
public final class AmaxRecorder {
  private final Map<String, Float> amax = new LinkedHashMap<>();

  /** An empty recorder. */
  public AmaxRecorder() {}

  /** Registers {@code module}: it must see at least one input before {@link #calibration()}. */
  synchronized void register(String module) {
    amax.putIfAbsent(module, Float.NaN);
  }

  /**
   * Raises {@code module}'s amax to {@code max |x[0, length)|}.
   *
   * @throws IllegalArgumentException naming the module and the element when the input holds NaN or Inf: such
   * an input has no amax a static scale could cover
   */
  void record(String module, float[] x, int length, int cols) {
    float callAmax = AbsMax.of(x, 0, length);
    if (!Float.isFinite(callAmax)) {
      for (int i = 0; i < length; i++) {
        if (!Float.isFinite(x[i])) {
          throw new IllegalArgumentException("calibrating " + module + ": input [" + i / cols + ", "
              + i % cols + "] is " + x[i] + "; calibration inputs must be finite");
        }
      }
    }
    synchronized (this) {
      Float known = amax.get(module);
      if (known == null) {
        throw new IllegalStateException("module " + module + " was not registered");
      }
      amax.put(module, known.isNaN() ? callAmax : Math.max(known, callAmax));
    }
  }

  /** The modules registered so far, in registration order. */
  public synchronized List<String> modules() {
    return new ArrayList<>(amax.keySet());
  }

  /**
   * The amax recorded so far for every registered module.
   *
   * @throws IllegalStateException naming every module that saw no input yet
   */
  public synchronized Calibration calibration() {
    List<String> unseen = amax.entrySet().stream().filter(e -> e.getValue().isNaN()).map(Map.Entry::getKey)
        .toList();
    if (!unseen.isEmpty()) {
      throw new IllegalStateException("calibration: " + unseen.size() + " module(s) saw no input: " + unseen
          + "; run the model over the calibration inputs through every quantized projection first");
    }
    return new Calibration(amax);
  }
}
