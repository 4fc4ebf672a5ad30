package io.jquant.runtime.checkpoint;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Float arrays reused, per thread, for the tensors one run widens. A model repeats a few weight shapes, so
 * keeping the last few sizes turns gigabytes of fresh allocation (each page zeroed and faulted in, then
 * garbage) into a few arrays that stay hot. Per run, not static, so that nothing stays reachable from a
 * long-lived thread afterwards: {@link #close()} frees the caller's arrays; pool threads end with the run.
 */
final class FloatScratch implements AutoCloseable {
  /** Distinct sizes kept per thread: a decoder layer has at most about four weight shapes. */
  private static final int KEPT = 4;

  private final ThreadLocal<Deque<float[]>> arrays = ThreadLocal.withInitial(ArrayDeque::new);

  /**
   * An array of exactly {@code length} floats with arbitrary contents, owned by the calling thread until its
   * next call: the caller must be done with it before it asks again.
   */
  float[] of(int length) {
    Deque<float[]> kept = arrays.get();
    for (float[] array : kept) {
      if (array.length == length) {
        kept.remove(array);
        kept.addFirst(array);
        return array;
      }
    }
    float[] array = new float[length];
    kept.addFirst(array);
    if (kept.size() > KEPT) {
      kept.removeLast();
    }
    return array;
  }

  /** Drops the calling thread's arrays. */
  @Override
  public void close() {
    arrays.remove();
  }
}
