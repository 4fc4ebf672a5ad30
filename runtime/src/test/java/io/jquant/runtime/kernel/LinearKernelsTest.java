package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fp32Linear and Bf16Linear against the double reference, on the GEMV (≤ 4 rows) and the GEMM path. */
class LinearKernelsTest {
  private static final int[] ROWS = { 1, 2, 4, 5, 13, 16, 24, 32, 40 };

  static TensorView f32(String name, float[] values, int out, int in) {
    MemorySegment data = MemorySegment.ofArray(new byte[values.length * 4]);
    for (int i = 0; i < values.length; i++) {
      data.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * i, values[i]);
    }
    return new TensorView(name, StorageDType.F32, List.of((long) out, (long) in), data);
  }

  /**
   * The BF16 codes of {@code values} as a tensor; {@code values} are replaced by what the codes stand for.
   */
  static TensorView bf16(String name, float[] values, int out, int in) {
    MemorySegment data = MemorySegment.ofArray(new byte[values.length * 2]);
    for (int i = 0; i < values.length; i++) {
      short code = Bf16.encode(values[i]);
      data.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i, code);
      values[i] = Bf16.decode(code);
    }
    return new TensorView(name, StorageDType.BF16, List.of((long) out, (long) in), data);
  }

  @Test
  void fp32MatchesTheReferenceWithBiasOnBothPaths() {
    Random random = new Random(11);
    for (int[] shape : new int[][] { { 1, 1 }, { 3, 7 }, { 67, 33 }, { 130, 300 } }) {
      int out = shape[0];
      int in = shape[1];
      float[] w = Reference.random(random, out * in);
      float[] bias = Reference.random(random, out);
      Linear linear = Fp32Linear.of("l", f32("l.weight", w, out, in), bias);
      for (int rows : ROWS) {
        float[] x = Reference.random(random, rows * in);
        float[] y = new float[rows * out];
        linear.forward(x, y, rows);
        Reference.check("fp32 " + rows + "x" + out + "x" + in, w, bias, x, rows, out, in, y, out);
      }
    }
  }

  @Test
  void bf16MatchesTheReferenceOfItsDecodedWeights() {
    Random random = new Random(12);
    for (int[] shape : new int[][] { { 1, 1 }, { 3, 7 }, { 67, 33 }, { 130, 300 } }) {
      int out = shape[0];
      int in = shape[1];
      float[] w = Reference.random(random, out * in);
      TensorView tensor = bf16("l.weight", w, out, in);
      float[] bias = shape[0] == 67 ? null : Reference.random(random, out);
      Bf16Linear linear = Bf16Linear.create("l", tensor, bias);
      assertEquals(2L * out * in, linear.weightBytes());
      for (int rows : ROWS) {
        float[] x = Reference.random(random, rows * in);
        float[] y = new float[rows * out];
        linear.forward(x, y, rows);
        Reference.check("bf16 " + rows + "x" + out + "x" + in, w, bias, x, rows, out, in, y, out);
      }
    }
  }

  @Test
  void nanAndInfinityInXReachExactlyTheOutputsOfTheirRow() {
    Random random = new Random(13);
    int out = 40;
    int in = 70;
    float[] w = Reference.random(random, out * in);
    float[] bias = Reference.random(random, out);
    TensorView tensor = bf16("l.weight", w, out, in);
    for (Linear linear : List.of(Fp32Linear.of("f", f32("f.weight", w, out, in), bias),
        Bf16Linear.create("b", tensor, bias))) {
      for (int rows : new int[] { 3, 9 }) {
        float[] x = Reference.random(random, rows * in);
        x[1 * in + 5] = Float.NaN;
        x[2 * in + 69] = Float.POSITIVE_INFINITY;
        float[] y = new float[rows * out];
        linear.forward(x, y, rows);
        for (int r = 0; r < rows; r++) {
          for (int n = 0; n < out; n++) {
            float value = y[r * out + n];
            String where = linear + " rows " + rows + " y[" + r + "][" + n + "]";
            if (r == 1) {
              assertEquals(Float.NaN, value, where);
            } else if (r == 2) {
              assertEquals(w[n * in + 69] > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY, value,
                  where);
            } else {
              assertEquals(true, Float.isFinite(value), where);
            }
          }
        }
        Reference.check(linear + " rows " + rows, w, bias, x, rows, out, in, y, out);
      }
    }
  }

  @Test
  void oneAndTwoThreadsGiveTheSameBits() {
    Random random = new Random(14);
    int out = 300;
    int in = 260;
    float[] w = Reference.random(random, out * in);
    Linear linear = Bf16Linear.create("b", bf16("b.weight", w, out, in), Reference.random(random, out));
    try (KernelThreads two = KernelThreads.create(2)) {
      for (int rows : new int[] { 1, 3, 17 }) {
        float[] x = Reference.random(random, rows * in);
        float[] one = new float[rows * out];
        float[] both = new float[rows * out];
        linear.forward(x, one, rows, KernelThreads.single());
        linear.forward(x, both, rows, two);
        assertArrayEquals(one, both, "rows " + rows);
      }
    }
  }

  @Test
  void refusesTensorsOfAnotherTypeOrRank() {
    TensorView f32 = f32("l.weight", new float[6], 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Bf16Linear.create("l", f32, null));
    assertEquals("layer l: tensor l.weight is F32 [2, 3], expected a matrix BF16 [out_features, in_features]",
        e.getMessage());
    TensorView flat = new TensorView("v", StorageDType.F32, List.of(6L), MemorySegment.ofArray(new byte[24]));
    e = assertThrows(IllegalArgumentException.class, () -> Fp32Linear.of("l", flat, null));
    assertEquals("layer l: tensor v is F32 [6], expected a matrix F32 [out_features, in_features]",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Fp32Linear.of("l", f32, new float[3]));
    assertEquals("layer l: bias has 3 values, but the layer has 2 outputs", e.getMessage());
  }
}
