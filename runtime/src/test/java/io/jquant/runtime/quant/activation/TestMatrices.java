package io.jquant.runtime.quant.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.quant.FloatMatrix;

/** Small builders and checks the activation tests share. */
final class TestMatrices {
  private TestMatrices() {}

  /** A matrix named "x" from row-major values. */
  static FloatMatrix matrix(int rows, int cols, float... values) {
    return new FloatMatrix("x", rows, cols, values);
  }

  /** Bytes from ints written as hex literals, e.g. {@code bytes(0x7E, 0xF6)}. */
  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** The codes of row {@code row}. */
  static byte[] rowCodes(QuantizedActivations q, int row) {
    int n = q.codeBytesPerRow();
    byte[] out = new byte[n];
    System.arraycopy(q.codes(), row * n, out, 0, n);
    return out;
  }

  /** Asserts that exactly the elements of {@code [rowFrom, rowTo) x [colFrom, colTo)} dequantize to NaN. */
  static void assertNaNOnlyIn(FloatMatrix dequantized, int rowFrom, int rowTo, int colFrom, int colTo) {
    for (int r = 0; r < dequantized.rows(); r++) {
      for (int c = 0; c < dequantized.cols(); c++) {
        boolean inside = r >= rowFrom && r < rowTo && c >= colFrom && c < colTo;
        float v = dequantized.get(r, c);
        if (inside) {
          assertTrue(Float.isNaN(v), "[" + r + ", " + c + "] should be NaN, is " + v);
        } else {
          assertFalse(Float.isNaN(v), "[" + r + ", " + c + "] should not be NaN");
          assertTrue(Float.isFinite(v), "[" + r + ", " + c + "] should be finite, is " + v);
        }
      }
    }
  }

  /** Asserts float arrays equal bit for bit (NaN equal to NaN, -0 apart from +0). */
  static void assertBits(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
          "index " + i + ": expected " + expected[i] + ", got " + actual[i]);
    }
  }
}
