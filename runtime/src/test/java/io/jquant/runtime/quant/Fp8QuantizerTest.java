package io.jquant.runtime.quant;

import static io.jquant.runtime.quant.TestData.assertBytes;
import static io.jquant.runtime.quant.TestData.assertTensor;
import static io.jquant.runtime.quant.TestData.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class Fp8QuantizerTest {
  private static final float[] SMALL = {
      1.0f, -2.0f, 448.0f,
      0.5f, 3.0f, -896.0f,
  };

  private static String refusal(Executable executable) {
    return assertThrows(IllegalArgumentException.class, executable).getMessage();
  }

  /**
   * The block rule written out element by element: a scale per block from its real elements, then E4M3(w/s).
   */
  private static Fp8Weights referenceBlocks(FloatMatrix w, int bn, int bk) {
    int gc = (w.cols() + bk - 1) / bk;
    float[] scales = new float[((w.rows() + bn - 1) / bn) * gc];
    for (int r = 0; r < w.rows(); r++) {
      for (int c = 0; c < w.cols(); c++) {
        int g = (r / bn) * gc + c / bk;
        scales[g] = Math.max(scales[g], Math.abs(w.get(r, c)));
      }
    }
    for (int g = 0; g < scales.length; g++) {
      scales[g] = scales[g] == 0 ? 1.0f : scales[g] / 448.0f;
    }
    byte[] data = new byte[w.values().length];
    for (int r = 0; r < w.rows(); r++) {
      for (int c = 0; c < w.cols(); c++) {
        data[r * w.cols() + c] = Fp8E4M3.encode(w.get(r, c) / scales[(r / bn) * gc + c / bk]);
      }
    }
    return Fp8Weights.blockwise(w.name(), w.rows(), w.cols(), bn, bk, data, scales);
  }

  @Test
  void tensorwiseScaleIsAmaxOver448() {
    Fp8Weights q = Fp8Quantizer.tensorwise().quantize(matrix("l.weight", 2, 3, SMALL));
    assertArrayEquals(new float[] { 2.0f }, q.scales()); // 896/448
    // 0.5, -1, 224, 0.25, 1.5, -448
    assertBytes("30 b8 76 28 3c fe", q.data());
    assertArrayEquals(SMALL, q.dequantize().values());
    List<StoredTensor> t = q.tensors();
    assertSame(q.data(), assertTensor(t.get(0), "weight", StorageDType.F8_E4M3, 2L, 3L));
    assertBytes("00 00 00 40", assertTensor(t.get(1), "weight_scale", StorageDType.F32));
  }

  @Test
  void rowwiseScalesArePerOutputChannel() {
    Fp8Weights q = Fp8Quantizer.rowwise().quantize(matrix("l.weight", 2, 3, SMALL));
    assertArrayEquals(new float[] { 1.0f, 2.0f }, q.scales());
    // row 0 by 1: 1, -2, 448; row 1 by 2: 0.25, 1.5, -448
    assertBytes("38 c0 7e 28 3c fe", q.data());
    assertBytes("00 00 80 3f 00 00 00 40",
        assertTensor(q.tensors().get(1), "weight_scale", StorageDType.F32, 2L, 1L));
  }

  @Test
  void blockwiseHandlesShortBlocksAndAllZeroBlocks() {
    float[] w = {
        448.0f, 1.0f, 3.5f, 0.0f, 896.0f,
        -224.0f, 3.0f, 0.0f, -7.0f, 1.0f,
        0.0f, 0.0f, 0.0f, 0.0f, 0.875f,
    };
    Fp8Weights q = Fp8Quantizer.blockwise(2, 2).quantize(matrix("l.weight", 3, 5, w));
    // Block amaxes 448, 7, 896 | 0, 0, 0.875; all-zero blocks get 1.0; the others are powers of two.
    assertArrayEquals(new float[] { 1.0f, 0x1p-6f, 2.0f, 1.0f, 1.0f, 0x1p-9f }, q.scales());
    assertBytes("7e 38 76 00 7e  f6 44 00 fe 30  00 00 00 00 7e", q.data());
    assertArrayEquals(w, q.dequantize().values());
    byte[] scales = assertTensor(q.tensors().get(1), "weight_scale_inv", StorageDType.F32, 2L, 3L);
    assertBytes("00 00 80 3f 00 00 80 3c 00 00 00 40 00 00 80 3f 00 00 80 3f 00 00 00 3b", scales);
  }

  @Test
  void defaultBlocksAre128By128AndNeedNotDivideTheShape() {
    FloatMatrix w = TestData.randomBlocks("w", 130, 200, 100, 1e3f, 9);
    Fp8Weights q = Fp8Quantizer.blockwise().quantize(w);
    assertEquals(128, q.blockRows());
    assertEquals(128, q.blockCols());
    assertTensor(q.tensors().get(1), "weight_scale_inv", StorageDType.F32, 2L, 2L);
    assertEquals(referenceBlocks(w, 128, 128), q);
    // The same rule gives the row and tensor quantizers.
    Fp8Weights rows = Fp8Quantizer.rowwise().quantize(w);
    Fp8Weights reference = referenceBlocks(w, 1, 200);
    assertArrayEquals(reference.scales(), rows.scales());
    assertArrayEquals(reference.data(), rows.data());
    Fp8Weights tensor = Fp8Quantizer.tensorwise().quantize(w);
    assertArrayEquals(referenceBlocks(w, 130, 200).data(), tensor.data());
  }

  @Test
  void allZeroTensorGetsScaleOne() {
    Fp8Weights q = Fp8Quantizer.tensorwise().quantize(matrix("w", 2, 2, 0.0f, 0.0f, 0.0f, 0.0f));
    assertArrayEquals(new float[] { 1.0f }, q.scales());
    assertBytes("00 00 00 00", q.data());
  }

  @Test
  void dequantizedErrorIsAtMostHalfAnE4m3Step() {
    FloatMatrix w = TestData.randomBlocks("w", 64, 96, 7, 1e4f, 13);
    for (Fp8Quantizer quantizer : new Fp8Quantizer[] {
        Fp8Quantizer.tensorwise(), Fp8Quantizer.rowwise(), Fp8Quantizer.blockwise(16, 32) }) {
      Fp8Weights q = quantizer.quantize(w);
      float[] d = q.dequantize().values();
      for (int r = 0; r < w.rows(); r++) {
        for (int c = 0; c < w.cols(); c++) {
          float scale = q.scaleAt(r, c);
          double x = Math.abs(w.get(r, c)) / scale;
          assertTrue(x <= 448 * (1 + 1e-6), "x " + x);
          // 3 mantissa bits: half a step is 2^-4 relative; subnormal steps are 2^-9.
          double bound = Math.max(x * 0x1p-4, 0x1p-10) * (1 + 1e-6);
          double error = Math.abs(w.get(r, c) - d[r * w.cols() + c]) / scale;
          assertTrue(error <= bound, quantizer.granularity() + " [" + r + ", " + c + "] " + error);
        }
      }
    }
  }

  @Test
  void refusesBadInputNamingTheTensorAndGroup() {
    assertEquals("tensor w: element [0, 1] (index 1) is Infinity; weights must be finite to be quantized",
        refusal(() -> Fp8Quantizer.rowwise().quantize(matrix("w", 1, 2, 0.0f, Float.POSITIVE_INFINITY))));
    assertEquals("tensor w: empty shape [3, 0]; a quantized weight needs at least one row and one column",
        refusal(() -> Fp8Quantizer.tensorwise().quantize(matrix("w", 3, 0))));
    assertEquals(
        "tensor w: row 1 has amax 1.4E-45, too small to scale: amax/448.0 underflows to 0 in float32",
        refusal(() -> Fp8Quantizer.rowwise().quantize(matrix("w", 2, 1, 1.0f, Float.MIN_VALUE))));
    assertEquals("tensor w: block [0, 1] has amax 1.4E-45, too small to scale: amax/448.0 underflows to 0 in"
        + " float32",
        refusal(() -> Fp8Quantizer.blockwise(1, 1).quantize(matrix("w", 1, 2, 1.0f, -Float.MIN_VALUE))));
    assertEquals("an FP8 scale block needs positive extents, got [0, 128]",
        refusal(() -> Fp8Quantizer.blockwise(0, 128)));
  }

  @Test
  void readersRefuseArraysThatDoNotFitTheShape() {
    assertEquals("tensor w.weight: weight [2, 3] needs F8_E4M3 [2, 3] = 6 elements, got 5",
        refusal(() -> Fp8Weights.tensorwise("w.weight", 2, 3, new byte[5], 1.0f)));
    assertEquals("tensor w.weight_scale: weight [2, 3] needs F32 [2, 1] = 2 elements, got 3",
        refusal(() -> Fp8Weights.rowwise("w.weight", 2, 3, new byte[6], new float[3])));
    assertEquals("tensor w.weight_scale_inv: weight [3, 5] needs F32 [2, 3] = 6 elements, got 4",
        refusal(() -> Fp8Weights.blockwise("w.weight", 3, 5, 2, 2, new byte[15], new float[4])));
    assertEquals("tensor w.weight: a ROW scale of weight [2, 3] cannot cover [2, 3] elements",
        refusal(() -> new Fp8Weights("w.weight", 2, 3, Fp8Granularity.ROW, 2, 3, new byte[6], new float[2])));
  }
}
