package io.jquant.benchmarks;

import io.jquant.runtime.numerics.Bf16Bulk;
import io.jquant.runtime.numerics.Fp4E2M1;
import io.jquant.runtime.numerics.Fp4E2M1Bulk;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.numerics.Int8;
import io.jquant.runtime.numerics.Int8Bulk;
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
 * The bulk element codecs, whatever their insides (scalar loops or Vector API): one operation encodes
 * {@code floats} float32 values into codes, or decodes that many codes back into float32. Each thread works
 * on its own buffers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-modules", "jdk.incubator.vector" })
public class CodecBenchmark {

  /**
   * Values spread over one format's range, their codes, and room for decoded values. Decoding reads the codes
   * of real values, so it meets the same mix of codes as in use (and no NaN codes).
   */
  @State(Scope.Thread)
  public abstract static class Buffers {
    @Param({ Sizes.CACHE, Sizes.MEMORY })
    public int floats;

    float[] values;
    float[] decoded;

    @Setup
    public void allocate() {
      values = Inputs.gaussian(floats, sigma());
      decoded = new float[floats];
      encode();
    }

    /** The spread of the values: about a quarter of the format's largest value. */
    abstract float sigma();

    /** Allocates the codes and fills them from {@link #values}. */
    abstract void encode();
  }

  public static class E4m3 extends Buffers {
    byte[] codes;

    @Override
    float sigma() {
      return Fp8E4M3.MAX / 4;
    }

    @Override
    void encode() {
      codes = new byte[floats];
      Fp8E4M3Bulk.encode(values, 0, codes, 0, floats);
    }
  }

  /** Two E2M1 codes a byte. */
  public static class E2m1 extends Buffers {
    byte[] packed;

    @Override
    float sigma() {
      return Fp4E2M1.MAX / 4;
    }

    @Override
    void encode() {
      packed = new byte[(floats + 1) / 2];
      Fp4E2M1Bulk.encode(values, 0, packed, 0, floats);
    }
  }

  public static class Int8Codes extends Buffers {
    byte[] codes;

    @Override
    float sigma() {
      return Int8.MAX / 4;
    }

    @Override
    void encode() {
      codes = new byte[floats];
      Int8Bulk.encode(values, 0, codes, 0, floats);
    }
  }

  public static class Bf16Codes extends Buffers {
    short[] codes;

    @Override
    float sigma() {
      return 1.0f;
    }

    @Override
    void encode() {
      codes = new short[floats];
      Bf16Bulk.encode(values, 0, codes, 0, floats);
    }
  }

  @Benchmark
  public byte[] e4m3Encode(E4m3 b) {
    Fp8E4M3Bulk.encode(b.values, 0, b.codes, 0, b.floats);
    return b.codes;
  }

  @Benchmark
  public float[] e4m3Decode(E4m3 b) {
    Fp8E4M3Bulk.decode(b.codes, 0, b.decoded, 0, b.floats);
    return b.decoded;
  }

  @Benchmark
  public byte[] e2m1Encode(E2m1 b) {
    Fp4E2M1Bulk.encode(b.values, 0, b.packed, 0, b.floats);
    return b.packed;
  }

  @Benchmark
  public float[] e2m1Decode(E2m1 b) {
    Fp4E2M1Bulk.decode(b.packed, 0, b.decoded, 0, b.floats);
    return b.decoded;
  }

  @Benchmark
  public byte[] int8Encode(Int8Codes b) {
    Int8Bulk.encode(b.values, 0, b.codes, 0, b.floats);
    return b.codes;
  }

  @Benchmark
  public float[] int8Decode(Int8Codes b) {
    Int8Bulk.decode(b.codes, 0, b.decoded, 0, b.floats);
    return b.decoded;
  }

  @Benchmark
  public short[] bf16Encode(Bf16Codes b) {
    Bf16Bulk.encode(b.values, 0, b.codes, 0, b.floats);
    return b.codes;
  }

  @Benchmark
  public float[] bf16Decode(Bf16Codes b) {
    Bf16Bulk.decode(b.codes, 0, b.decoded, 0, b.floats);
    return b.decoded;
  }
}
