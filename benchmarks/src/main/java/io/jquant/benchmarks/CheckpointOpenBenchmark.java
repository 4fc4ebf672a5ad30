package io.jquant.benchmarks;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.CheckpointWriter;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Opening a checkpoint of {@code megabytes} MiB (BF16 tensors of 16 MiB in shards of at most 512 MiB, with
 * {@code model.safetensors.index.json}, written once per trial to a temporary directory) and reaching the
 * first tensor's first byte, against reading every byte of every tensor. Opening maps the files and parses
 * only the headers, so it should take milliseconds whatever the size; reading all bytes is bound by memory
 * (or disk).
 *
 * <p>The files were just written, so their pages are in the OS cache: these are warm-cache figures. A cold
 * open costs one page fault per header page more, and the first byte of the first tensor one more.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-modules", "jdk.incubator.vector" })
@State(Scope.Benchmark)
public class CheckpointOpenBenchmark {
  private static final long TENSOR_BYTES = 16L << 20;
  private static final long SHARD_BYTES = 512L << 20;

  /** The checkpoint's tensor bytes in MiB; ~1 GB by default. */
  @Param({ "1024" })
  public int megabytes;

  private Path directory;
  private String first;

  @Setup(Level.Trial)
  public void write() throws IOException {
    directory = Files.createTempDirectory("jquant-checkpoint-bench");
    byte[] bytes = new byte[(int) TENSOR_BYTES];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    long columns = TENSOR_BYTES / 2 / 4096;
    try (CheckpointWriter writer = CheckpointWriter.open(directory, SHARD_BYTES)) {
      for (int i = 0; i < megabytes / (TENSOR_BYTES >> 20); i++) {
        bytes[0] = (byte) i; // each tensor differs
        writer.add(new TensorView("model.layers." + i + ".weight", StorageDType.BF16, List.of(4096L, columns),
            MemorySegment.ofArray(bytes)));
      }
    }
    try (Checkpoint checkpoint = Checkpoint.open(directory)) {
      first = checkpoint.tensorNames().getFirst();
    }
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** Open (map every shard, parse and validate every header), read one byte, close. */
  @Benchmark
  public byte openAndFirstByte() throws IOException {
    try (Checkpoint checkpoint = Checkpoint.open(directory)) {
      return checkpoint.tensor(first).data().get(ValueLayout.JAVA_BYTE, 0);
    }
  }

  /** Open, then read every byte of every tensor (8 at a time), close: what loading into memory would cost. */
  @Benchmark
  public long openAndReadAll() throws IOException {
    long sum = 0;
    try (Checkpoint checkpoint = Checkpoint.open(directory)) {
      for (String name : checkpoint.tensorNames()) {
        MemorySegment data = checkpoint.tensor(name).data();
        long longs = data.byteSize() / 8;
        for (long i = 0; i < longs; i++) {
          sum += data.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
      }
    }
    return sum;
  }
}
