package io.jquant.runtime.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Small helpers the quantizer tests share: hex bytes, matrices and stored-tensor checks. */
final class TestData {
  private TestData() {}

  /** Bytes from hex pairs, spaces ignored: {@code "10 19 b2"}. */
  static byte[] hex(String pairs) {
    return HexFormat.of().parseHex(pairs.replace(" ", ""));
  }

  /** The bytes as lower-case hex pairs separated by spaces, for readable failures. */
  static String hex(byte[] bytes) {
    return HexFormat.ofDelimiter(" ").formatHex(bytes);
  }

  static FloatMatrix matrix(String name, int rows, int cols, float... values) {
    return new FloatMatrix(name, rows, cols, values);
  }

  /**
   * Random values whose magnitude changes per run of {@code run} elements along each row, by a factor of up
   * to {@code spread} (log-uniform), so every block of a format has its own scale.
   */
  static FloatMatrix randomBlocks(String name, int rows, int cols, int run, float spread, long seed) {
    Random random = new Random(seed);
    float[] values = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      float magnitude = 1.0f;
      for (int c = 0; c < cols; c++) {
        if (c % run == 0) {
          magnitude = (float) Math.pow(spread, random.nextDouble());
        }
        values[r * cols + c] = (float) (random.nextGaussian() * magnitude);
      }
    }
    return new FloatMatrix(name, rows, cols, values);
  }

  /** Asserts a stored tensor's name, type and shape, and returns its bytes. */
  static byte[] assertTensor(StoredTensor tensor, String name, StorageDType dtype, Long... shape) {
    assertEquals(name, tensor.name());
    assertEquals(dtype, tensor.dtype(), name);
    assertEquals(List.of(shape), tensor.shape(), name);
    return tensor.bytes();
  }

  /** Asserts two float arrays hold the same bits. */
  static void assertSameBits(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          "index " + i + ": expected " + expected[i] + ", got " + actual[i]);
    }
  }

  static void assertBytes(String expectedHex, byte[] actual) {
    assertArrayEquals(hex(expectedHex), actual, "got " + hex(actual));
  }
}
