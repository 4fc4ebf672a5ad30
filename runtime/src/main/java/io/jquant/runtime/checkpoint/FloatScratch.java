package io.jquant.runtime.checkpoint;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Float arrays reused by one worker thread for the tensors it widens. A model repeats a few weight shapes, so
 * keeping the last few sizes turns gigabytes of fresh allocation (each page zeroed and faulted in, then
 * garbage) into a few arrays that stay hot.
 */
final class FloatScratch {
  /** Distinct sizes kept per thread: a decoder layer has at most about four weight shapes. */
  private static final int KEPT = 4;

  private static final ThreadLocal<Deque<float[]>> ARRAYS = ThreadLocal.withInitial(ArrayDeque::new);

  private FloatScratch() {}

  /**
   * An array of exactly {@code length} floats with arbitrary contents, owned by the calling thread until its
   * next call: the caller must be done with it before it asks again.
   */
  static float[] of(int length) {
    Deque<float[]> arrays = ARRAYS.get();
    for (float[] array : arrays) {
      if (array.length == length) {
        arrays.remove(array);
        arrays.addFirst(array);
        return array;
      }
    }
    float[] array = new float[length];
    arrays.addFirst(array);
    if (arrays.size() > KEPT) {
      arrays.removeLast();
    }
    return array;
  }
}
