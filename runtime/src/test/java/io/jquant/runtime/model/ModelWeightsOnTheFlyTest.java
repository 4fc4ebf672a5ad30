package io.jquant.runtime.model;

import static io.jquant.runtime.model.TestTensors.f32;
import static io.jquant.runtime.model.TestTensors.forward;
import static io.jquant.runtime.model.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jquant.annotations.DType;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.GateUpLinear;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.kernel.Kernels;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Float checkpoints quantized at load: the kernels a quantizer's output gives, and K padded to a block. */
class ModelWeightsOnTheFlyTest {
  private static final ModelLayout LAYOUT = new ModelLayout(2, "model.layers.{layer}");
  private static final String MODULE = "model.layers.1.mlp.down_proj";

  /** A config and the activation quantizer the loader is expected to give its layers. */
  private record Case(String label, QuantConfig config, ActivationQuantizer activations) {}

  private static QuantConfig.Builder all(QuantFormat format) {
    return QuantConfig.builder(format).allLayers(2);
  }

  private static List<Case> cases() {
    QuantConfig nvfp4Static = all(QuantFormat.NVFP4).build();
    QuantConfig nvfp4Dynamic = all(QuantFormat.NVFP4)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16)).build();
    QuantConfig fbgemm = all(QuantFormat.FBGEMM_FP8).build();
    QuantConfig fp8Tensor = all(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.DYNAMIC, DType.FLOAT32))
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32)).build();
    QuantConfig ctFp8Static = all(QuantFormat.COMPRESSED_TENSORS_FP8)
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.STATIC, DType.FLOAT32))
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32)).build();
    QuantConfig block = all(QuantFormat.BLOCKSCALED_FP8)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 128))
        .weightScale(WeightScaleSpec.block(DType.FLOAT32, 128, 128)).build();
    return List.of(
        // A STATIC NVFP4 spec with no input_scale: a per-call tensor scale (the loader's documented choice).
        new Case("nvfp4 static", nvfp4Static, ActivationQuantizer.nvfp4Dynamic()),
        new Case("nvfp4 dynamic", nvfp4Dynamic, ActivationQuantizer.nvfp4Dynamic()),
        new Case("mxfp4", all(QuantFormat.MXFP4).build(),
            ActivationQuantizer.mx(MxElement.FP4_E2M1, MxScaleMode.RCEIL)),
        new Case("mxfp8", all(QuantFormat.MXFP8).build(),
            ActivationQuantizer.mx(MxElement.FP8_E4M3, MxScaleMode.RCEIL)),
        new Case("fbgemm rowwise", fbgemm, ActivationQuantizer.forConfig(fbgemm, null)),
        new Case("fp8 tensor", fp8Tensor, ActivationQuantizer.fp8DynamicPerTensor(null)),
        // A STATIC FP8 tensor spec with no input_scale: one dynamic scale per call for the tensor.
        new Case("ct fp8 static", ctFp8Static, ActivationQuantizer.fp8DynamicPerTensor(null)),
        new Case("fp8 block", block, ActivationQuantizer.fp8DynamicBlocks(128, null)),
        new Case("int8", all(QuantFormat.INT8_W8A8).build(), ActivationQuantizer.int8PerToken()));
  }

  @Test
  void everyFormatEqualsTheKernelOfItsQuantizersOutputBitForBit() {
    Random random = new Random(7);
    int out = 40;
    int in = 160;
    float[] w = random(random, out * in);
    float[] bias = random(random, out);
    TensorSource source = TensorSource.of("mem", List.of(f32(MODULE + ".weight", w, out, in),
        f32(MODULE + ".bias", bias, out)));
    for (Case c : cases()) {
      ModelWeights weights = ModelWeights.of(source, LAYOUT, c.config());
      Linear loaded = weights.projection(Role.MLP, ProjectionKind.DOWN, 1, "mlp.down_proj");
      QuantizedWeights q = WeightQuantizer.forConfig(c.config()).quantize(
          new FloatMatrix(MODULE + ".weight", out, in, w.clone()));
      Linear expected = Kernels.linear(MODULE, q, InputActivations.quantized(c.activations()), bias);
      assertEquals(expected.getClass(), loaded.getClass(), c.label());
      assertEquals(in, loaded.inFeatures(), c.label());
      for (int rows : new int[] { 1, 3, 17 }) {
        float[] x = random(random, rows * in);
        assertArrayEquals(forward(expected, x, rows), forward(loaded, x, rows), c.label() + " rows " + rows);
      }
    }
  }

  @Test
  void aKOffTheBlockIsPaddedWithZerosAndTheLayerTakesTheTrueK() {
    Random random = new Random(11);
    int out = 24;
    int in = 172;
    float[] w = random(random, out * in);
    w[5 * in + 171] = 9.0f; // the absmax sits in a short last block
    float[] bias = random(random, out);
    TensorSource source = TensorSource.of("mem", List.of(f32(MODULE + ".weight", w, out, in),
        f32(MODULE + ".bias", bias, out)));
    for (Case c : cases().subList(0, 4)) {
      Linear loaded = ModelWeights.of(source, LAYOUT, c.config())
          .projection(Role.MLP, ProjectionKind.DOWN, 1, "mlp.down_proj");
      assertEquals(172, loaded.inFeatures(), c.label());
      assertEquals(out, loaded.outFeatures(), c.label());
      PaddedLinear padded = assertInstanceOf(PaddedLinear.class, loaded, c.label());
      int wide = padded.kernel().inFeatures();
      assertEquals(c.config().format() == QuantFormat.NVFP4 ? 176 : 192, wide, c.label());
      // The reference: the dequantized padded weight times the dequantized padded input, in double.
      float[] wq = WeightQuantizer.forConfig(c.config())
          .quantize(OnTheFly.pad(new FloatMatrix("w", out, in, w), wide)).dequantize().values();
      for (int r = 0; r < out; r++) {
        for (int k = in; k < wide; k++) {
          assertEquals(0, Float.floatToRawIntBits(wq[r * wide + k]),
              c.label() + " padding dequantizes to +0");
        }
      }
      for (int rows : new int[] { 1, 4, 12 }) {
        float[] x = random(random, rows * in);
        float[] xPadded = OnTheFly.pad(new FloatMatrix("x", rows, in, x), wide).values();
        float[] xq = c.activations().quantize(new FloatMatrix("x", rows, wide, xPadded)).dequantize()
            .values();
        float[] y = forward(loaded, x, rows);
        assertArrayEquals(forward(padded.kernel(), xPadded, rows), y, c.label() + " rows " + rows);
        check(c.label() + " rows " + rows, wq, bias, xq, rows, out, wide, y);
        // A second call reuses the padded buffer: same input, same bits.
        assertArrayEquals(y, forward(loaded, x, rows), c.label() + " again");
      }
    }
  }

  /** y against Σ x·w + bias in double within (K + 2)·2^-24·Σ|x·w| (the kernel tests' bound). */
  private static void check(String what, float[] w, float[] bias, float[] x, int rows, int out, int in,
      float[] y) {
    for (int r = 0; r < rows; r++) {
      for (int n = 0; n < out; n++) {
        double sum = bias[n];
        double magnitude = Math.abs(bias[n]);
        for (int k = 0; k < in; k++) {
          double p = (double) x[r * in + k] * w[n * in + k];
          sum += p;
          magnitude += Math.abs(p);
        }
        double tolerance = (in + 2) * 0x1p-24 * magnitude;
        if (!(Math.abs(y[r * out + n] - sum) <= tolerance)) {
          fail(what + ": y[" + r + "][" + n + "] = " + y[r * out + n] + ", expected " + sum + " within "
              + tolerance);
        }
      }
    }
  }

  @Test
  void fusedMlpGateAndUpGiveTheBitsOfSeparateForwards() {
    Random random = new Random(5);
    int out = 48;
    int in = 64;
    List<io.jquant.runtime.tensor.TensorView> tensors = new ArrayList<>();
    for (String p : List.of("gate_proj", "up_proj")) {
      tensors.add(f32("model.layers.0.mlp." + p + ".weight", random(random, out * in), out, in));
    }
    tensors.add(f32("model.layers.0.mlp.gate_proj.bias", random(random, out), out));
    TensorSource source = TensorSource.of("mem", tensors);
    List<String> fusedFormats = new ArrayList<>();
    for (Case c : cases()) {
      if (c.config().isMxfp4()) {
        continue; // MAX never fuses MXFP4 gate and up: the config refuses the flag
      }
      fusedFormats.add(c.label());
      QuantConfig config = c.config().toBuilder().canUseFusedMlp(true).build();
      ModelWeights weights = ModelWeights.of(source, LAYOUT, config);
      Linear gate = weights.projection(Role.MLP, ProjectionKind.GATE, 0, "mlp.gate_proj");
      Linear up = weights.projection(Role.MLP, ProjectionKind.UP, 0, "mlp.up_proj");
      assertSame(activations(gate), activations(up), c.label() + ": gate and up share one input quantizer");
      Linear otherGate = ModelWeights.of(source, LAYOUT, config)
          .projection(Role.MLP, ProjectionKind.GATE, 0, "mlp.gate_proj");
      assertNotSame(activations(gate), activations(otherGate), c.label() + ": not across loaders");
      GateUpLinear fused = GateUpLinear.create(gate, up);
      for (int rows : new int[] { 1, 9 }) {
        float[] x = random(random, rows * in);
        float[] g = forward(gate, x, rows);
        float[] u = forward(up, x, rows);
        float[] expected = new float[rows * out];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = g[i] / (1f + (float) Math.exp(-g[i])) * u[i];
        }
        assertArrayEquals(expected, forward(fused, x, rows), c.label() + " rows " + rows);
      }
    }
    assertEquals(cases().size() - 1, fusedFormats.size());
  }

  /**
   * The kernel's InputActivations (declared package-private by the kernel package's PackedLinear, a
   * superclass of every kernel layer; read here to prove the sharing).
   */
  private static Object activations(Linear linear) {
    try {
      Class<?> packed = Class.forName("io.jquant.runtime.kernel.PackedLinear");
      Method method = packed.getDeclaredMethod("activations");
      method.setAccessible(true);
      return method.invoke(linear);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aNonFiniteWeightIsRefusedNamingTheTensorAndElement() {
    float[] w = new float[4 * 32];
    w[2 * 32 + 7] = Float.NaN;
    TensorSource source = TensorSource.of("mem", List.of(f32(MODULE + ".weight", w, 4, 32)));
    ModelWeights weights = ModelWeights.of(source, LAYOUT, all(QuantFormat.MXFP8).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> weights.projection(Role.MLP, ProjectionKind.DOWN, 1, "mlp.down_proj"));
    assertEquals(
        "tensor model.layers.1.mlp.down_proj.weight: element [2, 7] (index 71) is NaN; weights must be"
            + " finite to be quantized",
        e.getMessage());
    assertTrue(weights.isQuantized(Role.MLP, 1));
  }
}
