package io.jquant.runtime.quant;

import static io.jquant.runtime.quant.TestData.assertBytes;
import static io.jquant.runtime.quant.TestData.assertTensor;
import static io.jquant.runtime.quant.TestData.hex;
import static io.jquant.runtime.quant.TestData.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MxQuantizerTest {

  /**
   * The OCP rules written out element by element: scale byte from the block amax, then
   * {@code element(clamp(w · 2^(127-b)))}, packing FP4 nibbles by hand.
   */
  private static MxWeights reference(FloatMatrix w, MxElement element, MxScaleMode mode) {
    int rows = w.rows();
    int cols = w.cols();
    int blocks = (cols + 31) / 32;
    boolean fp4 = element == MxElement.FP4_E2M1;
    int dataRow = fp4 ? (cols + 1) / 2 : cols;
    byte[] scales = new byte[rows * blocks];
    byte[] data = new byte[rows * dataRow];
    for (int r = 0; r < rows; r++) {
      for (int b = 0; b < blocks; b++) {
        float amax = 0;
        for (int c = 32 * b; c < Math.min(cols, 32 * b + 32); c++) {
          amax = Math.max(amax, Math.abs(w.get(r, c)));
        }
        scales[r * blocks + b] = (byte) mode.scaleByte(amax, element);
      }
      for (int c = 0; c < cols; c++) {
        int b = scales[r * blocks + c / 32] & 0xFF;
        float x = w.get(r, c) * Math.scalb(1.0f, 127 - b);
        int code = element.encode(Math.max(-element.max(), Math.min(element.max(), x)));
        if (fp4) {
          data[r * dataRow + c / 2] |= (byte) (c % 2 == 0 ? code : code << 4);
        } else {
          data[r * dataRow + c] = (byte) code;
        }
      }
    }
    return new MxWeights(w.name(), rows, cols, element, data, scales);
  }

  /** One 32-element row per amax, holding amax at column 0 and zeros elsewhere. */
  private static FloatMatrix rowsWithAmax(float... amaxes) {
    float[] values = new float[amaxes.length * 32];
    for (int i = 0; i < amaxes.length; i++) {
      values[i * 32] = amaxes[i];
    }
    return matrix("w", amaxes.length, 32, values);
  }

  private static int[] scaleBytes(MxWeights q) {
    int[] bytes = new int[q.scales().length];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = q.scales()[i] & 0xFF;
    }
    return bytes;
  }

  @Test
  void mxfp4ScalesOfTheFormats32TableThroughTheQuantizer() {
    FloatMatrix w = rowsWithAmax(0.0f, 3.0f, 5.0f, 6.0f, 6.5f, 7.0f, 12.0f);
    assertArrayEquals(new int[] { 0, 126, 127, 127, 127, 127, 128 },
        scaleBytes(new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.FLOOR).quantize(w)));
    assertArrayEquals(new int[] { 0, 127, 128, 128, 128, 128, 129 },
        scaleBytes(new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.CEIL).quantize(w)));
    assertArrayEquals(new int[] { 0, 126, 127, 127, 127, 128, 128 },
        scaleBytes(new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.EVEN).quantize(w)));
    assertArrayEquals(new int[] { 0, 126, 127, 127, 128, 128, 128 },
        scaleBytes(new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.RCEIL).quantize(w)));
    assertArrayEquals(new int[] { 0, 126, 127, 127, 128, 128, 128 },
        scaleBytes(new MxQuantizer(MxElement.FP4_E2M1).quantize(w)), "RCEIL is the default");
  }

  @Test
  void mxfp8ScalesOfTheFormats32TableThroughTheQuantizer() {
    FloatMatrix w = rowsWithAmax(300.0f, 448.0f, 449.0f, 500.0f, 512.0f);
    assertArrayEquals(new int[] { 127, 127, 127, 127, 128 },
        scaleBytes(new MxQuantizer(MxElement.FP8_E4M3, MxScaleMode.FLOOR).quantize(w)));
    assertArrayEquals(new int[] { 128, 128, 128, 128, 128 },
        scaleBytes(new MxQuantizer(MxElement.FP8_E4M3, MxScaleMode.CEIL).quantize(w)));
    assertArrayEquals(new int[] { 127, 127, 127, 128, 128 },
        scaleBytes(new MxQuantizer(MxElement.FP8_E4M3, MxScaleMode.EVEN).quantize(w)));
    assertArrayEquals(new int[] { 127, 127, 128, 128, 128 },
        scaleBytes(new MxQuantizer(MxElement.FP8_E4M3, MxScaleMode.RCEIL).quantize(w)));
  }

  @Test
  void amax7FloorSaturatesWhereRceilRoundsUpToEight() {
    float[] w = new float[32];
    w[0] = 7.0f;
    w[1] = 3.5f;
    MxWeights floor = new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.FLOOR).quantize(matrix("w", 1, 32, w));
    assertBytes("7f", floor.scales());
    assertEquals((byte) 0x67, floor.data()[0]); // 7 -> 6 (code 7, saturated), 3.5 -> 4 (code 6)
    assertEquals(6.0f, floor.dequantize().values()[0]);
    assertEquals(4.0f, floor.dequantize().values()[1]);

    MxWeights rceil = new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.RCEIL).quantize(matrix("w", 1, 32, w));
    assertBytes("80", rceil.scales());
    assertEquals((byte) 0x46, rceil.data()[0]); // 3.5 -> 4 (code 6), 1.75 -> 2 (code 4)
    assertEquals(8.0f, rceil.dequantize().values()[0]);
    assertEquals(4.0f, rceil.dequantize().values()[1]);
  }

  @ParameterizedTest
  @EnumSource(MxElement.class)
  void allZeroBlockGetsScaleZeroAndZeroData(MxElement element) {
    float[] w = new float[64];
    w[0] = 1.0f;
    MxWeights q = new MxQuantizer(element).quantize(matrix("w", 1, 64, w));
    assertEquals(0, q.scales()[1]);
    int dataRow = MxWeights.dataCols(element, 64);
    for (int i = dataRow / 2; i < dataRow; i++) {
      assertEquals(0, q.data()[i], "byte " + i);
    }
    float[] d = q.dequantize().values();
    for (int i = 32; i < 64; i++) {
      assertEquals(0.0f, d[i]);
    }
  }

  @Test
  void e5m2ElementsSaturateUnderFloorInsteadOfBecomingInf() {
    float[] w = new float[32];
    w[0] = 62000.0f; // FLOOR: 2^15 / 2^15 -> scale 2^0, and 62000 is past E5M2's overflow point 61440
    w[1] = -62000.0f;
    w[2] = 60000.0f; // below it: rounds to 57344 anyway
    MxWeights q = new MxQuantizer(MxElement.FP8_E5M2, MxScaleMode.FLOOR).quantize(matrix("w", 1, 32, w));
    assertBytes("7f", q.scales());
    assertEquals("7b fb 7b 00", hex(q.data()).substring(0, 11));
    assertEquals(57344.0f, q.dequantize().values()[0]);
    assertEquals(-57344.0f, q.dequantize().values()[1]);
  }

  @Test
  void shortLastBlockOfK33TakesItsScaleFromItsOneElement() {
    float[] w = new float[2 * 33];
    for (int i = 0; i < w.length; i++) {
      w[i] = i % 33 == 32 ? 0.75f : 100.0f * (float) Math.cos(i);
    }
    MxWeights q = new MxQuantizer(MxElement.FP4_E2M1).quantize(matrix("w", 2, 33, w));
    assertEquals(2 * 17, q.data().length);
    // 0.75/6 = 0.125 = 2^-3: byte 124; the element is 0.75·8 = 6, code 7, alone in byte 16.
    assertBytes("7c", new byte[] { q.scales()[1] });
    assertBytes("7c", new byte[] { q.scales()[3] });
    assertEquals(0x07, q.data()[16]);
    assertEquals(0x07, q.data()[33]);
    assertEquals(reference(matrix("w", 2, 33, w), MxElement.FP4_E2M1, MxScaleMode.RCEIL), q);
  }

  @Test
  void everyElementAndModeMatchesTheReferenceOnRandomBlocksWithShortTails() {
    FloatMatrix w = TestData.randomBlocks("w", 6, 172, 32, 1e4f, 11);
    for (MxElement element : MxElement.values()) {
      for (MxScaleMode mode : MxScaleMode.values()) {
        assertEquals(reference(w, element, mode), new MxQuantizer(element, mode).quantize(w),
            element + " " + mode);
      }
    }
  }

  @Test
  void rceilErrorIsAtMostHalfAStepTimesTheBlockScale() {
    FloatMatrix w = TestData.randomBlocks("w", 8, 256, 32, 1e6f, 5);
    for (MxElement element : MxElement.values()) {
      MxWeights q = new MxQuantizer(element).quantize(w);
      float[] d = q.dequantize().values();
      for (int r = 0; r < w.rows(); r++) {
        for (int c = 0; c < w.cols(); c++) {
          float scale = Math.scalb(1.0f, (q.scales()[r * 8 + c / 32] & 0xFF) - 127);
          float x = Math.abs(w.get(r, c)) / scale;
          assertTrue(x <= element.max(), "RCEIL never saturates");
          double bound = switch (element) {
            case FP4_E2M1 -> x < 2 ? 0.25 : x < 4 ? 0.5 : 1.0;
            case FP8_E4M3 -> Math.max(x * 0x1p-4, 0x1p-10); // 3 mantissa bits; subnormal step 2^-9
            case FP8_E5M2 -> Math.max(x * 0x1p-3, 0x1p-17); // 2 mantissa bits; subnormal step 2^-16
          };
          double error = Math.abs(w.get(r, c) - d[r * w.cols() + c]) / scale;
          assertTrue(error <= bound, element + " [" + r + ", " + c + "] error " + error + " > " + bound);
        }
      }
    }
  }

  @Test
  void scale255DequantizesItsWholeBlockToNaN() {
    MxWeights q = new MxWeights("w", 1, 40, MxElement.FP8_E4M3, new byte[40], hex("ff 7f"));
    float[] d = q.dequantize().values();
    for (int i = 0; i < 32; i++) {
      assertTrue(Float.isNaN(d[i]), "element " + i);
    }
    assertEquals(0.0f, d[32]);
  }

  @Test
  void tensorsAreU8ScalesBesideTheElementType() {
    FloatMatrix w = TestData.randomBlocks("l.weight", 3, 33, 32, 10, 1);
    MxWeights fp4 = new MxQuantizer(MxElement.FP4_E2M1).quantize(w);
    List<StoredTensor> t = fp4.tensors();
    assertSame(fp4.data(), assertTensor(t.get(0), "weight", StorageDType.U8, 3L, 17L));
    assertSame(fp4.scales(), assertTensor(t.get(1), "weight_scale", StorageDType.U8, 3L, 2L));
    assertTensor(new MxQuantizer(MxElement.FP8_E4M3).quantize(w).tensors().get(0), "weight",
        StorageDType.F8_E4M3, 3L, 33L);
    assertTensor(new MxQuantizer(MxElement.FP8_E5M2).quantize(w).tensors().get(0), "weight",
        StorageDType.F8_E5M2, 3L, 33L);
  }

  @Test
  void refusesBadInputNamingTheTensor() {
    float[] w = new float[64];
    w[40] = Float.NEGATIVE_INFINITY;
    assertEquals("tensor w: element [1, 8] (index 40) is -Infinity; weights must be finite to be quantized",
        assertThrows(IllegalArgumentException.class,
            () -> new MxQuantizer(MxElement.FP4_E2M1).quantize(matrix("w", 2, 32, w))).getMessage());
    assertEquals("tensor a.weight: weight [2, 33] needs U8 [2, 17] = 34 elements, got 33",
        assertThrows(IllegalArgumentException.class,
            () -> new MxWeights("a.weight", 2, 33, MxElement.FP4_E2M1, new byte[33], new byte[4]))
            .getMessage());
    assertEquals("tensor a.weight_scale: weight [2, 33] needs U8 [2, 2] = 4 elements, got 2",
        assertThrows(IllegalArgumentException.class,
            () -> new MxWeights("a.weight", 2, 33, MxElement.FP8_E5M2, new byte[66], new byte[2]))
            .getMessage());
  }
}
