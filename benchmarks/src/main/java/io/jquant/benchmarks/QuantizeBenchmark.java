package io.jquant.benchmarks;

import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.WeightQuantizer;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Offline weight quantization and its reference dequantization, per format: one operation quantizes (or
 * dequantizes) a whole weight matrix {@code [N, K]}. Each thread works on its own matrix. Both directions
 * allocate their result, as the API does, so the garbage collector's share is part of the score.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "--add-modules", "jdk.incubator.vector" })
@State(Scope.Thread)
public class QuantizeBenchmark {

  @Param({ Sizes.CACHE_MATRIX, Sizes.MEMORY_MATRIX })
  public String shape;

  /**
   * Every preset, with the quantizer its checkpoints are written with (MX: RCEIL scales), unless
   * {@code -p format=...} picks some.
   */
  @Param
  public FormatPreset format;

  private WeightQuantizer quantizer;
  private FloatMatrix weights;
  private QuantizedWeights quantized;

  @Setup
  public void prepare() {
    Shape s = Shape.parse(shape);
    // A standard deviation of 0.02, as transformer weights are initialised.
    weights = new FloatMatrix("bench.weight", s.rows(), s.cols(),
        Inputs.gaussian(s.rows() * s.cols(), 0.02f));
    quantizer = format.weightQuantizer(MxScaleMode.RCEIL);
    quantized = quantizer.quantize(weights);
  }

  @Benchmark
  public QuantizedWeights quantize() {
    return quantizer.quantize(weights);
  }

  @Benchmark
  public FloatMatrix dequantize() {
    return quantized.dequantize();
  }
}
