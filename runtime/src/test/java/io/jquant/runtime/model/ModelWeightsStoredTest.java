package io.jquant.runtime.model;

import static io.jquant.runtime.model.TestTensors.f32;
import static io.jquant.runtime.model.TestTensors.forward;
import static io.jquant.runtime.model.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.DType;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.config.hf.CheckpointFormat;
import io.jquant.config.hf.HfQuantConfigWriter;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.CheckpointQuantizer;
import io.jquant.runtime.checkpoint.CheckpointWriter;
import io.jquant.runtime.kernel.Fp8Linear;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.kernel.Nvfp4Linear;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.Nvfp4Quantizer;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints that hold quantized tensors: written by jquant's quantizer, or in other producers' layouts. */
class ModelWeightsStoredTest {
  private static final int LAYERS = 2;
  private static final ModelLayout LAYOUT = new ModelLayout(LAYERS, "model.layers.{layer}");
  private static final int HIDDEN = 64;
  private static final int INTERMEDIATE = 96;

  /** A Llama projection: its name under the layer, kind, and [out, in]. */
  private record Proj(String name, ProjectionKind kind, int out, int in) {}

  private static final List<Proj> PROJECTIONS = List.of(
      new Proj("self_attn.q_proj", ProjectionKind.Q, HIDDEN, HIDDEN),
      new Proj("self_attn.k_proj", ProjectionKind.K, 32, HIDDEN),
      new Proj("self_attn.v_proj", ProjectionKind.V, 32, HIDDEN),
      new Proj("self_attn.o_proj", ProjectionKind.O, HIDDEN, HIDDEN),
      new Proj("mlp.gate_proj", ProjectionKind.GATE, INTERMEDIATE, HIDDEN),
      new Proj("mlp.up_proj", ProjectionKind.UP, INTERMEDIATE, HIDDEN),
      new Proj("mlp.down_proj", ProjectionKind.DOWN, HIDDEN, INTERMEDIATE));

  @TempDir
  Path dir;

  /** The float model: every projection of both layers, a bias on q_proj, and the embedding. */
  private static List<TensorView> floatModel(Random random) {
    List<TensorView> tensors = new ArrayList<>();
    tensors.add(f32("model.embed_tokens.weight", random(random, 10 * HIDDEN), 10, HIDDEN));
    for (int layer = 0; layer < LAYERS; layer++) {
      for (Proj p : PROJECTIONS) {
        String module = LAYOUT.module(layer, p.name());
        tensors.add(f32(module + ".weight", random(random, p.out() * p.in()), p.out(), p.in()));
        if (p.kind() == ProjectionKind.Q) {
          tensors.add(f32(module + ".bias", random(random, p.out()), p.out()));
        }
      }
    }
    return tensors;
  }

  /**
   * What {@code jquant quantize} does: CheckpointQuantizer over every projection weight of the layers
   * {@code written} quantizes, config.json (and hf_quant_config.json) from HfQuantConfigWriter.
   */
  private static Path quantize(Path in, Path out, QuantConfig written) throws Exception {
    Set<String> names = new LinkedHashSet<>();
    for (int layer = 0; layer < LAYERS; layer++) {
      for (Proj p : PROJECTIONS) {
        Role role = p.kind().role();
        if ((role == Role.MLP ? written.mlpQuantizedLayers() : written.attnQuantizedLayers())
            .contains(layer)) {
          names.add(LAYOUT.module(layer, p.name()) + ".weight");
        }
      }
    }
    try (Checkpoint input = Checkpoint.open(in)) {
      CheckpointWriter writer = CheckpointWriter.open(out, 1L << 30);
      CheckpointQuantizer.run(input, names, WeightQuantizer.forConfig(written), writer, 1, (t, q) -> {});
      writer.close();
    }
    List<String> ignore = HfQuantConfigWriter.ignoreList(written, LAYERS);
    Map<String, Object> block = HfQuantConfigWriter.quantizationConfigBlock(written, ignore);
    Files.writeString(out.resolve("config.json"),
        HfQuantConfigWriter.updatedConfigJson("{\"num_hidden_layers\": 2}", block));
    Map<String, Object> hfQuant = HfQuantConfigWriter.hfQuantConfig(written, ignore);
    if (hfQuant != null) {
      Files.writeString(out.resolve("hf_quant_config.json"), HfQuantConfigWriter.toJson(hfQuant));
    }
    return out;
  }

  /** The configs {@code jquant quantize} writes (the CLI's FormatPresets), MLP of layer 1 left in float. */
  private static List<QuantConfig> written() {
    List<QuantConfig> configs = new ArrayList<>();
    configs.add(QuantConfig.builder(QuantFormat.NVFP4)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16)).build());
    configs.add(QuantConfig.builder(QuantFormat.MXFP4).build());
    configs.add(QuantConfig.builder(QuantFormat.MXFP8).build());
    configs.add(QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.DYNAMIC, DType.FLOAT32))
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32)).build());
    configs.add(QuantConfig.builder(QuantFormat.FBGEMM_FP8).build());
    configs.add(QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8).build());
    configs.add(QuantConfig.builder(QuantFormat.INT8_W8A8).build());
    return configs.stream().map(c -> c.toBuilder().mlpQuantizedLayers(0).attnQuantizedLayers(0, 1).build())
        .toList();
  }

  @Test
  void checkpointsJquantWritesLoadAndEqualTheSameWeightsQuantizedOnTheFly() throws Exception {
    Random random = new Random(17);
    Path in = TestTensors.checkpoint(dir.resolve("float"), floatModel(random), "{\"num_hidden_layers\": 2}");
    for (QuantConfig written : written()) {
      String label = written.format().wireName() + " " + written.weightScale().granularity();
      Path out = quantize(in, dir.resolve("q-" + label.replace(' ', '-')), written);
      QuantConfig declared;
      try (Checkpoint checkpoint = Checkpoint.open(out)) {
        Optional<HfQuantization> parsed = new CheckpointSource(checkpoint).quantization(LAYERS);
        assertTrue(parsed.isPresent(), label);
        declared = parsed.get().config();
        assertEquals(written.format(), declared.format(), label);
        assertEquals(written.weightScale(), declared.weightScale(), label);
        assertEquals(Set.of(0), declared.mlpQuantizedLayers(), label);
        assertEquals(Set.of(0, 1), declared.attnQuantizedLayers(), label);
      }
      try (ModelWeights stored = ModelWeights.open(out, LAYOUT, declared);
          Checkpoint floats = Checkpoint.open(in)) {
        ModelWeights onTheFly = ModelWeights.of(new CheckpointSource(floats), LAYOUT, declared);
        for (int layer = 0; layer < LAYERS; layer++) {
          for (Proj p : PROJECTIONS) {
            String what = label + " layer " + layer + " " + p.name();
            Role role = p.kind().role();
            Linear a = stored.projection(role, p.kind(), layer, p.name());
            Linear b = onTheFly.projection(role, p.kind(), layer, p.name());
            assertEquals(b.getClass(), a.getClass(), what);
            assertEquals(stored.isQuantized(role, layer),
                stored.source().tensor(LAYOUT.module(layer, p.name()) + ".weight")
                    .dtype() != StorageDType.F32,
                what);
            for (int rows : new int[] { 1, 5 }) {
              float[] x = random(random, rows * p.in());
              assertArrayEquals(forward(b, x, rows), forward(a, x, rows), what + " rows " + rows);
            }
          }
        }
      }
    }
  }

  @Test
  void compressedTensorsNvfp4TakesTheReciprocalsOfItsGlobalScales() {
    int out = 8;
    int in = 32;
    float[] w = random(new Random(3), out * in);
    w[0] = 10.5f; // amax / (6·448) = 2^-8: the global scales are exact reciprocals
    String module = "model.layers.0.mlp.up_proj";
    Nvfp4Weights q = new Nvfp4Quantizer().quantize(new FloatMatrix(module + ".weight", out, in, w));
    assertEquals(0x1p-8f, q.globalScale());
    List<StoredTensor> modelopt = q.tensors();
    TensorSource source = TensorSource.of("ct", List.of(
        TestTensors.bytes(module + ".weight_packed", StorageDType.U8, modelopt.get(0).bytes(), out, in / 2),
        TestTensors.bytes(module + ".weight_scale", StorageDType.F8_E4M3, modelopt.get(1).bytes(), out,
            in / 16),
        f32(module + ".weight_global_scale", new float[] { 256f }, 1),
        f32(module + ".input_global_scale", new float[] { 64f }, 1)));
    QuantConfig config = QuantConfig.builder(QuantFormat.NVFP4).allLayers(LAYERS).build(); // STATIC inputs
    Linear loaded = ModelWeights.of(source, LAYOUT, config).projection(Role.MLP, ProjectionKind.UP, 0,
        "mlp.up_proj");
    Linear expected = Nvfp4Linear.of(module, q,
        InputActivations.quantized(ActivationQuantizer.nvfp4Static(1f / 64)), null);
    for (int rows : new int[] { 1, 6 }) {
      float[] x = random(new Random(rows), rows * in);
      assertArrayEquals(forward(expected, x, rows), forward(loaded, x, rows), "rows " + rows);
    }
  }

  /**
   * A compressed-tensors global scale whose reciprocal is not exact for the block scales present cannot run
   * on the modelopt kernel: refused naming the file of the stored weight (weight_packed; there is no weight).
   */
  @Test
  void aCompressedTensorsGlobalScaleWithoutAnExactReciprocalNamesTheFile() throws Exception {
    String module = "model.layers.0.mlp.up_proj";
    byte[] packed = new byte[8 * 16];
    byte[] scales = new byte[8 * 2];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = (byte) (0x30 + i); // E4M3 0.5 to 1.875
    }
    Nvfp4Weights ct = Nvfp4Weights.fromCompressedTensors(module + ".weight", 8, 32, packed, scales, 3f);
    String reason = assertThrows(IllegalStateException.class, ct::toModelopt).getMessage();
    Path dir = TestTensors.checkpoint(this.dir.resolve("ct"), List.of(
        TestTensors.bytes(module + ".weight_packed", StorageDType.U8, packed, 8, 16),
        TestTensors.bytes(module + ".weight_scale", StorageDType.F8_E4M3, scales, 8, 2),
        f32(module + ".weight_global_scale", new float[] { 3f }, 1)), null);
    QuantConfig config = QuantConfig.builder(QuantFormat.NVFP4)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16)).allLayers(LAYERS)
        .build();
    try (ModelWeights weights = ModelWeights.open(dir, LAYOUT, config)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> weights.projection(Role.MLP, ProjectionKind.UP, 0, "mlp.up_proj"));
      assertEquals(dir.resolve("model.safetensors") + ": " + reason, e.getMessage());
    }
  }

  @Test
  void compressedTensorsFp8TakesItsStaticInputScale() {
    int out = 16;
    int in = 48;
    String module = "model.layers.1.self_attn.o_proj";
    Fp8Weights q = (Fp8Weights) WeightQuantizer.forConfig(QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.DYNAMIC, DType.FLOAT32))
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32)).build())
        .quantize(new FloatMatrix(module + ".weight", out, in, random(new Random(4), out * in)));
    List<StoredTensor> tensors = q.tensors();
    float[] bias = random(new Random(5), out);
    TensorSource source = TensorSource.of("ct", List.of(
        TestTensors.bytes(module + ".weight", StorageDType.F8_E4M3, tensors.get(0).bytes(), out, in),
        f32(module + ".weight_scale", new float[] { q.scaleAt(0, 0) }, 1),
        f32(module + ".input_scale", new float[] { 0.0125f }, 1),
        f32(module + ".bias", bias, out)));
    QuantConfig config = QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.STATIC, DType.FLOAT32))
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32))
        .allLayers(LAYERS).build();
    Linear loaded = ModelWeights.of(source, LAYOUT, config).projection(Role.ATTENTION, ProjectionKind.O, 1,
        "self_attn.o_proj");
    Linear expected = Fp8Linear.of(module, q,
        InputActivations.quantized(ActivationQuantizer.fp8Static(0.0125f)),
        bias);
    for (int rows : new int[] { 1, 6 }) {
      float[] x = random(new Random(rows), rows * in);
      assertArrayEquals(forward(expected, x, rows), forward(loaded, x, rows), "rows " + rows);
    }
  }

  /**
   * compressed-tensors stores FP8 and INT8 scales in the model's dtype: BF16 channel scales and an F16 tensor
   * scale load (the parser and dequantize read them too) and run as their exact F32 twins.
   */
  @Test
  void bf16AndF16ScalesLoadAsTheirF32Twins() {
    int out = 16;
    int in = 48;
    String module = "model.layers.0.mlp.up_proj";
    float[] rowScales = new float[out];
    for (int r = 0; r < out; r++) {
      rowScales[r] = 0.0078125f * (r + 1); // 2^-7·(r+1): exact in BF16 for r+1 up to 256
    }
    byte[] fp8 = new byte[out * in];
    byte[] i8 = new byte[out * in];
    Random random = new Random(9);
    for (int i = 0; i < fp8.length; i++) {
      fp8[i] = (byte) random.nextInt(0x7F); // finite E4M3 codes, positive
      i8[i] = (byte) random.nextInt(256);
    }
    QuantConfig fp8Config = QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
        .inputScale(new InputScaleSpec(ScaleGranularity.COLWISE, ScaleOrigin.DYNAMIC, DType.FLOAT8_E4M3FN))
        .weightScale(new WeightScaleSpec(ScaleGranularity.ROWWISE, DType.BFLOAT16)).allLayers(LAYERS).build();
    QuantConfig int8Config = QuantConfig.builder(QuantFormat.INT8_W8A8).allLayers(LAYERS).build();
    record Pair(QuantConfig config, List<TensorView> narrow, List<TensorView> wide) {}
    List<Pair> pairs = List.of(
        new Pair(fp8Config,
            List.of(TestTensors.bytes(module + ".weight", StorageDType.F8_E4M3, fp8, out, in),
                TestTensors.bf16(module + ".weight_scale", rowScales, out, 1)),
            List.of(TestTensors.bytes(module + ".weight", StorageDType.F8_E4M3, fp8, out, in),
                f32(module + ".weight_scale", rowScales, out, 1))),
        new Pair(int8Config,
            List.of(TestTensors.bytes(module + ".weight", StorageDType.I8, i8, out, in),
                TestTensors.f16(module + ".weight_scale", new float[] { 0.25f })),
            List.of(TestTensors.bytes(module + ".weight", StorageDType.I8, i8, out, in),
                f32(module + ".weight_scale", filled(out, 0.25f), out, 1))));
    for (Pair pair : pairs) {
      String what = pair.config().format().wireName();
      Linear narrow = ModelWeights.of(TensorSource.of("narrow", pair.narrow()), LAYOUT, pair.config())
          .projection(Role.MLP, ProjectionKind.UP, 0, "mlp.up_proj");
      Linear wide = ModelWeights.of(TensorSource.of("wide", pair.wide()), LAYOUT, pair.config())
          .projection(Role.MLP, ProjectionKind.UP, 0, "mlp.up_proj");
      for (int rows : new int[] { 1, 5 }) {
        float[] x = random(new Random(rows), rows * in);
        assertArrayEquals(forward(wide, x, rows), forward(narrow, x, rows), what + " rows " + rows);
      }
    }
  }

  private static float[] filled(int count, float value) {
    float[] values = new float[count];
    java.util.Arrays.fill(values, value);
    return values;
  }

  @Test
  void tensorsThatAreNoLayoutOfTheFormatAreRefusedNamingTheModule() {
    String module = "model.layers.0.mlp.gate_proj";
    TensorSource source = TensorSource.of("mem", List.of(
        TestTensors.bytes(module + ".weight", StorageDType.F8_E4M3, new byte[4 * 32], 4, 32),
        f32(module + ".weight_scale", new float[] { 1f }, 1)));
    ModelWeights weights = ModelWeights.of(source, LAYOUT,
        QuantConfig.builder(QuantFormat.INT8_W8A8).allLayers(LAYERS).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> weights.projection(Role.MLP, ProjectionKind.GATE, 0, "mlp.gate_proj"));
    assertEquals(
        "mem: module model.layers.0.mlp.gate_proj is stored as weight F8_E4M3 [4, 32], weight_scale F32"
            + " [1], which is no int8-w8a8 layout jquant reads (docs/FORMATS.md §2-§4)",
        e.getMessage());
  }

  @Test
  void aDirectoryWithoutConfigHasNoQuantizationUnlessAWeightScale2TensorSaysNvfp4() throws Exception {
    Path plain = TestTensors.checkpoint(dir.resolve("plain"), List.of(f32("a.weight", new float[4], 2, 2)),
        null);
    try (Checkpoint checkpoint = Checkpoint.open(plain)) {
      assertFalse(new CheckpointSource(checkpoint).quantization(LAYERS).isPresent());
    }
    Path nvfp4 = TestTensors.checkpoint(dir.resolve("nvfp4"), List.of(
        f32("model.layers.0.mlp.up_proj.weight_scale_2", new float[] { 1f }), f32("x", new float[1], 1)),
        null);
    try (Checkpoint checkpoint = Checkpoint.open(nvfp4)) {
      HfQuantization q = new CheckpointSource(checkpoint).quantization(LAYERS).orElseThrow();
      assertEquals(CheckpointFormat.MODELOPT_NVFP4, q.format());
      assertEquals("tensors", q.source());
    }
    assertFalse(TensorSource.of("mem", List.of(f32("a", new float[1], 1))).quantization(LAYERS).isPresent());
  }

  @Test
  void aCheckpointQuantizedOtherwiseThanDeclaredIsRefusedBeforeAnyWeightIsRead() throws Exception {
    Random random = new Random(23);
    Path in = TestTensors.checkpoint(dir.resolve("float"), floatModel(random), "{\"num_hidden_layers\": 2}");
    Path out = quantize(in, dir.resolve("int8"), written().getLast());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelWeights.open(out, LAYOUT,
            null));
    assertEquals(
        out.resolve("model.safetensors") + ": the checkpoint's quantization disagrees with the declaration:"
            + "\n  format: declared not quantized, but config.json: quantization_config says INT8_W8A8",
        e.getMessage());
    QuantConfig allMlp = QuantConfig.builder(QuantFormat.INT8_W8A8).allLayers(LAYERS).build();
    e = assertThrows(IllegalArgumentException.class, () -> ModelWeights.open(out, LAYOUT, allMlp));
    assertEquals(out.resolve("model.safetensors")
        + ": the checkpoint's quantization disagrees with the declaration:"
        + "\n  layer 1 MLP: declared quantized (INT8_W8A8), but config.json: quantization_config says not"
        + " quantized",
        e.getMessage());
  }
}
