package io.jquant.runtime.kernel;

import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.numerics.VectorSupport;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.Int8Quantizer;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Which loop each kernel family's layer actually prepares its rows for, read off what {@code prepare} returns
 * (not from {@link KernelPlan}): a first line {@code cpu VECTOR_API FLOAT_LANES SHORT_LANES INT_LANES}, then
 * one line {@code FAMILY ROWS LOOP} per family and row count. Run by {@link KernelPlanTest} in this JVM and
 * in child JVMs on AVX2 and without the Vector API module.
 */
public final class KernelPlanMain {
  /** Each threshold's boundary: just below, at and just above. */
  static final int[] ROWS = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 24, 25, 64 };
  private static final int N = 48;
  private static final int K = 256;

  private KernelPlanMain() {}

  public static void main(String[] args) {
    for (String line : run()) {
      System.out.println(line);
    }
  }

  /** The lines. */
  static List<String> run() {
    boolean vectorApi = VectorSupport.available();
    List<String> lines = new ArrayList<>();
    lines.add(vectorApi
        ? "cpu true " + GemmLanes.LENGTH + " " + I8DotLanes.LENGTH + " " + Fp4Lanes.L
        : "cpu false 0 0 0");
    FloatMatrix weight = weight();
    add(lines, KernelPlan.Kernel.FLOAT, new Fp32Linear(weight.values(), null, N, K).kernel());
    for (FormatPreset preset : FormatPreset.values()) {
      QuantizedWeights weights = preset.weightQuantizer(MxScaleMode.RCEIL).quantize(weight);
      InputActivations activations = InputActivations.quantized(
          ActivationQuantizer.forConfig(preset.builder().build(), null));
      add(lines, KernelPlan.kernel(preset), (PackedLinear) Kernels.linear("L", weights, activations, null));
    }
    add(lines, KernelPlan.Kernel.FP4, (PackedLinear) Kernels.linear("L",
        FormatPreset.NVFP4.weightQuantizer(MxScaleMode.RCEIL).quantize(weight), InputActivations.weightOnly(),
        null));
    add(lines, KernelPlan.Kernel.INT8_FLOAT, (PackedLinear) Kernels.linear("L",
        new Int8Quantizer().quantize(weight), InputActivations.weightOnly(), null));
    return lines;
  }

  private static void add(List<String> lines, KernelPlan.Kernel kernel, PackedLinear layer) {
    for (int rows : ROWS) {
      Object prepared = layer.prepare(new float[rows * K], rows);
      lines.add(kernel + " " + rows + " " + loop(kernel, prepared));
    }
  }

  /** The loop a prepared input is for, from the lane classes' own checks where the input does not say. */
  private static KernelPlan.Loop loop(KernelPlan.Kernel kernel, Object prepared) {
    boolean vectorApi = VectorSupport.available();
    return switch (prepared) {
      case Fp4TableRows codes -> KernelPlan.Loop.FP4_TABLE_GEMV;
      case Int8Rows codes ->
        codes.wideCodes() != null ? KernelPlan.Loop.INT8_DOT_WIDE : KernelPlan.Loop.INT8_DOT;
      case Fp4Kernel.GemvInput input -> input.permuted() ? KernelPlan.Loop.VECTOR_GEMV
          : KernelPlan.Loop.SCALAR_GEMV;
      case PanelGemm.Packed packed -> packed.rowDots ? KernelPlan.Loop.ROW_DOTS
          : vectorApi && GemmLanes.enabled() ? KernelPlan.Loop.PANEL_TILES : KernelPlan.Loop.SCALAR_PANELS;
      case float[] x -> (kernel == KernelPlan.Kernel.FLOAT ? vectorApi && GemmLanes.enabled()
          : vectorApi && KernelLanes.enabled()) ? KernelPlan.Loop.VECTOR_GEMV : KernelPlan.Loop.SCALAR_GEMV;
      default -> throw new IllegalStateException("prepared " + prepared.getClass());
    };
  }

  private static FloatMatrix weight() {
    Random random = new Random(14);
    float[] values = new float[N * K];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 0.02f;
    }
    return new FloatMatrix("w", N, K, values);
  }
}
