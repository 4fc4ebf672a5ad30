package io.jquant.runtime.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads a kernel splits its output columns over, sized by the caller. A forward call cuts the columns
 * into {@link #count()} contiguous chunks (static chunking: each thread streams its own rows of the weight,
 * which is what scales on a memory-bound GEMV), runs the first in the calling thread and the others on the
 * pool's workers (or in the caller, if it gets to them first), and returns when all are done. Results do not
 * depend on the thread count: every output column is computed by one thread, in the same order.
 *
 * <p>The hand-off is built for calls of tens of microseconds (a small model's projections): each worker owns
 * a task slot that the caller fills and publishes with a volatile flag, no queue, no allocation per call. A
 * chunk that no worker has taken by the time the caller finished its own, the caller runs itself, so a parked
 * or descheduled worker costs no wake-up wait. An idle worker stays awake for {@value #SPIN_MICROS} µs (a
 * model's next projection usually comes sooner), spinning and then yielding, and then parks; the caller, done
 * with its chunks, waits the same way for a completion counter. The wait is bounded and yields because on a
 * busy machine a spinning thread takes the core another one needs.
 *
 * <p>One instance may serve many layers, but runs one forward call at a time: a call made while another is
 * running (from another thread, or from inside a chunk) throws {@link IllegalStateException} instead of
 * corrupting the workers' slots. Close it to stop the workers; a closed pool refuses calls. {@link #single()}
 * runs everything in the caller, has no such limit and needs no closing.
 */
public final class KernelThreads implements AutoCloseable {
  private static final KernelThreads SINGLE = new KernelThreads(1);

  /** How long a waiting thread stays awake before it parks. */
  static final long SPIN_MICROS = 50;
  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(SPIN_MICROS);
  /** How long of that it spins without yielding: a hand-off that comes at once costs no system call. */
  private static final long PAUSE_NANOS = 2_000;

  private static final int IDLE = 0;
  private static final int BUSY = 1;
  private static final int CLOSED = 2;

  private final int count;
  private final Worker[] workers;
  /** IDLE, BUSY (a call owns the worker slots) or CLOSED; CAS-guarded so two calls never share the slots. */
  private final AtomicInteger state = new AtomicInteger(IDLE);
  /** Workers still running a chunk of the current call; the one that brings it to 0 wakes a parked caller. */
  private final AtomicInteger pending = new AtomicInteger();
  /** The current call's thread, for the last worker to unpark; written before the slots are published. */
  private Thread caller;
  /** Set while the caller is parked (after its spin), read by the last worker: see {@link #awaitWorkers}. */
  private volatile boolean callerParked;
  /** Tells the workers to exit once they have no task; set only when no call is running. */
  private volatile boolean stopping;

  private KernelThreads(int count) {
    this.count = count;
    this.workers = new Worker[count];
  }

  /** Everything in the calling thread. */
  public static KernelThreads single() {
    return SINGLE;
  }

  /**
   * A pool of {@code threads} threads: the caller and {@code threads - 1} daemon workers.
   *
   * @throws IllegalArgumentException unless threads is at least 1
   */
  public static KernelThreads create(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("a kernel needs at least 1 thread, got " + threads);
    }
    return threads == 1 ? SINGLE : create(threads, true);
  }

  /** A pool whose workers start only if {@code start}: tests use it to have the caller run every chunk. */
  static KernelThreads create(int threads, boolean start) {
    KernelThreads pool = new KernelThreads(threads);
    for (int w = 1; w < threads; w++) {
      Worker worker = new Worker(pool);
      worker.thread = new Thread(worker, "jquant-kernel-" + w);
      worker.thread.setDaemon(true);
      pool.workers[w] = worker;
    }
    for (int w = 1; w < threads && start; w++) {
      pool.workers[w].thread.start();
    }
    return pool;
  }

  /** The number of threads a forward call uses, the caller's included. */
  public int count() {
    return count;
  }

  /** Computes the columns {@code [from, to)}. */
  @FunctionalInterface
  public interface ColumnChunk {
    void compute(int from, int to);
  }

  /**
   * Splits {@code [0, columns)} into at most {@link #count()} contiguous chunks whose starts are multiples of
   * {@code align} (the kernel's column tile), runs {@code chunk} on each and waits for all. After every chunk
   * has finished, the failure of the first failing chunk (in column order) is rethrown in the caller. An
   * interrupt of the caller does not cut the wait short (the workers are still writing the caller's arrays);
   * it stays set when the call returns.
   *
   * @throws IllegalStateException if the pool is closed, or already running a call
   */
  public void forEachChunk(int columns, int align, ColumnChunk chunk) {
    if (columns < 0 || align < 1) {
      throw new IllegalArgumentException("cannot split " + columns + " columns in tiles of " + align);
    }
    int tiles = (columns + align - 1) / align;
    int chunks = Math.min(count, tiles);
    if (chunks <= 1) {
      if (state.get() == CLOSED) {
        throw closed();
      }
      if (columns > 0) {
        chunk.compute(0, columns);
      }
      return;
    }
    if (!state.compareAndSet(IDLE, BUSY)) {
      throw state.get() == CLOSED ? closed()
          : new IllegalStateException(this
              + " is already running a forward call; use one pool per calling thread, and none inside a"
              + " chunk");
    }
    try {
      caller = Thread.currentThread();
      // Set before any worker can finish, so no decrement sees a count of this call's predecessor.
      pending.set(chunks - 1);
      for (int c = 1; c < chunks; c++) {
        workers[c].publish(chunk, boundary(c, chunks, tiles, align, columns),
            boundary(c + 1, chunks, tiles, align, columns));
      }
      Throwable failure = null;
      try {
        chunk.compute(0, boundary(1, chunks, tiles, align, columns));
      } catch (Throwable t) {
        // Errors too: leaving now would let the next call overwrite slots the workers are still reading.
        failure = t;
      }
      // A chunk no worker has taken yet (its worker is parked or has no core) is cheaper to run here than to
      // wait for; the chunk boundaries stay the same, so the results do too.
      for (int c = 1; c < chunks; c++) {
        workers[c].runIfOpen();
      }
      awaitWorkers();
      for (int c = 1; c < chunks; c++) {
        Throwable t = workers[c].takeFailure();
        if (failure == null) {
          failure = t;
        }
      }
      rethrow(failure);
    } finally {
      // A close() during the call left CLOSED in place of BUSY and the stopping of the workers to us.
      if (!state.compareAndSet(BUSY, IDLE)) {
        stopWorkers();
      }
    }
  }

  /**
   * Waits until {@link #pending} is 0: spins, then parks. Lost wake-ups are excluded by the volatile order:
   * the caller writes {@code callerParked} then reads {@code pending}; the last worker decrements
   * {@code pending} then reads {@code callerParked}. Volatile accesses are sequentially consistent, so at
   * least one of them sees the other's write: the caller does not park, or the worker unparks it (an unpark
   * before the park leaves a permit, so the park returns at once).
   */
  private void awaitWorkers() {
    long start = System.nanoTime();
    while (pending.get() != 0) {
      if (!spin(start)) {
        parkUntilDone();
        return;
      }
    }
  }

  private void parkUntilDone() {
    boolean interrupted = false;
    callerParked = true;
    while (pending.get() != 0) {
      LockSupport.park(this);
      // An interrupt makes park return at once; clear it to keep parking, restore it when done.
      interrupted |= Thread.interrupted();
    }
    callerParked = false;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One step of a bounded wait begun at {@code start}; false once the thread should park. After a short pure
   * spin it yields: when the caller and a worker share one core (a busy machine), a thread that only spun
   * would hold that core for its whole budget while the thread it waits for cannot run (measured: an empty
   * call then took 4 budgets, 200 µs); a yield hands the core over and costs little when nothing else runs.
   */
  private static boolean spin(long start) {
    long waited = System.nanoTime() - start;
    if (waited < PAUSE_NANOS) {
      Thread.onSpinWait();
      return true;
    }
    if (waited < SPIN_NANOS) {
      Thread.yield();
      return true;
    }
    return false;
  }

  private static void rethrow(Throwable failure) {
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException("a kernel chunk failed", failure);
    }
  }

  private IllegalStateException closed() {
    return new IllegalStateException(this + " is closed");
  }

  private static int boundary(int chunk, int chunks, int tiles, int align, int columns) {
    long tile = (long) tiles * chunk / chunks;
    return (int) Math.min(columns, tile * align);
  }

  /**
   * Stops the workers; a closed pool refuses further calls. Closing during a call lets that call finish (the
   * call stops the workers when it ends). Closing twice does nothing.
   */
  @Override
  public void close() {
    if (this == SINGLE || state.getAndSet(CLOSED) == BUSY) {
      return;
    }
    stopWorkers();
  }

  private void stopWorkers() {
    // The workers read stopping after they write parked, so an unpark here reaches every parked worker;
    // a worker that is spinning sees the flag on its next check.
    stopping = true;
    for (int w = 1; w < count; w++) {
      LockSupport.unpark(workers[w].thread);
    }
  }

  /** The worker threads, for tests that check that close() ends them. */
  List<Thread> workerThreads() {
    return Arrays.stream(workers, 1, count).map(w -> w.thread).toList();
  }

  @Override
  public String toString() {
    return "KernelThreads[" + count + "]";
  }

  /**
   * One worker and its task slot. The caller writes the plain fields {@code chunk}, {@code from}, {@code to}
   * and then the volatile {@code open}; whoever takes the task (the worker, or the caller when it gets there
   * first) does so by a CAS of {@code open} from true to false, whose volatile read gives it the slot and the
   * caller's input arrays (happens-before). The taker writes {@code failure} and its output before
   * decrementing {@code pending}, which the caller reads before using either. The caller refills a slot only
   * after {@code pending} reached 0, so nobody reads a slot while it is rewritten.
   */
  private static final class Worker implements Runnable {
    private final KernelThreads pool;
    private Thread thread;
    /** A task waits in the slot; set by the caller, cleared by the CAS of the one thread that runs it. */
    private final AtomicBoolean open = new AtomicBoolean();
    /** Set while parked; the caller reads it after publishing, the Dekker pairing of awaitWorkers. */
    private volatile boolean parked;
    private ColumnChunk chunk;
    private int from;
    private int to;
    private Throwable failure;

    Worker(KernelThreads pool) {
      this.pool = pool;
    }

    /** Called by the caller only: fills the slot, then publishes it. */
    void publish(ColumnChunk task, int taskFrom, int taskTo) {
      chunk = task;
      from = taskFrom;
      to = taskTo;
      open.set(true);
      if (parked) {
        LockSupport.unpark(thread);
      }
    }

    /** Runs the slot's task in the current thread unless another thread took it: at most once per publish. */
    boolean runIfOpen() {
      if (!open.compareAndSet(true, false)) {
        return false;
      }
      try {
        chunk.compute(from, to);
      } catch (Throwable t) {
        // Kept for the caller; the worker lives on for the next call.
        failure = t;
      }
      chunk = null;
      Thread waiting = pool.caller;
      if (pool.pending.decrementAndGet() == 0 && pool.callerParked) {
        // At worst a spurious unpark, if the caller already saw 0 and moved on: parks tolerate those.
        LockSupport.unpark(waiting);
      }
      return true;
    }

    Throwable takeFailure() {
      Throwable t = failure;
      failure = null;
      return t;
    }

    @Override
    public void run() {
      while (awaitTask()) {
        if (runIfOpen()) {
          // A chunk's interrupt must not turn the next park into a busy loop.
          Thread.interrupted();
        }
      }
    }

    /** Waits until a task is open: true then, false when stopping. */
    private boolean awaitTask() {
      long start = System.nanoTime();
      while (!open.get()) {
        if (pool.stopping) {
          return false;
        }
        if (!spin(start)) {
          return parkForTask();
        }
      }
      return true;
    }

    private boolean parkForTask() {
      parked = true;
      while (!open.get() && !pool.stopping) {
        LockSupport.park(this);
        Thread.interrupted();
      }
      parked = false;
      return open.get();
    }
  }
}
