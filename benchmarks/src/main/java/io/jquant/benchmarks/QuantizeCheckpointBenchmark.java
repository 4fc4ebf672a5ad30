package io.jquant.benchmarks;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.CheckpointQuantizer;
import io.jquant.runtime.checkpoint.CheckpointWriter;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
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
 * {@code jquant quantize}'s tensor loop end to end ({@link CheckpointQuantizer}: the mapped F32 input,
 * widening, the quantizer on {@code workers} threads, the ordered hand-over, {@link CheckpointWriter} and its
 * fsync) on a Llama-shaped F32 checkpoint of {@code floats} values (hidden 2048, intermediate 5632; per layer
 * the four attention and three MLP projections, all quantized, and an input norm, copied), written once per
 * trial to a temporary directory. One operation quantizes the whole checkpoint into a fresh directory,
 * deleted after it (outside the measured time).
 *
 * <p>Run with {@code -prof io.jquant.benchmarks.Float32Rate}: its {@code :float32} result is the GB/s of
 * float input (×1000 for MB/s; divide by {@code workers} for the rate per thread), comparable with
 * {@link QuantizeBenchmark}'s quantizer-alone figures. The input was just written, so it is in the OS cache:
 * warm-cache figures, as for a checkpoint read twice (each operation still maps its pages in again, as the
 * quantizer unloads them). Left out, as they cost the same whatever the model: the CLI's start-up and JIT
 * warm-up (measured apart: about 2 s of CPU), its plan and config files.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = { "--add-modules", "jdk.incubator.vector" })
@State(Scope.Benchmark)
public class QuantizeCheckpointBenchmark {
  private static final int HIDDEN = 2048;
  private static final int INTERMEDIATE = 5632;
  private static final long LAYER_FLOATS = 4L * HIDDEN * HIDDEN + 3L * INTERMEDIATE * HIDDEN + HIDDEN;
  private static final long MAX_SHARD_BYTES = 5_000_000_000L; // the CLI's default --max-shard-size

  /**
   * The checkpoint's float count, a whole number of layers ({@value #LAYER_FLOATS} floats, 205.5 MB each): 5
   * layers, 1.03 GB. Named {@code floats} so that {@link Float32Rate} converts the score to GB/s.
   */
  @Param({ "256911360" })
  public long floats;

  /** The presets measured, with the quantizer {@code jquant quantize --format} uses for them. */
  @Param({ "NVFP4", "FP8_CHANNEL" })
  public FormatPreset format;

  /** The pipeline's worker threads ({@code jquant quantize --threads}). */
  @Param({ "1", "2" })
  public int workers;

  private Path input;
  private Path output;
  private Checkpoint checkpoint;
  private Set<String> quantized;
  private WeightQuantizer quantizer;

  @Setup(Level.Trial)
  public void writeInput() throws IOException {
    if (floats % LAYER_FLOATS != 0) {
      throw new IllegalArgumentException("floats must be a multiple of " + LAYER_FLOATS + " (one layer), got "
          + floats);
    }
    input = Files.createTempDirectory("jquant-quantize-bench-in");
    quantized = new LinkedHashSet<>();
    SplittableRandom random = new SplittableRandom(1);
    try (CheckpointWriter writer = CheckpointWriter.open(input, MAX_SHARD_BYTES)) {
      for (int layer = 0; layer < floats / LAYER_FLOATS; layer++) {
        String prefix = "model.layers." + layer + ".";
        writer.add(f32(prefix + "input_layernorm.weight", List.of((long) HIDDEN), random));
        for (String name : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
          addWeight(writer, prefix + "self_attn." + name + ".weight", HIDDEN, HIDDEN, random);
        }
        addWeight(writer, prefix + "mlp.gate_proj.weight", INTERMEDIATE, HIDDEN, random);
        addWeight(writer, prefix + "mlp.up_proj.weight", INTERMEDIATE, HIDDEN, random);
        addWeight(writer, prefix + "mlp.down_proj.weight", HIDDEN, INTERMEDIATE, random);
      }
    }
    checkpoint = Checkpoint.open(input);
    quantizer = format.weightQuantizer(MxScaleMode.RCEIL);
  }

  private void addWeight(CheckpointWriter writer, String name, long rows, long cols, SplittableRandom random)
      throws IOException {
    writer.add(f32(name, List.of(rows, cols), random));
    quantized.add(name);
  }

  /** Gaussian-like values of a weight's usual scale (±0.02), with the odd outlier a block scale must fit. */
  private static TensorView f32(String name, List<Long> shape, SplittableRandom random) {
    long count = shape.stream().reduce(1L, Math::multiplyExact);
    float[] values = new float[Math.toIntExact(count)];
    for (int i = 0; i < values.length; i++) {
      double sum = random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
      values[i] = (float) (sum * 0.04 * (random.nextInt(1000) == 0 ? 8 : 1));
    }
    MemorySegment bytes = MemorySegment.ofArray(new byte[values.length * Float.BYTES]);
    MemorySegment.copy(values, 0, bytes, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
        0, values.length);
    return new TensorView(name, StorageDType.F32, shape, bytes);
  }

  @Setup(Level.Invocation)
  public void newOutput() throws IOException {
    output = Files.createTempDirectory("jquant-quantize-bench-out");
  }

  /** Every tensor of the checkpoint, quantized or copied, into a new checkpoint on disk. */
  @Benchmark
  public Path quantizeCheckpoint() throws IOException {
    try (CheckpointWriter writer = CheckpointWriter.open(output, MAX_SHARD_BYTES)) {
      CheckpointQuantizer.run(checkpoint, quantized, quantizer, writer, workers, (tensor, done) -> {});
    }
    return output;
  }

  @TearDown(Level.Invocation)
  public void deleteOutput() throws IOException {
    delete(output);
  }

  @TearDown(Level.Trial)
  public void deleteInput() throws IOException {
    checkpoint.close();
    delete(input);
  }

  private static void delete(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
