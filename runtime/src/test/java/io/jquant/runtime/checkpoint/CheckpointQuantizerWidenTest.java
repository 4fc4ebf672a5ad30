package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.numerics.Fp16;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Widening into the per-thread scratch arrays: every value, past the staging slice, in every dtype. */
class CheckpointQuantizerWidenTest {
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  /** 3 · 2^16 + 5 elements: the 16-bit path widens in 2^16-element slices and must cover the short tail. */
  private static final int ROWS = 3;
  private static final int COLS = (1 << 16) + 5;

  private static final FloatScratch SCRATCH = new FloatScratch();

  @Test
  void scratchMatrixHoldsEveryWidenedValueOfEachDtype() {
    int count = ROWS * COLS;
    short[] bits = new short[count];
    for (int i = 0; i < count; i++) {
      bits[i] = (short) (i * 40503); // every bit pattern class, NaN and infinities included
    }
    MemorySegment data = MemorySegment.ofArray(new byte[2 * count]);
    MemorySegment.copy(bits, 0, data, I16, 0, count);
    for (StorageDType dtype : List.of(StorageDType.BF16, StorageDType.F16)) {
      FloatMatrix matrix = CheckpointQuantizer.widen(view(dtype, data), SCRATCH);
      float[] expected = new float[count];
      for (int i = 0; i < count; i++) {
        expected[i] = dtype == StorageDType.BF16 ? Bf16.decode(bits[i]) : Fp16.decode(bits[i]);
      }
      assertArrayBitsEqual(expected, matrix.values(), dtype);
    }
    float[] floats = new float[count];
    for (int i = 0; i < count; i++) {
      floats[i] = Float.intBitsToFloat(i * 0x9E3779B1);
    }
    MemorySegment f32 = MemorySegment.ofArray(new byte[4 * count]);
    MemorySegment.copy(floats, 0, f32, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
        0, count);
    FloatMatrix widened = CheckpointQuantizer.widen(view(StorageDType.F32, f32), SCRATCH);
    assertArrayBitsEqual(floats, widened.values(), "F32");
  }

  /** A legal empty weight whose rows pass an int is refused with the quantizers' words, not an overflow. */
  @Test
  void anEmptyWeightIsRefusedNamingItsShape() {
    TensorView empty = new TensorView("w", StorageDType.BF16, List.of(2147483648L, 0L),
        MemorySegment.ofArray(new byte[0]));
    assertEquals("tensor w: empty shape [2147483648, 0]; a quantized weight needs at least one row and one"
        + " column",
        assertThrows(IllegalArgumentException.class,
            () -> CheckpointQuantizer.widen(empty, SCRATCH)).getMessage());
  }

  @Test
  void aThreadGetsItsArrayBackForTheSameSizeUntilClosed() {
    try (FloatScratch scratch = new FloatScratch()) {
      float[] first = scratch.of(100);
      float[] other = scratch.of(200);
      assertSame(first, scratch.of(100));
      assertSame(other, scratch.of(200));
      assertEquals(300, scratch.of(300).length);
      scratch.close();
      assertNotSame(first, scratch.of(100));
    }
  }

  private static TensorView view(StorageDType dtype, MemorySegment data) {
    return new TensorView("w", dtype, List.of((long) ROWS, (long) COLS), data);
  }

  private static void assertArrayBitsEqual(float[] expected, float[] actual, Object what) {
    int[] e = new int[expected.length];
    int[] a = new int[actual.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = Float.floatToRawIntBits(expected[i]);
    }
    for (int i = 0; i < a.length; i++) {
      a[i] = Float.floatToRawIntBits(actual[i]);
    }
    assertArrayEquals(e, a, what.toString());
  }
}
