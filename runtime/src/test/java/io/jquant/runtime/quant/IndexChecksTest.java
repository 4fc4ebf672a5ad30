package io.jquant.runtime.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Element and scale accessors refuse indices outside their tensor instead of reading a neighbour's value. */
class IndexChecksTest {
  private static final FloatMatrix WEIGHT = new FloatMatrix("w", 2, 20, new float[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
      -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16, -17, -18, -19, -20 });

  @Test
  void floatMatrixGetChecksBothIndices() {
    assertEquals(-1.0f, WEIGHT.get(1, 0));
    assertEquals(20.0f, WEIGHT.get(0, 19));
    // Without the column check, [0, 20] would be the element [1, 0].
    assertThrows(IndexOutOfBoundsException.class, () -> WEIGHT.get(0, 20));
    assertThrows(IndexOutOfBoundsException.class, () -> WEIGHT.get(2, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> WEIGHT.get(-1, 0));
  }

  @Test
  void nvfp4BlockScaleStaysInsideItsRow() {
    Nvfp4Weights quantized = new Nvfp4Quantizer().quantize(WEIGHT);
    // Two blocks per row: 16 elements and a short one of 4; block 2 of row 0 would be block 0 of row 1.
    // The short block -17..-20 holds the tensor's amax 20: s = 20/(6·ws2) = 448, so fp8 · ws2 = 448 ·
    // 20/2688.
    assertEquals(448.0f * (20.0f / 2688.0f), quantized.blockScale(1, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> quantized.blockScale(0, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> quantized.blockScale(2, 0));
  }

  @Test
  void fp8ScaleAtStaysInsideTheTensor() {
    Fp8Weights rowwise = Fp8Quantizer.rowwise().quantize(WEIGHT);
    assertEquals(20.0f / 448.0f, rowwise.scaleAt(1, 19));
    assertThrows(IndexOutOfBoundsException.class, () -> rowwise.scaleAt(0, 20));
    assertThrows(IndexOutOfBoundsException.class, () -> rowwise.scaleAt(2, 0));
  }

  @Test
  void aDequantizedWeightBeyondAJavaArrayIsRefusedWithItsShape() {
    // 40000 x 60000 FP4 elements pack into 1.2e9 bytes, but their float32 form needs 2.4e9 elements.
    assertEquals(2_000_000_000, QuantChecks.dequantizedLength("w", 40_000, 50_000));
    IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
        () -> QuantChecks.dequantizedLength("model.layers.0.mlp.up_proj.weight", 40_000, 60_000));
    assertEquals(
        "tensor model.layers.0.mlp.up_proj.weight: [40000, 60000] has 2400000000 elements, more than a"
            + " float32 array can hold, so it cannot be dequantized whole",
        tooLarge.getMessage());
  }
}
