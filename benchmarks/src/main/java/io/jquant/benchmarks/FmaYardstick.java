package io.jquant.benchmarks;

import io.jquant.runtime.kernel.KernelThreads;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import jdk.incubator.vector.FloatVector;
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
 * The compute roof: float32 fused multiply-adds on the widest vectors, with {@value #CHAINS} independent
 * accumulators so the FMA units never wait for a result (two FMA ports with a 4-cycle latency need 8). One
 * operation runs {@value #STEPS} steps on each of {@code threads} threads ({@link KernelThreads}, as the
 * kernels split their work); {@link KernelRate} turns it into GFLOP/s, the yardstick of the GEMM benchmarks.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { Jvm.ADD_MODULES, Jvm.VECTOR, Jvm.HEAP, Jvm.UNSAFE })
@State(Scope.Thread)
public class FmaYardstick {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int CHAINS = 16;

  /** About 0.7 ms per thread at 190 GFLOP/s: long enough that waking the workers costs nothing. */
  static final int STEPS = 1 << 18;

  @Param({ "1", "2" })
  public int threads;

  private KernelThreads pool;
  private final DoubleAdder sink = new DoubleAdder();

  @Setup
  public void prepare() {
    pool = KernelThreads.create(threads);
    PerOp.publish(0, 2.0 * CHAINS * SPECIES.length() * STEPS * threads);
  }

  @TearDown
  public void close() {
    pool.close();
  }

  @Benchmark
  public double fma() {
    pool.forEachChunk(threads, 1, (from, to) -> {
      for (int t = from; t < to; t++) {
        sink.add(chains(t));
      }
    });
    return sink.sum();
  }

  /**
   * {@value #STEPS} steps of {@code a = a·m + c} on each chain; a converges to c/(1-m), never to a denormal.
   */
  private static float chains(int seed) {
    FloatVector m = FloatVector.broadcast(SPECIES, 0.999f);
    FloatVector c = FloatVector.broadcast(SPECIES, 1e-3f);
    FloatVector a0 = FloatVector.broadcast(SPECIES, seed + 0.01f);
    FloatVector a1 = FloatVector.broadcast(SPECIES, seed + 0.02f);
    FloatVector a2 = FloatVector.broadcast(SPECIES, seed + 0.03f);
    FloatVector a3 = FloatVector.broadcast(SPECIES, seed + 0.04f);
    FloatVector a4 = FloatVector.broadcast(SPECIES, seed + 0.05f);
    FloatVector a5 = FloatVector.broadcast(SPECIES, seed + 0.06f);
    FloatVector a6 = FloatVector.broadcast(SPECIES, seed + 0.07f);
    FloatVector a7 = FloatVector.broadcast(SPECIES, seed + 0.08f);
    FloatVector a8 = FloatVector.broadcast(SPECIES, seed + 0.09f);
    FloatVector a9 = FloatVector.broadcast(SPECIES, seed + 0.10f);
    FloatVector a10 = FloatVector.broadcast(SPECIES, seed + 0.11f);
    FloatVector a11 = FloatVector.broadcast(SPECIES, seed + 0.12f);
    FloatVector a12 = FloatVector.broadcast(SPECIES, seed + 0.13f);
    FloatVector a13 = FloatVector.broadcast(SPECIES, seed + 0.14f);
    FloatVector a14 = FloatVector.broadcast(SPECIES, seed + 0.15f);
    FloatVector a15 = FloatVector.broadcast(SPECIES, seed + 0.16f);
    for (int i = 0; i < STEPS; i++) {
      a0 = a0.fma(m, c);
      a1 = a1.fma(m, c);
      a2 = a2.fma(m, c);
      a3 = a3.fma(m, c);
      a4 = a4.fma(m, c);
      a5 = a5.fma(m, c);
      a6 = a6.fma(m, c);
      a7 = a7.fma(m, c);
      a8 = a8.fma(m, c);
      a9 = a9.fma(m, c);
      a10 = a10.fma(m, c);
      a11 = a11.fma(m, c);
      a12 = a12.fma(m, c);
      a13 = a13.fma(m, c);
      a14 = a14.fma(m, c);
      a15 = a15.fma(m, c);
    }
    FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
        .add(a8).add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15);
    return sum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }
}
