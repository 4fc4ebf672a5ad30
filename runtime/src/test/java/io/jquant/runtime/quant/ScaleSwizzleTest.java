package io.jquant.runtime.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScaleSwizzleTest {

  /**
   * A contiguous row-major byte tensor with torch's {@code view}, {@code permute} and {@code transpose}:
   * enough to run torchao's {@code to_blocked} op by op, without the offset formula under test.
   */
  private record Tensor(int[] shape, byte[] data) {
    Tensor view(int... newShape) {
      int known = 1;
      int inferred = -1;
      for (int i = 0; i < newShape.length; i++) {
        if (newShape[i] == -1) {
          inferred = i;
        } else {
          known *= newShape[i];
        }
      }
      int[] s = newShape.clone();
      if (inferred >= 0) {
        s[inferred] = data.length / known;
      }
      assertEquals(data.length, Arrays.stream(s).reduce(1, (a, b) -> a * b), "view keeps the element count");
      return new Tensor(s, data);
    }

    /** Materializes {@code permute(axes)}: out[i_0..i_n] = in[j] with j[axes[k]] = i_k. */
    Tensor permute(int... axes) {
      int rank = shape.length;
      int[] outShape = new int[rank];
      for (int k = 0; k < rank; k++) {
        outShape[k] = shape[axes[k]];
      }
      int[] inStrides = strides(shape);
      byte[] out = new byte[data.length];
      int[] index = new int[rank];
      for (int flat = 0; flat < out.length; flat++) {
        int rest = flat;
        for (int k = rank - 1; k >= 0; k--) {
          index[k] = rest % outShape[k];
          rest /= outShape[k];
        }
        int source = 0;
        for (int k = 0; k < rank; k++) {
          source += index[k] * inStrides[axes[k]];
        }
        out[flat] = data[source];
      }
      return new Tensor(outShape, out);
    }

    Tensor transpose(int a, int b) {
      int[] axes = new int[shape.length];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = i;
      }
      axes[a] = b;
      axes[b] = a;
      return permute(axes);
    }

    private static int[] strides(int[] shape) {
      int[] strides = new int[shape.length];
      int stride = 1;
      for (int k = shape.length - 1; k >= 0; k--) {
        strides[k] = stride;
        stride *= shape[k];
      }
      return strides;
    }
  }

  /** torchao {@code to_blocked}, transcribed op by op from {@code torchao/prototype/mx_formats/utils.py}. */
  private static byte[] toBlocked(byte[] input, int rows, int cols) {
    int nRowBlocks = (rows + 127) / 128;
    int nColBlocks = (cols + 3) / 4;
    int paddedRows = nRowBlocks * 128;
    int paddedCols = nColBlocks * 4;
    byte[] padded = new byte[paddedRows * paddedCols]; // torch.zeros, then padded[:rows, :cols] = input
    for (int r = 0; r < rows; r++) {
      System.arraycopy(input, r * cols, padded, r * paddedCols, cols);
    }
    Tensor blocks = new Tensor(new int[] { paddedRows, paddedCols }, padded)
        .view(nRowBlocks, 128, nColBlocks, 4)
        .permute(0, 2, 1, 3);
    Tensor rearranged = blocks.view(-1, 4, 32, 4).transpose(1, 2).view(-1, 32, 16);
    return rearranged.data(); // flatten()
  }

  /** Scale bytes 1..255 in a repeating pattern, never 0, so a misplaced padding zero shows. */
  private static byte[] pattern(int rows, int cols) {
    byte[] scales = new byte[rows * cols];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = (byte) (1 + (i * 37 + i / 7) % 255);
    }
    return scales;
  }

  @ParameterizedTest
  @CsvSource({ "128, 4", "256, 8", "300, 7", "5, 3" })
  void interleaveEqualsTorchaoToBlocked(int rows, int cols) {
    byte[] scales = pattern(rows, cols);
    byte[] expected = toBlocked(scales, rows, cols);
    assertArrayEquals(expected, ScaleSwizzle.interleave(scales, rows, cols));
    assertEquals(expected.length, ScaleSwizzle.interleavedLength(rows, cols));
  }

  @ParameterizedTest
  @CsvSource({ "128, 4", "256, 8", "300, 7", "5, 3" })
  void offsetPutsEveryScaleWhereTorchaoDoes(int rows, int cols) {
    byte[] scales = pattern(rows, cols);
    byte[] blocked = toBlocked(scales, rows, cols);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        assertEquals(scales[r * cols + c], blocked[ScaleSwizzle.offset(r, c, cols)],
            "[" + r + ", " + c + "]");
      }
    }
  }

  @ParameterizedTest
  @CsvSource({ "128, 4", "256, 8", "300, 7", "5, 3", "1, 1", "129, 5" })
  void roundTrips(int rows, int cols) {
    byte[] scales = pattern(rows, cols);
    byte[] swizzled = ScaleSwizzle.interleave(scales, rows, cols);
    assertArrayEquals(scales, ScaleSwizzle.deinterleave(swizzled, rows, cols));
  }

  @Test
  void paddingIsZero() {
    // 300 x 7 pads to 384 x 8: of 3072 bytes, 2100 hold scales (all non-zero) and the rest must be 0.
    byte[] swizzled = ScaleSwizzle.interleave(pattern(300, 7), 300, 7);
    assertEquals(3072, swizzled.length);
    boolean[] used = new boolean[swizzled.length];
    for (int r = 0; r < 300; r++) {
      for (int c = 0; c < 7; c++) {
        used[ScaleSwizzle.offset(r, c, 7)] = true;
      }
    }
    int zeros = 0;
    for (int i = 0; i < swizzled.length; i++) {
      if (!used[i]) {
        assertEquals(0, swizzled[i], "padding byte " + i);
        zeros++;
      } else {
        assertEquals(true, swizzled[i] != 0, "scale byte " + i);
      }
    }
    assertEquals(3072 - 2100, zeros);
  }

  @Test
  void knownOffsets() {
    // Row 32 is the second 32-row slice: 4 bytes in. Row 1 is 16 bytes in. Column 4 is the next tile.
    assertEquals(0, ScaleSwizzle.offset(0, 0, 8));
    assertEquals(3, ScaleSwizzle.offset(0, 3, 8));
    assertEquals(16, ScaleSwizzle.offset(1, 0, 8));
    assertEquals(4, ScaleSwizzle.offset(32, 0, 8));
    assertEquals(12 + 31 * 16 + 3, ScaleSwizzle.offset(127, 3, 8));
    assertEquals(512, ScaleSwizzle.offset(0, 4, 8));
    assertEquals(1024, ScaleSwizzle.offset(128, 0, 8));
    // 7 columns pad to 8: the second row tile starts after two column tiles.
    assertEquals(1024 + 512 + 2, ScaleSwizzle.offset(128, 6, 7));
  }

  @Test
  void emptyMatrix() {
    assertEquals(0, ScaleSwizzle.interleave(new byte[0], 0, 5).length);
    assertEquals(0, ScaleSwizzle.deinterleave(new byte[0], 3, 0).length);
  }

  @Test
  void badLengthsAreRefusedWithExpectedAndActual() {
    IllegalArgumentException rowMajor = assertThrows(IllegalArgumentException.class,
        () -> ScaleSwizzle.interleave(new byte[20], 5, 3));
    assertEquals("a [5, 3] scale matrix has 15 bytes in row-major form, got 20", rowMajor.getMessage());
    IllegalArgumentException swizzled = assertThrows(IllegalArgumentException.class,
        () -> ScaleSwizzle.deinterleave(new byte[15], 5, 3));
    assertEquals("a [5, 3] scale matrix has 512 bytes in interleaved form, got 15", swizzled.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> ScaleSwizzle.interleave(new byte[0], -1, 3));
    assertEquals("negative scale matrix shape [-1, 3]", negative.getMessage());
    IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
        () -> ScaleSwizzle.offset(0, 3, 3));
    assertEquals("scale [0, 3] is outside a scale matrix with 3 columns", outside.getMessage());
  }
}
