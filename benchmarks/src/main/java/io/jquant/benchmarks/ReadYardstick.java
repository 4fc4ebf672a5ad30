package io.jquant.benchmarks;

import io.jquant.runtime.kernel.KernelThreads;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bandwidth roof: one operation sums every byte of a buffer of {@code bytes} bytes (as 32-bit integers on
 * the widest vectors, four independent sums, so only the loads count), the buffer's byte ranges split over
 * {@code threads} threads as a kernel splits its weight rows. {@code regime} hot reads one buffer again and
 * again; cold cycles through distinct buffers totalling more than 1 GiB ({@link Regime}). The runner sets
 * {@code bytes} to the {@code weightBytes()} of the kernels it measured, so each kernel's GB/s is compared
 * with a read of the same size from the same place.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { Jvm.ADD_MODULES, Jvm.VECTOR, Jvm.HEAP, Jvm.UNSAFE })
@State(Scope.Thread)
public class ReadYardstick {
  private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
  private static final int STEP = SPECIES.vectorByteSize();

  /** 4096x4096 NVFP4 (packed elements and E4M3 scales) and float32, as examples; the runner sets its own. */
  @Param({ "9437184", "67108864" })
  public long bytes;

  @Param({ "hot", "cold" })
  public String regime;

  @Param({ "1", "2" })
  public int threads;

  private Arena arena;
  private MemorySegment[] buffers;
  private KernelThreads pool;
  private int next;
  private final LongAdder sink = new LongAdder();

  @Setup
  public void prepare() {
    arena = Arena.ofShared();
    buffers = new MemorySegment[Regime.parse(regime).buffers(bytes)];
    for (int b = 0; b < buffers.length; b++) {
      // Written, not just allocated: every page is backed by its own memory before the first read.
      buffers[b] = arena.allocate(bytes, 64).fill((byte) (b + 1));
    }
    pool = KernelThreads.create(threads);
    PerOp.publish(bytes, 0);
  }

  @TearDown
  public void close() {
    pool.close();
    arena.close();
  }

  @Benchmark
  public long read() {
    MemorySegment buffer = buffers[next];
    next = next + 1 == buffers.length ? 0 : next + 1;
    long steps = buffer.byteSize() / STEP;
    pool.forEachChunk((int) steps, 1, (from, to) -> {
      long sum = sum(buffer, (long) from * STEP, (long) to * STEP);
      if (to == steps) {
        for (long i = steps * STEP; i < buffer.byteSize(); i++) {
          sum += buffer.get(ValueLayout.JAVA_BYTE, i);
        }
      }
      sink.add(sum);
    });
    return sink.sum();
  }

  private static long sum(MemorySegment buffer, long from, long to) {
    IntVector s0 = IntVector.zero(SPECIES);
    IntVector s1 = s0;
    IntVector s2 = s0;
    IntVector s3 = s0;
    ByteOrder order = ByteOrder.nativeOrder();
    long i = from;
    for (; i + 4L * STEP <= to; i += 4L * STEP) {
      s0 = s0.add(IntVector.fromMemorySegment(SPECIES, buffer, i, order));
      s1 = s1.add(IntVector.fromMemorySegment(SPECIES, buffer, i + STEP, order));
      s2 = s2.add(IntVector.fromMemorySegment(SPECIES, buffer, i + 2L * STEP, order));
      s3 = s3.add(IntVector.fromMemorySegment(SPECIES, buffer, i + 3L * STEP, order));
    }
    for (; i < to; i += STEP) {
      s0 = s0.add(IntVector.fromMemorySegment(SPECIES, buffer, i, order));
    }
    return s0.add(s1).add(s2).add(s3).reduceLanesToLong(VectorOperators.ADD);
  }
}
