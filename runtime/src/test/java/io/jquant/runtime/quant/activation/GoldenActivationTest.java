package io.jquant.runtime.quant.activation;

import static io.jquant.runtime.golden.GoldenFile.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.jquant.runtime.golden.GoldenAssert;
import io.jquant.runtime.golden.GoldenFile;
import io.jquant.runtime.golden.GoldenFile.Case;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The activation quantizers against golden outputs that {@code make_golden_vectors.py} computes with torch
 * float32 operations in the documented order: FP8 static (a division by input_scale), FP8 dynamic per token
 * and per 1x128 block with and without {@code activation_scale_ub}, INT8 per token, NVFP4 static and dynamic
 * (MAX's kernel, docs/FORMATS.md §2.3) and MXFP4 / MXFP8 with RCEIL and EVEN. Codes, scale codes, every
 * float32 scale bit and NVFP4's global scale must match. The matrices hold outliers, all-zero rows and
 * blocks, K not a multiple of the block (40, 300), exact ties, and elements next to ties where multiplying by
 * the inverse scale and dividing by the scale round apart.
 */
class GoldenActivationTest {

  @TestFactory
  Stream<DynamicTest> activationsEqualTorchFormulas() {
    List<Case> cases = GoldenFile.cases("quant_activations.txt.gz");
    assertEquals(60, cases.size(), "activation cases");
    return cases.stream().map(c -> dynamicTest(c.name(), () -> {
      FloatMatrix x = new FloatMatrix(c.name(), c.integer("rows"), c.integer("cols"), c.floats("x"));
      QuantizedActivations q = quantizer(c).quantize(x);
      IntFunction<String> where = q.format().packed()
          ? i -> nibblePair(x, i, q.codeBytesPerRow())
          : i -> element(x, i);
      GoldenAssert.bytes(c, "codes", c.bytes("codes"), q.codes(), where);
      IntFunction<String> group = i -> "group " + i + " of " + q.scaleRows() + " x " + q.scaleCols();
      GoldenAssert.floats(c, "scales", c.floats("scales"), q.scales(), group);
      if (q.format().scaleEncoding() == ActivationFormat.ScaleEncoding.FLOAT32) {
        assertEquals(0, q.scaleCodes().length, c.name() + ": float32 scales have no codes");
      } else {
        GoldenAssert.bytes(c, "scale_codes", c.bytes("scale_codes"), q.scaleCodes(), group);
      }
      float[] global = c.text("kind").startsWith("nvfp4") ? c.floats("global_scale") : new float[] { 1.0f };
      GoldenAssert.floats(c, "global_scale", global, new float[] { q.globalScale() }, i -> "tensor");
    }));
  }

  private static ActivationQuantizer quantizer(Case c) {
    return switch (c.text("kind")) {
      case "fp8_static" -> ActivationQuantizer.fp8Static(GoldenFile.floatBits(c.text("input_scale")));
      case "fp8_per_token" -> ActivationQuantizer.fp8DynamicPerToken(upperBound(c));
      case "fp8_block128" ->
        ActivationQuantizer.fp8DynamicBlocks(ActivationQuantizer.FP8_BLOCK, upperBound(c));
      case "int8_per_token" -> ActivationQuantizer.int8PerToken();
      case "nvfp4_static" -> ActivationQuantizer.nvfp4Static(GoldenFile.floatBits(c.text("input_scale")));
      case "nvfp4_dynamic" -> ActivationQuantizer.nvfp4Dynamic();
      case "mx" -> ActivationQuantizer.mx(
          MxElement.valueOf(c.text("element")), MxScaleMode.valueOf(c.text("mode")));
      default -> throw new IllegalStateException("unknown activation kind " + c.text("kind"));
    };
  }

  private static Float upperBound(Case c) {
    String ub = c.text("ub");
    return ub.equals("none") ? null : GoldenFile.floatBits(ub);
  }

  private static String element(FloatMatrix x, int i) {
    return "x[" + i / x.cols() + ", " + i % x.cols() + "] = " + describe(x.values()[i]);
  }

  private static String nibblePair(FloatMatrix x, int i, int packedCols) {
    int row = i / packedCols;
    int col = 2 * (i % packedCols);
    String low = "x[" + row + ", " + col + "] = " + describe(x.get(row, col));
    return col + 1 < x.cols() ? low + ", high " + describe(x.get(row, col + 1)) : low;
  }
}
