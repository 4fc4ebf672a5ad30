package io.jquant.runtime.numerics;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every bulk encoder against its scalar definition on all 2^32 float32 bit patterns, in chunks of 2^20 run in
 * parallel. The chunks are multiples of every vector length, so each pattern goes through the vector path;
 * the tails are {@link BulkCodecTest}'s job.
 */
class BulkCodecExhaustiveTest {
  private static final int CHUNK_BITS = 20;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final int CHUNKS = 1 << (32 - CHUNK_BITS);

  /** The inputs and both outputs of one chunk, kept per thread so the run allocates almost nothing. */
  private static final class Buffers {
    final float[] floats = new float[CHUNK];
    final byte[] bulkBytes = new byte[CHUNK];
    final byte[] scalarBytes = new byte[CHUNK];
    final short[] bulkShorts = new short[CHUNK];
    final short[] scalarShorts = new short[CHUNK];
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  /**
   * Without the vector path these comparisons would set the scalar loops against themselves and prove
   * nothing, so on x86-64 (AVX2 or AVX-512, 8 or 16 float lanes) the lanes must be on.
   */
  @Test
  void theVectorPathIsTheOneUnderTestOnX86() {
    String arch = System.getProperty("os.arch");
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      assertTrue(VectorSupport.available() && Lanes.enabled(),
          "vector lanes are off on " + arch
              + "; the bulk tests would compare the scalar loops with themselves");
    }
  }

  /** Compares the bulk and scalar results of one chunk; returns the first index that differs, or -1. */
  private interface ChunkCheck {
    int mismatch(float[] floats, Buffers buffers);
  }

  @Test
  void fp8E4M3() {
    forAllFloats("E4M3", (f, b) -> {
      Fp8E4M3Bulk.encode(f, 0, b.bulkBytes, 0, CHUNK);
      for (int i = 0; i < CHUNK; i++) {
        b.scalarBytes[i] = Fp8E4M3.encode(f[i]);
      }
      return Arrays.mismatch(b.bulkBytes, b.scalarBytes);
    });
  }

  @Test
  void fp8E5M2() {
    forAllFloats("E5M2", (f, b) -> {
      Fp8E5M2Bulk.encode(f, 0, b.bulkBytes, 0, CHUNK);
      for (int i = 0; i < CHUNK; i++) {
        b.scalarBytes[i] = Fp8E5M2.encode(f[i]);
      }
      return Arrays.mismatch(b.bulkBytes, b.scalarBytes);
    });
  }

  @Test
  void int8() {
    forAllFloats("INT8", (f, b) -> {
      Int8Bulk.encode(f, 0, b.bulkBytes, 0, CHUNK);
      for (int i = 0; i < CHUNK; i++) {
        b.scalarBytes[i] = Int8.encode(f[i]);
      }
      return Arrays.mismatch(b.bulkBytes, b.scalarBytes);
    });
  }

  @Test
  void fp4E2M1Packed() {
    forAllFloats("E2M1", (f, b) -> {
      Fp4E2M1Bulk.encode(f, 0, b.bulkBytes, 0, CHUNK);
      for (int i = 0; i < CHUNK; i += 2) {
        b.scalarBytes[i / 2] = Fp4E2M1.pack(Fp4E2M1.encode(f[i]), Fp4E2M1.encode(f[i + 1]));
      }
      int pair = Arrays.mismatch(b.bulkBytes, 0, CHUNK / 2, b.scalarBytes, 0, CHUNK / 2);
      if (pair < 0) {
        return -1;
      }
      // Name the element of the pair that differs.
      return (b.bulkBytes[pair] & 0xF) != (b.scalarBytes[pair] & 0xF) ? 2 * pair : 2 * pair + 1;
    });
  }

  @Test
  void e8M0() {
    forAllFloats("E8M0", (f, b) -> {
      E8M0Bulk.encode(f, 0, b.bulkBytes, 0, CHUNK);
      for (int i = 0; i < CHUNK; i++) {
        b.scalarBytes[i] = (byte) E8M0.encode(f[i]);
      }
      return Arrays.mismatch(b.bulkBytes, b.scalarBytes);
    });
  }

  @Test
  void bf16() {
    forAllFloats("BF16", (f, b) -> {
      Bf16Bulk.encode(f, 0, b.bulkShorts, 0, CHUNK);
      for (int i = 0; i < CHUNK; i++) {
        b.scalarShorts[i] = Bf16.encode(f[i]);
      }
      return Arrays.mismatch(b.bulkShorts, b.scalarShorts);
    });
  }

  @Test
  void fp16() {
    forAllFloats("FP16", (f, b) -> {
      Fp16Bulk.encode(f, 0, b.bulkShorts, 0, CHUNK);
      for (int i = 0; i < CHUNK; i++) {
        b.scalarShorts[i] = Fp16.encode(f[i]);
      }
      return Arrays.mismatch(b.bulkShorts, b.scalarShorts);
    });
  }

  /** Runs the check on every chunk of bit patterns and fails naming the first few patterns that differ. */
  private static void forAllFloats(String codec, ChunkCheck check) {
    AtomicInteger failures = new AtomicInteger();
    StringBuffer report = new StringBuffer();
    IntStream.range(0, CHUNKS).parallel().forEach(chunk -> {
      Buffers buffers = BUFFERS.get();
      float[] floats = buffers.floats;
      int base = chunk << CHUNK_BITS;
      for (int i = 0; i < CHUNK; i++) {
        floats[i] = Float.intBitsToFloat(base + i);
      }
      int index = check.mismatch(floats, buffers);
      if (index >= 0 && failures.getAndIncrement() < 8) {
        report.append(String.format(" 0x%08X", base + index));
      }
    });
    if (failures.get() > 0) {
      fail(codec + ": bulk differs from scalar in " + failures.get() + " chunks, first at bit patterns"
          + report);
    }
  }
}
