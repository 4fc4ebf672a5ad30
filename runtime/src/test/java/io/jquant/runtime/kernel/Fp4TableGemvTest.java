package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.Linear;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.quant.activation.QuantizedActivations;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exact W4A4 table GEMV of {@link Nvfp4Linear} and {@link Mxfp4Linear}: chosen exactly where its
 * arithmetic is exact, the bits of an independent scalar computation of that arithmetic (each block's
 * {@code Σ (2·E2M1 w)·(2·E2M1 x)} in a long, then one FMA per block with the weight block's float32 scale
 * times the activation block's), and within the float32 bound of the format's reference (dequantized weight
 * times dequantized activations), for row counts off the 64-row groups, on 1 and 2 threads.
 */
class Fp4TableGemvTest {
  private static final int[][] SHAPES = { { 1, 64 }, { 100, 160 }, { 64, 1024 }, { 130, 96 } };

  private static ActivationQuantizer quantizer(Fp4LinearTest.Format format) {
    return format == Fp4LinearTest.Format.NVFP4 ? ActivationQuantizer.nvfp4Dynamic()
        : ActivationQuantizer.mx(MxElement.FP4_E2M1, MxScaleMode.RCEIL);
  }

  /** The weight block scale as the kernel must use it: NVFP4's E4M3 times the global scale, or E8M0. */
  private static float weightScale(QuantizedWeights w, int row, int block) {
    return switch (w) {
      case Nvfp4Weights nv -> Fp4Codes.E4M3[nv.toModelopt().blockScales()[row * (nv.cols() / 16) + block]
          & 0xFF] * nv.toModelopt().globalScale();
      case MxWeights mx -> Fp4Codes.E8M0_VALUES[mx.scales()[row * (mx.cols() / 32) + block] & 0xFF];
      default -> throw new IllegalArgumentException(w.toString());
    };
  }

  private static int code(byte[] packed, int index) {
    return (packed[index / 2] >>> (4 * (index % 2))) & 0xF;
  }

  /** The table kernel's arithmetic in scalar code, from the weight's codes and the quantizer's output. */
  private static float[] exactTableReference(QuantizedWeights w, byte[] weightCodes, QuantizedActivations q,
      boolean mx) {
    int n = w.rows();
    int k = w.cols();
    int block = mx ? 32 : 16;
    float[] y = new float[q.rows() * n];
    for (int r = 0; r < q.rows(); r++) {
      for (int j = 0; j < n; j++) {
        float sum = 0;
        for (int b = 0; b < k / block; b++) {
          long products = 0;
          for (int e = b * block; e < (b + 1) * block; e++) {
            products += (long) (2 * Fp4Codes.E2M1[code(weightCodes, j * k + e)])
                * (long) (2 * Fp4Codes.E2M1[code(q.codes(), r * k + e)]);
          }
          float xScale = mx ? q.scale(r, b) : q.scale(r, b) * q.globalScale();
          sum = Math.fma((float) products, weightScale(w, j, b) * (xScale * 0.25f), sum);
        }
        y[r * n + j] = sum;
      }
    }
    return y;
  }

  private static byte[] codes(QuantizedWeights w) {
    return w instanceof Nvfp4Weights nv ? nv.toModelopt().packed() : ((MxWeights) w).data();
  }

  @ParameterizedTest
  @EnumSource(Fp4LinearTest.Format.class)
  void w4a4RowsGiveTheExactBlockSumsScaledOnceAndStayWithinTheReferenceBound(Fp4LinearTest.Format format) {
    ActivationQuantizer quantizer = quantizer(format);
    Random random = new Random(61);
    try (KernelThreads two = KernelThreads.create(2)) {
      for (int[] shape : SHAPES) {
        int n = shape[0];
        int k = shape[1];
        QuantizedWeights w = format.quantize(n, k, n + k);
        Fp4Linear linear = (Fp4Linear) format.linear(w, InputActivations.quantized(quantizer), null);
        assertTrue(linear.tableGemv(), format + " " + n + "x" + k);
        for (int rows = 1; rows <= KernelPlan.FP4_TABLE_MAX_ROWS; rows++) {
          float[] x = KernelData8.gaussian(rows * k, random);
          String what = format + " " + n + "x" + k + " rows " + rows;
          float[] y = KernelData8.run(linear, x, rows, KernelThreads.single());
          QuantizedActivations q = quantizer.quantize(new FloatMatrix("x", rows, k, x));
          ReferenceMatmul8.assertSameBits(what,
              exactTableReference(w, codes(w), q, format == Fp4LinearTest.Format.MXFP4), y);
          ReferenceMatmul8.assertClose(what, w.dequantize(), q.dequantize().values(), rows, null, y);
          ReferenceMatmul8.assertSameBits(what + " on 2 threads", y, KernelData8.run(linear, x, rows, two));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fp4LinearTest.Format.class)
  void nanAndInfiniteActivationsGiveTheReferencesNan(Fp4LinearTest.Format format) {
    ActivationQuantizer quantizer = quantizer(format);
    int n = 70;
    int k = 128;
    QuantizedWeights w = format.quantize(n, k, 5);
    Linear linear = format.linear(w, InputActivations.quantized(quantizer), new float[n]);
    assertTrue(((Fp4Linear) linear).tableGemv());
    float[] x = KernelData8.withNonFinite(3, k, new Random(62));
    float[] y = KernelData8.run(linear, x, 3, KernelThreads.single());
    ReferenceMatmul8.assertClose(format + " non-finite x", w.dequantize(),
        ReferenceMatmul8.activations(quantizer, x, 3, k), 3, new float[n], y);
  }

  @Test
  void theKernelIsChosenOnlyForActivationsInTheWeightsOwnFormatAndScalesItDecodesExactly() {
    int k = 64;
    QuantizedWeights nv = Fp4LinearTest.Format.NVFP4.quantize(8, k, 1);
    QuantizedWeights mx = Fp4LinearTest.Format.MXFP4.quantize(8, k, 2);
    ActivationQuantizer nvInputs = ActivationQuantizer.nvfp4Dynamic();
    ActivationQuantizer mxInputs = ActivationQuantizer.mx(MxElement.FP4_E2M1, MxScaleMode.RCEIL);
    assertTrue(table(nv, InputActivations.quantized(nvInputs)), "NVFP4 W4A4");
    assertTrue(table(nv, InputActivations.quantized(ActivationQuantizer.nvfp4Static(0.02f))), "static input");
    assertTrue(table(mx, InputActivations.quantized(mxInputs)), "MXFP4 W4A4");
    assertFalse(table(nv, InputActivations.weightOnly()), "W4A16");
    assertFalse(table(nv, InputActivations.quantized(mxInputs)), "NVFP4 weights, MXFP4 inputs");
    assertFalse(table(mx, InputActivations.quantized(nvInputs)), "MXFP4 weights, NVFP4 inputs");
    assertFalse(table(nv, InputActivations.quantized(ActivationQuantizer.fp8DynamicPerToken(null))), "FP8");

    // One scale byte outside the exact shift decode keeps the whole layer on the float kernel; with a NaN
    // block scale that still gives the reference (NaN rows). MXFP4's 2^127 (code 254) is checked for the
    // choice only: its decoded weights overflow, where the float kernel's scaled block sums need not.
    for (Fp4LinearTest.Format format : Fp4LinearTest.Format.values()) {
      for (int badCode : format == Fp4LinearTest.Format.NVFP4 ? new int[] { 0x7F, 0xFF, 0x80 }
          : new int[] { 254, 255 }) {
        byte[] scales = new byte[8 * k / format.block];
        java.util.Arrays.fill(scales, (byte) (format == Fp4LinearTest.Format.NVFP4 ? 0x38 : 127));
        scales[3] = (byte) badCode;
        byte[] packed = new byte[8 * k / 2];
        new Random(badCode).nextBytes(packed);
        QuantizedWeights w = format.raw(8, k, packed, scales, 0.5f);
        ActivationQuantizer inputs = quantizer(format);
        Linear linear = format.linear(w, InputActivations.quantized(inputs), null);
        assertFalse(((Fp4Linear) linear).tableGemv(), format + " scale code " + badCode);
        if (badCode == 254) {
          continue;
        }
        float[] x = KernelData8.gaussian(2 * k, new Random(7));
        ReferenceMatmul8.assertClose(format + " scale code " + badCode, w.dequantize(),
            ReferenceMatmul8.activations(inputs, x, 2, k), 2, null, KernelData8.run(linear, x, 2,
                KernelThreads.single()));
      }
    }
  }

  @Test
  void aTableLayerStreamsItsRepackedBytesPaddedToGroupsOf64Rows() {
    Linear nv = Nvfp4Linear.of("L", (Nvfp4Weights) Fp4LinearTest.Format.NVFP4.quantize(3, 48, 1),
        InputActivations.quantized(ActivationQuantizer.nvfp4Dynamic()), null);
    assertTrue(((Fp4Linear) nv).tableGemv());
    assertEquals(64 * 24 + 64 * 3, nv.weightBytes(), "codes and E4M3 scales of one 64-row group");
    Linear mx = Mxfp4Linear.of("L", (MxWeights) Fp4LinearTest.Format.MXFP4.quantize(130, 64, 1),
        InputActivations.quantized(quantizer(Fp4LinearTest.Format.MXFP4)), null);
    assertEquals(3 * (64 * 32 + 64 * 2), mx.weightBytes(), "three groups for 130 rows");
  }

  @Test
  void thePropertyKeepsALayerOnTheFloatKernel() {
    QuantizedWeights nv = Fp4LinearTest.Format.NVFP4.quantize(8, 64, 1);
    System.setProperty(KernelPlan.FP4_TABLE_PROPERTY, "false");
    try {
      assertFalse(table(nv, InputActivations.quantized(ActivationQuantizer.nvfp4Dynamic())));
    } finally {
      System.clearProperty(KernelPlan.FP4_TABLE_PROPERTY);
    }
    assertTrue(table(nv, InputActivations.quantized(ActivationQuantizer.nvfp4Dynamic())));
  }

  @Test
  void fusedGateAndUpGiveTheBitsOfSeparateForwards() {
    Random random = new Random(63);
    int out = 96;
    int in = 160;
    ActivationQuantizer quantizer = ActivationQuantizer.nvfp4Dynamic();
    InputActivations activations = InputActivations.quantized(quantizer);
    Fp4Linear gate = (Fp4Linear) Fp4LinearTest.Format.NVFP4.linear(
        Fp4LinearTest.Format.NVFP4.quantize(out, in, 1), activations, null);
    Fp4Linear up = (Fp4Linear) Fp4LinearTest.Format.NVFP4.linear(
        Fp4LinearTest.Format.NVFP4.quantize(out, in, 2), activations, null);
    assertTrue(gate.tableGemv() && up.tableGemv() && gate.sharesPrepareWith(up));
    try (KernelThreads two = KernelThreads.create(2)) {
      GateUpLinear fused = GateUpLinear.create(gate, up);
      for (int rows : List.of(1, KernelPlan.FP4_TABLE_MAX_ROWS, KernelPlan.FP4_TABLE_MAX_ROWS + 1)) {
        float[] x = KernelData8.gaussian(rows * in, random);
        float[] gy = KernelData8.run(gate, x, rows, KernelThreads.single());
        float[] uy = KernelData8.run(up, x, rows, KernelThreads.single());
        float[] expected = new float[rows * out];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = GateUpLinear.silu(gy[i]) * uy[i];
        }
        float[] y = new float[rows * out];
        fused.forward(x, y, rows, two);
        ReferenceMatmul8.assertSameBits("rows " + rows, expected, y);
      }
    }
  }

  private static boolean table(QuantizedWeights w, InputActivations activations) {
    Linear linear = w instanceof Nvfp4Weights nv ? Nvfp4Linear.of("L", nv, activations, null)
        : Mxfp4Linear.of("L", (MxWeights) w, activations, null);
    return ((Fp4Linear) linear).tableGemv();
  }
}
