package io.jquant.runtime.quant;

import static io.jquant.runtime.golden.GoldenFile.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.jquant.runtime.golden.GoldenAssert;
import io.jquant.runtime.golden.GoldenFile;
import io.jquant.runtime.golden.GoldenFile.Case;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The weight quantizers and the scale swizzle against golden outputs that {@code make_golden_vectors.py}
 * computes with torch float32 operations in docs/FORMATS.md's order (modelopt's NVFP4, torchao-style MX with
 * each scale mode, FP8 per tensor, row and 128x128 block, INT8 per row, torchao's {@code to_blocked}): every
 * byte and every float32 bit must match. A mismatch names the case, the position and the input bits behind
 * it.
 */
class GoldenQuantizerTest {

  /**
   * Random, outliers, zero and tiny blocks (E4M3 scale 0x00), K = 40 and 24, exact ties, wide row ranges, and
   * elements next to ties where {@code w / scale} and {@code w * (1 / scale)} round apart.
   */
  @TestFactory
  Stream<DynamicTest> nvfp4EqualsModelopt() {
    List<Case> cases = GoldenFile.cases("quant_nvfp4.txt.gz");
    assertEquals(9, cases.size(), "NVFP4 cases");
    return cases.stream().map(c -> dynamicTest(c.name(), () -> {
      FloatMatrix w = matrix(c);
      Nvfp4Weights q = new Nvfp4Quantizer().quantize(w);
      int packedCols = Math.ceilDiv(w.cols(), 2);
      GoldenAssert.bytes(c, "packed", c.bytes("packed"), q.packed(), i -> nibblePair(w, i, packedCols));
      int scaleCols = Math.ceilDiv(w.cols(), 16);
      GoldenAssert.bytes(c, "weight_scale", c.bytes("weight_scale"), q.blockScales(),
          i -> block(w, i, scaleCols, 16));
      GoldenAssert.floats(c, "weight_scale_2", c.floats("weight_scale_2"), new float[] { q.globalScale() },
          i -> "tensor amax of " + w.shapeText());
      GoldenAssert.floats(c, "dequantized", c.floats("dequantized"), q.dequantize().values(),
          i -> element(w, i));
    }));
  }

  /**
   * MXFP4, MXFP8 E4M3 and E5M2, each with RCEIL, FLOOR, EVEN and CEIL, on random rows, rows whose block amax
   * is one of §3.2's table values, K = 40 and an all-zero block.
   */
  @TestFactory
  Stream<DynamicTest> mxEqualsTorchaoStyleFormulas() {
    List<Case> cases = GoldenFile.cases("quant_mx.txt.gz");
    assertEquals(3 * 4 * 4, cases.size(), "MX cases: 3 elements x 4 modes x 4 matrices");
    return cases.stream().map(c -> dynamicTest(c.name(), () -> {
      FloatMatrix w = matrix(c);
      MxElement element = MxElement.valueOf(c.text("element"));
      MxScaleMode mode = MxScaleMode.valueOf(c.text("mode"));
      MxWeights q = new MxQuantizer(element, mode).quantize(w);
      IntFunction<String> where = element == MxElement.FP4_E2M1
          ? i -> nibblePair(w, i, Math.ceilDiv(w.cols(), 2))
          : i -> element(w, i);
      GoldenAssert.bytes(c, "data", c.bytes("data"), q.data(), where);
      int scaleCols = Math.ceilDiv(w.cols(), 32);
      GoldenAssert.bytes(c, "scales", c.bytes("scales"), q.scales(), i -> block(w, i, scaleCols, 32));
    }));
  }

  /**
   * Tensor-wise (with an all-zero tensor), row-wise (with an all-zero row), 128x128 blocks on 200 x 300 (with
   * an all-zero block), and rows that only a division by the scale, not a reciprocal multiply, reproduces.
   */
  @TestFactory
  Stream<DynamicTest> fp8EqualsDivisionByAmaxOver448() {
    List<Case> cases = GoldenFile.cases("quant_fp8.txt.gz");
    assertEquals(6, cases.size(), "FP8 cases");
    return cases.stream().map(c -> dynamicTest(c.name(), () -> {
      FloatMatrix w = matrix(c);
      Fp8Quantizer quantizer = switch (c.text("kind")) {
        case "tensorwise" -> Fp8Quantizer.tensorwise();
        case "rowwise" -> Fp8Quantizer.rowwise();
        case "blockwise_128x128" -> Fp8Quantizer.blockwise(128, 128);
        default -> throw new IllegalStateException("unknown FP8 kind " + c.text("kind"));
      };
      Fp8Weights q = quantizer.quantize(w);
      GoldenAssert.bytes(c, "data", c.bytes("data"), q.data(), i -> element(w, i));
      GoldenAssert.floats(c, "scales", c.floats("scales"), q.scales(), i -> "scale group " + i);
    }));
  }

  /** Random rows with an all-zero row, rows whose w/scale lands on .5 ties, and division-sensitive rows. */
  @TestFactory
  Stream<DynamicTest> int8EqualsRoundOfDivisionByAbsmaxOver127() {
    List<Case> cases = GoldenFile.cases("quant_int8.txt.gz");
    assertEquals(3, cases.size(), "INT8 cases");
    return cases.stream().map(c -> dynamicTest(c.name(), () -> {
      FloatMatrix w = matrix(c);
      Int8Weights q = new Int8Quantizer().quantize(w);
      GoldenAssert.bytes(c, "data", c.bytes("data"), q.data(), i -> element(w, i));
      GoldenAssert.floats(c, "scales", c.floats("scales"), q.scales(), i -> "row " + i);
    }));
  }

  /** Shapes (128, 4), (256, 8), (300, 7) and (5, 3), zero padding included; and back again. */
  @TestFactory
  Stream<DynamicTest> swizzleEqualsTorchaoToBlocked() {
    List<Case> cases = GoldenFile.cases("swizzle_128x4.txt");
    assertEquals(4, cases.size(), "swizzle cases");
    return cases.stream().map(c -> dynamicTest(c.name(), () -> {
      int rows = c.integer("rows");
      int cols = c.integer("cols");
      byte[] scales = c.bytes("scales");
      byte[] swizzled = ScaleSwizzle.interleave(scales, rows, cols);
      GoldenAssert.bytes(c, "swizzled", c.bytes("swizzled"), swizzled, i -> "offset " + i);
      assertArrayEquals(scales, ScaleSwizzle.deinterleave(swizzled, rows, cols), c.name() + ": deinterleave");
    }));
  }

  // ----------------------------------------------------------------------------------------------- helpers

  private static FloatMatrix matrix(Case c) {
    return new FloatMatrix(c.name(), c.integer("rows"), c.integer("cols"), c.floats("w"));
  }

  /** The input element at flat index {@code i}. */
  private static String element(FloatMatrix w, int i) {
    return "w[" + i / w.cols() + ", " + i % w.cols() + "] = " + describe(w.values()[i]);
  }

  /** The two input elements behind packed byte {@code i}. */
  private static String nibblePair(FloatMatrix w, int i, int packedCols) {
    int row = i / packedCols;
    int col = 2 * (i % packedCols);
    String low = "w[" + row + ", " + col + "] = " + describe(w.get(row, col));
    return col + 1 < w.cols() ? low + ", high " + describe(w.get(row, col + 1)) : low;
  }

  /** The block behind scale {@code i}, with its amax. */
  private static String block(FloatMatrix w, int i, int scaleCols, int size) {
    int row = i / scaleCols;
    int start = (i % scaleCols) * size;
    int end = Math.min(w.cols(), start + size);
    float amax = 0.0f;
    for (int col = start; col < end; col++) {
      amax = Math.max(amax, Math.abs(w.get(row, col)));
    }
    return "row " + row + ", columns " + start + ".." + (end - 1) + ", amax " + describe(amax);
  }
}
