package io.jquant.runtime.checkpoint;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs a per-tensor job on {@code threads} workers and hands the results to one sink in input order, keeping
 * at most {@code 2 · threads} results in flight: the model streams through, tensors are converted in
 * parallel, and the output is written in a fixed order whatever the thread count. With one thread the work
 * runs on the calling thread.
 */
public final class TensorPipeline {
  /** Receives results in input order, on the calling thread. */
  @FunctionalInterface
  public interface Sink<T> {
    void accept(T result) throws IOException;
  }

  private TensorPipeline() {}

  /**
   * Applies {@code work} to every item and passes the results to {@code sink} in order. The first failure (of
   * a job or of the sink) cancels the rest and is rethrown as it was: an unchecked exception as it is, an
   * {@link IOException} as it is.
   */
  public static <I, T> void run(List<I> items, int threads, Function<I, T> work, Sink<T> sink)
      throws IOException {
    if (threads <= 1) {
      for (I item : items) {
        sink.accept(work.apply(item));
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "jquant-worker");
      thread.setDaemon(true);
      return thread;
    });
    Deque<Future<T>> inFlight = new ArrayDeque<>();
    try {
      int next = 0;
      while (next < items.size() || !inFlight.isEmpty()) {
        // 2L: with --threads 2147483647, 2 * threads overflowed to a negative window and nothing ran.
        while (next < items.size() && inFlight.size() < 2L * threads) {
          I item = items.get(next++);
          inFlight.add(pool.submit(() -> work.apply(item)));
        }
        sink.accept(await(inFlight.removeFirst()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T await(Future<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }
}
