package io.jquant.runtime.model;

import static io.jquant.runtime.model.TestTensors.bf16;
import static io.jquant.runtime.model.TestTensors.f16;
import static io.jquant.runtime.model.TestTensors.f32;
import static io.jquant.runtime.model.TestTensors.forward;
import static io.jquant.runtime.model.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.DType;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.config.QuantConfig;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.Bf16Linear;
import io.jquant.runtime.kernel.Fp32Linear;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.numerics.Fp16;
import io.jquant.runtime.tensor.TensorView;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unquantized projections, biases, float tensors, embedding rounding and the loader's error messages. */
class ModelWeightsFloatTest {
  private static final ModelLayout LAYOUT = new ModelLayout(2, "model.layers.{layer}");
  private static final int OUT = 24;
  private static final int IN = 40;

  @TempDir
  Path dir;

  @Test
  void f32Bf16AndF16WeightsRunOnTheFloatKernelsBitForBit() throws Exception {
    Random random = new Random(1);
    float[] q = random(random, OUT * IN);
    float[] k = random(random, OUT * IN);
    float[] v = random(random, OUT * IN);
    float[] qBias = random(random, OUT);
    float[] kBias = random(random, OUT);
    List<TensorView> tensors = List.of(
        f32("model.layers.1.self_attn.q_proj.weight", q, OUT, IN),
        f32("model.layers.1.self_attn.q_proj.bias", qBias, OUT),
        bf16("model.layers.1.self_attn.k_proj.weight", k, OUT, IN),
        bf16("model.layers.1.self_attn.k_proj.bias", kBias, OUT),
        f16("model.layers.1.self_attn.v_proj.weight", v, OUT, IN));
    TestTensors.checkpoint(dir, tensors, "{\"num_hidden_layers\": 2}");
    try (ModelWeights weights = ModelWeights.open(dir, LAYOUT, null)) {
      assertTrue(weights.config().isEmpty());
      assertFalse(weights.isQuantized(Role.ATTENTION, 1));
      Linear fq = weights.projection(Role.ATTENTION, ProjectionKind.Q, 1, "self_attn.q_proj");
      Linear fk = weights.projection(Role.ATTENTION, ProjectionKind.K, 1, "self_attn.k_proj");
      Linear fv = weights.projection(Role.ATTENTION, ProjectionKind.V, 1, "self_attn.v_proj");
      assertInstanceOf(Fp32Linear.class, fq);
      assertInstanceOf(Bf16Linear.class, fk);
      assertInstanceOf(Fp32Linear.class, fv);
      assertEquals("model.layers.1.self_attn.q_proj", fq.name());
      // References built from the same values, independently of the checkpoint.
      float[] kBiasBf16 = weights.floats("model.layers.1.self_attn.k_proj.bias");
      Linear rq = new Fp32Linear(q, qBias, OUT, IN);
      Linear rk = Bf16Linear.create("k", bf16("k", k, OUT, IN), kBiasBf16);
      float[] vWidened = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        vWidened[i] = Fp16.decode(Fp16.encode(v[i]));
      }
      Linear rv = new Fp32Linear(vWidened, null, OUT, IN);
      for (int rows : new int[] { 1, 5 }) {
        float[] x = random(random, rows * IN);
        assertArrayEquals(forward(rq, x, rows), forward(fq, x, rows), "q rows " + rows);
        assertArrayEquals(forward(rk, x, rows), forward(fk, x, rows), "k rows " + rows);
        assertArrayEquals(forward(rv, x, rows), forward(fv, x, rows), "v rows " + rows);
      }
    }
  }

  @Test
  void floatsWidenF32Bf16AndF16ExactlyAndRefuseOtherDtypesNamingTheTensor() {
    float[] values = { 1.0f, -0.1f, 3.0e-5f, 65504f };
    TensorSource source = TensorSource.of("mem", List.of(
        f32("a", values, 4), bf16("b", values, 2, 2), f16("c", values, 4),
        TestTensors.bytes("d", StorageDType.I8, new byte[] { 1, 2 }, 2)));
    ModelWeights weights = ModelWeights.of(source, LAYOUT, null);
    assertArrayEquals(values, weights.floats("a"));
    assertArrayEquals(new float[] { 1.0f, Bf16.decode(Bf16.encode(-0.1f)), Bf16.decode(Bf16.encode(3.0e-5f)),
        65536f }, weights.floats("b"));
    assertArrayEquals(new float[] { 1.0f, -0.0999755859375f, 2.9981136322021484e-5f, 65504f },
        weights.floats("c"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> weights.floats("d"));
    assertEquals("mem: tensor d is I8 [2]; only F32, BF16 and F16 tensors read as float32", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> weights.floats("e"));
    assertEquals("mem: no tensor 'e'", e.getMessage());
    assertEquals(StorageDType.I8, weights.tensor("d").dtype());
  }

  @Test
  void biasValuesAreRoundedToTheConfigsBf16ThenAddedInFloat32() {
    // A zero weight makes y the bias exactly; the layer is left unquantized so the float kernel runs.
    float[] bias = { 1.00390625f, 1.01171875f, 0.1f, -3.0f, 1.0e-3f, 65519f };
    int out = bias.length;
    TensorSource source = TensorSource.of("mem", List.of(
        f32("model.layers.0.mlp.down_proj.weight", new float[out * 32], out, 32),
        f32("model.layers.0.mlp.down_proj.bias", bias, out)));
    QuantConfig config = QuantConfig.builder(QuantFormat.NVFP4).attnQuantizedLayers(0, 1)
        .biasDtype(DType.BFLOAT16).build();
    ModelWeights weights = ModelWeights.of(source, LAYOUT, config);
    Linear down = weights.projection(Role.MLP, ProjectionKind.DOWN, 0, "mlp.down_proj");
    float[] y = forward(down, random(new Random(3), 32), 1);
    // ml_dtypes: 1 + 2^-8 ties to 1; 1 + 3·2^-8 ties to even 1 + 2^-6; 0.1 -> 0x3DCD; 65519 -> 65536.
    assertArrayEquals(new float[] { 1.0f, 1.015625f, 0.10009765625f, -3.0f, 0.00099945068359375f, 65536f },
        y);
    QuantConfig fp16 = config.toBuilder().biasDtype(DType.FLOAT16).build();
    Linear down16 = ModelWeights.of(source, LAYOUT, fp16)
        .projection(Role.MLP, ProjectionKind.DOWN, 0, "mlp.down_proj");
    assertArrayEquals(new float[] { 1.00390625f, 1.01171875f, 0.0999755859375f, -3.0f, 0.0010004043579101562f,
        65504f }, forward(down16, new float[32], 1));
  }

  @Test
  void embeddingOutputIsRoundedToTheConfigsDtypeWithinTheRangeOnly() {
    TensorSource source = TensorSource.of("mem", List.of());
    float[] values = { 0.1f, 1.00390625f, 3.14159265f, -1.0e-8f };
    QuantConfig bf16 = QuantConfig.builder(QuantFormat.NVFP4).allLayers(2)
        .embeddingOutputDtype(DType.BFLOAT16)
        .build();
    float[] rounded = values.clone();
    ModelWeights.of(source, LAYOUT, bf16).roundEmbeddingOutput(rounded, 1, 4);
    assertArrayEquals(new int[] { 0x3DCCCCCD, 0x3F800000, 0x40490000, 0xB22C0000 }, bits(rounded));
    float[] half = values.clone();
    ModelWeights.of(source, LAYOUT, bf16.toBuilder().embeddingOutputDtype(DType.FLOAT16).build())
        .roundEmbeddingOutput(half, 0, 4);
    // fp16: 0.1 -> 0x2E66, 1+2^-8 -> 1+2^-8 (exact), pi -> 0x4248, -1e-8 -> -0 (below half the least
    // subnormal).
    assertArrayEquals(new int[] { 0x3DCCC000, 0x3F808000, 0x40490000, 0x80000000 }, bits(half));
    float[] same = values.clone();
    ModelWeights.of(source, LAYOUT, null).roundEmbeddingOutput(same, 0, 4);
    ModelWeights.of(source, LAYOUT, bf16.toBuilder().embeddingOutputDtype(DType.FLOAT32).build())
        .roundEmbeddingOutput(same, 0, 4);
    assertArrayEquals(bits(values), bits(same));
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  @Test
  void missingTensorAndWrongBiasShapeAreNamedWithTheSource() {
    TensorSource source = TensorSource.of("weights.onnx", List.of(
        f32("model.layers.0.mlp.up_proj.weight", new float[4 * 8], 4, 8),
        f32("model.layers.0.mlp.up_proj.bias", new float[3], 3)));
    ModelWeights weights = ModelWeights.of(source, LAYOUT, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> weights.projection(Role.MLP, ProjectionKind.GATE, 0, "mlp.gate_proj"));
    assertEquals("weights.onnx: no tensor 'model.layers.0.mlp.gate_proj.weight'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> weights.projection(Role.MLP, ProjectionKind.UP, 0, "mlp.up_proj"));
    assertEquals(
        "weights.onnx: tensor 'model.layers.0.mlp.up_proj.bias' has shape [3], expected [4] for weight"
            + " [4, 8]",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> weights.projection(Role.ATTENTION, ProjectionKind.UP, 0, "mlp.up_proj"));
    assertEquals("projection mlp.up_proj: UP is not a projection of ATTENTION", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> weights.isQuantized(Role.INFER, 0));
    assertEquals("role must be MLP or ATTENTION, got INFER", e.getMessage());
  }

  @Test
  void aQuantizedWeightOnALayerLeftUnquantizedIsRefusedNamingTheModule() {
    TensorSource source = TensorSource.of("mem", List.of(
        TestTensors.bytes("model.layers.0.mlp.up_proj.weight", StorageDType.I8, new byte[4 * 8], 4, 8),
        f32("model.layers.0.mlp.up_proj.weight_scale", new float[4], 4, 1)));
    ModelWeights weights = ModelWeights.of(source, LAYOUT, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> weights.projection(Role.MLP, ProjectionKind.UP, 0, "mlp.up_proj"));
    assertEquals(
        "mem: module model.layers.0.mlp.up_proj is stored quantized (weight I8 [4, 8], weight_scale F32"
            + " [4, 1]), but layer 0's MLP is not quantized (no QuantConfig)",
        e.getMessage());
  }

  @Test
  void closeUnmapsWhatOpenOpenedAndOfLeavesTheSourceOpen() throws Exception {
    TestTensors.checkpoint(dir, List.of(f32("t", new float[] { 2.5f }, 1)), null);
    ModelWeights weights = ModelWeights.open(dir.resolve("model.safetensors"), LAYOUT, null);
    assertEquals(dir.resolve("model.safetensors").toString(), weights.source().description());
    TensorView t = weights.tensor("t");
    weights.close();
    weights.close();
    assertThrows(IllegalStateException.class, () -> t.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
    try (io.jquant.runtime.checkpoint.Checkpoint checkpoint = io.jquant.runtime.checkpoint.Checkpoint
        .open(dir)) {
      ModelWeights borrowed = ModelWeights.of(new CheckpointSource(checkpoint), LAYOUT, null);
      borrowed.close();
      assertArrayEquals(new float[] { 2.5f }, borrowed.floats("t"));
    }
  }
}
