package io.jquant.annotations.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

/**
 * The bytes a piece of work allocates on the calling thread: how the tests check that an absurd layer count
 * is refused without building anything of its size, with no clock (a time limit would fail on a busy
 * machine).
 */
final class Allocations {
  /** Far above what checking a declaration allocates, far below a set or bit set of a billion layers. */
  static final long SMALL = 64L << 20;

  private Allocations() {}

  /** Runs {@code work} and asserts it allocated at most {@link #SMALL} bytes on this thread. */
  static void assertSmall(Runnable work, String what) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemoryEnabled(), "this JVM counts allocated bytes per thread");
    long before = threads.getCurrentThreadAllocatedBytes();
    work.run();
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated <= SMALL, what + " allocated " + allocated + " bytes");
  }
}
