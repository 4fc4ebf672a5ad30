package io.jquant.runtime.model;

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
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibrating mode end to end on a one-layer Llama-named model: record each projection's input amax from
 * known inputs, write the checkpoint with {@code input_scale}, load it back, and compare with the same
 * calibration applied on the fly.
 */
class CalibrationRoundTripTest {
  private static final ModelLayout LAYOUT = new ModelLayout(1, "model.layers.{layer}");
  private static final int HIDDEN = 32;
  /** The MLP's width: down_proj's K = 24 is no multiple of NVFP4's 16, so it takes the padded paths. */
  private static final int MLP = 24;
  private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Role, kind, projection, out, in of every projection. */
  private record Proj(Role role, ProjectionKind kind, String name, int out, int in) {
    String module() {
      return LAYOUT.module(0, name);
    }
  }

  private static final List<Proj> PROJECTIONS = List.of(
      new Proj(Role.ATTENTION, ProjectionKind.Q, "self_attn.q_proj", HIDDEN, HIDDEN),
      new Proj(Role.ATTENTION, ProjectionKind.K, "self_attn.k_proj", HIDDEN, HIDDEN),
      new Proj(Role.ATTENTION, ProjectionKind.V, "self_attn.v_proj", HIDDEN, HIDDEN),
      new Proj(Role.ATTENTION, ProjectionKind.O, "self_attn.o_proj", HIDDEN, HIDDEN),
      new Proj(Role.MLP, ProjectionKind.GATE, "mlp.gate_proj", MLP, HIDDEN),
      new Proj(Role.MLP, ProjectionKind.UP, "mlp.up_proj", MLP, HIDDEN),
      new Proj(Role.MLP, ProjectionKind.DOWN, "mlp.down_proj", HIDDEN, MLP));

  @TempDir
  Path dir;

  private static TensorSource floatModel(Random random) {
    List<TensorView> tensors = new ArrayList<>();
    tensors.add(f32("model.embed_tokens.weight", random(random, 8 * HIDDEN), 8, HIDDEN));
    for (Proj p : PROJECTIONS) {
      tensors.add(f32(p.module() + ".weight", random(random, p.out() * p.in()), p.out(), p.in()));
    }
    return TensorSource.of("mem", tensors);
  }

  @Test
  void aFailedWriteLeavesNothingAtOutNorBesideItAndAFullDirectoryIsRefused() throws IOException {
    Random random = new Random(9);
    List<TensorView> tensors = new ArrayList<>();
    tensors.add(f32("model.embed_tokens.weight", random(random, 8 * HIDDEN), 8, HIDDEN));
    Map<String, Float> amax = new LinkedHashMap<>();
    for (Proj p : PROJECTIONS) {
      float[] weight = random(random, p.out() * p.in());
      if (p.kind() == ProjectionKind.DOWN) {
        weight[weight.length - 1] = Float.NaN; // the last tensor: the others are written by then
      }
      tensors.add(f32(p.module() + ".weight", weight, p.out(), p.in()));
      amax.put(p.module(), 1f);
    }
    ModelWeights weights = ModelWeights.of(TensorSource.of("mem", tensors), LAYOUT,
        QuantConfig.builder(QuantFormat.NVFP4).allLayers(1).build());
    Path parent = Files.createDirectories(dir.resolve("failed"));
    Path out = parent.resolve("checkpoint");

    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> CalibratedCheckpoint.write(weights, new Calibration(amax), out));

    assertTrue(nan.getMessage().contains("model.layers.0.mlp.down_proj.weight"), nan.getMessage());
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(List.of(), left.toList(), "no output and no staging directory is left");
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "mine");
    IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
        () -> CalibratedCheckpoint.write(weights, new Calibration(amax), out));
    assertEquals(out.toAbsolutePath().normalize() + ": is not empty; a calibrated checkpoint is written into"
        + " a new or empty directory", full.getMessage());
  }

  private static Map<String, Linear> build(ModelWeights weights) {
    Map<String, Linear> built = new LinkedHashMap<>();
    for (Proj p : PROJECTIONS) {
      built.put(p.module(), weights.projection(p.role(), p.kind(), 0, p.name()));
    }
    return built;
  }

  /** Inputs whose largest magnitude is {@code amax}, placed at a different element in each call. */
  private static float[] inputs(Random random, int rows, int cols, float amax, int call) {
    float[] x = new float[rows * cols];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1) * amax * 0.5f;
    }
    x[(call * 7) % x.length] = call % 2 == 0 ? amax : -amax;
    return x;
  }

  private static float absMax(TensorView weight) {
    float amax = 0;
    for (long i = 0; i < weight.elementCount(); i++) {
      amax = Math.max(amax, Math.abs(weight.data().getAtIndex(F32_LE, i)));
    }
    return amax;
  }

  private static float scalar(TensorView t) {
    assertEquals(StorageDType.F32, t.dtype(), t.name());
    assertEquals(List.of(), t.shape(), t.name());
    return t.data().get(F32_LE, 0);
  }

  private static float inputScaleOf(Checkpoint checkpoint, String module) {
    TensorView t = checkpoint.tensor(module + ".input_scale");
    assertEquals(StorageDType.F32, t.dtype(), module);
    assertEquals(List.of(), t.shape(), module);
    return t.data().get(F32_LE, 0);
  }

  @Test
  void recordsTheAmaxOfKnownInputsAndWritesModeloptsInputScaleBits() throws IOException {
    Random random = new Random(3);
    TensorSource source = floatModel(random);
    QuantConfig config = QuantConfig.builder(QuantFormat.NVFP4).allLayers(1).build();
    AmaxRecorder recorder = new AmaxRecorder();
    Map<String, Linear> recording = build(ModelWeights.of(source, LAYOUT, config).recordInputs(recorder));
    // Known amax per projection: 4.0, 3.0, 1.0, 0.1, 2688, 7.3, 1e-3 over three calls each.
    float[] amax = { 4.0f, 3.0f, 1.0f, 0.1f, 2688.0f, 7.3f, 1e-3f };
    for (int call = 0; call < 3; call++) {
      int i = 0;
      for (Proj p : PROJECTIONS) {
        Linear linear = recording.get(p.module());
        assertInstanceOf(RecordingLinear.class, linear, p.module());
        // The largest magnitude arrives in the last call only.
        float callAmax = call == 2 ? amax[i] : amax[i] / 2;
        forward(linear, inputs(random, 3, p.in(), callAmax, call), 3);
        i++;
      }
    }
    Calibration calibration = recorder.calibration();
    // float32 bits of amax / (6·448) from numpy (np.float32(a) / np.float32(2688.0)): q/k/v take their
    // group's largest amax, 4.0, and gate/up theirs, 2688 (modelopt's preprocess_linear_fusion).
    int[] expectedBits = { 0x3ac30c31, 0x3ac30c31, 0x3ac30c31, 0x381c09c1, 0x3f800000, 0x3f800000,
        0x34c7ba91 };
    Path out = dir.resolve("calibrated");
    CalibratedCheckpoint.write(ModelWeights.of(source, LAYOUT, config), calibration, out);
    try (Checkpoint checkpoint = Checkpoint.open(out)) {
      for (int i = 0; i < PROJECTIONS.size(); i++) {
        String module = PROJECTIONS.get(i).module();
        assertEquals(Float.floatToIntBits(amax[i]), Float.floatToIntBits(calibration.amax().get(module)),
            module);
        assertEquals(Integer.toHexString(expectedBits[i]),
            Integer.toHexString(Float.floatToIntBits(inputScaleOf(checkpoint, module))), module);
      }
      assertFalse(checkpoint.contains("model.embed_tokens.input_scale"));
    }
    // The file written beside it reads back to the same bits.
    Path file = dir.resolve("amax.json");
    calibration.write(file);
    assertEquals(calibration, Calibration.read(file));
  }

  @Test
  void aWrittenCheckpointLoadsToTheOutputsOfTheCalibrationAppliedOnTheFly() throws IOException {
    Random random = new Random(5);
    TensorSource source = floatModel(random);
    QuantConfig nvfp4 = QuantConfig.builder(QuantFormat.NVFP4).allLayers(1).build();
    QuantConfig fp8 = QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8).allLayers(1)
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.STATIC, DType.FLOAT32))
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32)).build();
    for (QuantConfig config : List.of(nvfp4, fp8)) {
      String label = config.format().wireName();
      AmaxRecorder recorder = new AmaxRecorder();
      Map<String, Linear> recording = build(ModelWeights.of(source, LAYOUT, config).recordInputs(recorder));
      for (Linear linear : recording.values()) {
        for (int call = 0; call < 4; call++) {
          forward(linear, inputs(random, 5, linear.inFeatures(), 2.5f + call, call), 5);
        }
      }
      Calibration calibration = recorder.calibration();
      Map<String, Linear> onTheFly = build(
          ModelWeights.of(source, LAYOUT, config).useCalibration(calibration));
      Path out = dir.resolve(label);
      CalibratedCheckpoint.write(ModelWeights.of(source, LAYOUT, config), calibration, out);
      try (ModelWeights stored = ModelWeights.open(out, LAYOUT, config);
          Checkpoint checkpoint = Checkpoint.open(out)) {
        if (config.format() == QuantFormat.NVFP4) {
          // modelopt's export: q/k/v and gate/up share the largest weight amax of their group.
          for (List<String> group : List.of(List.of("q_proj", "k_proj", "v_proj"), List.of("gate_proj",
              "up_proj"), List.of("down_proj"), List.of("o_proj"))) {
            float amax = 0;
            for (Proj p : PROJECTIONS) {
              if (group.stream().anyMatch(p.name()::endsWith)) {
                amax = Math.max(amax, absMax(source.tensor(p.module() + ".weight")));
              }
            }
            for (Proj p : PROJECTIONS) {
              if (group.stream().anyMatch(p.name()::endsWith)) {
                assertEquals(Float.floatToIntBits(amax / 2688.0f), Float.floatToIntBits(scalar(checkpoint
                    .tensor(p.module() + ".weight_scale_2"))), p.module());
              }
            }
          }
        }
        Map<String, Linear> loaded = build(stored);
        for (Proj p : PROJECTIONS) {
          String module = p.module();
          assertEquals(calibration.inputScale(module, config.format()), inputScaleOf(checkpoint, module),
              label + " " + module);
          // Stored quantized: the loader read it rather than quantizing a float weight.
          assertFalse(checkpoint.tensor(module + ".weight").isFloat(), label + " " + module);
          for (int rows : new int[] { 1, 3, 17 }) {
            // Beyond the calibrated range too: static scales saturate alike on both paths.
            float[] x = inputs(random, rows, p.in(), 9.0f, rows);
            assertArrayEquals(forward(onTheFly.get(module), x, rows), forward(loaded.get(module), x, rows),
                label + " " + module + " rows " + rows);
          }
        }
      }
    }
  }

  @Test
  void modesNeedAStaticConfigAndFloatWeights() {
    TensorSource source = floatModel(new Random(1));
    QuantConfig dynamic = QuantConfig.builder(QuantFormat.NVFP4).allLayers(1)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16)).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ModelWeights.of(source, LAYOUT, dynamic).recordInputs(new AmaxRecorder()));
    assertEquals("mem: calibrating needs a QuantConfig with STATIC input scales, got"
        + " BLOCK DYNAMIC FLOAT32 (1, 16)", e.getMessage());
    e = assertThrows(IllegalStateException.class,
        () -> ModelWeights.of(source, LAYOUT, null).useCalibration(new Calibration(Map.of())));
    assertEquals("mem: a calibration needs a QuantConfig with STATIC input scales, got none (float32)",
        e.getMessage());
  }

  @Test
  void aModuleTheInputsNeverReachedIsNamed() {
    TensorSource source = floatModel(new Random(1));
    QuantConfig config = QuantConfig.builder(QuantFormat.NVFP4).allLayers(1).build();
    AmaxRecorder recorder = new AmaxRecorder();
    Map<String, Linear> recording = build(ModelWeights.of(source, LAYOUT, config).recordInputs(recorder));
    for (Linear linear : recording.values()) {
      if (!linear.name().endsWith("o_proj")) {
        forward(linear, new float[linear.inFeatures()], 1);
      }
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, recorder::calibration);
    assertEquals("calibration: 1 module(s) saw no input: [model.layers.0.self_attn.o_proj]; run the model"
        + " over the calibration inputs through every quantized projection first", e.getMessage());
    float[] x = new float[2 * HIDDEN];
    x[HIDDEN + 3] = Float.POSITIVE_INFINITY;
    Linear o = recording.get("model.layers.0.self_attn.o_proj");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> forward(o, x, 2));
    assertEquals("calibrating model.layers.0.self_attn.o_proj: input [1, 3] is Infinity; calibration inputs"
        + " must be finite", bad.getMessage());
  }

  @Test
  void theWriterRefusesAMissingOrAnUnknownModule() throws IOException {
    TensorSource source = floatModel(new Random(1));
    QuantConfig config = QuantConfig.builder(QuantFormat.NVFP4).allLayers(1).build();
    Map<String, Float> amax = new LinkedHashMap<>();
    for (Proj p : PROJECTIONS) {
      amax.put(p.module(), 1.0f);
    }
    amax.remove("model.layers.0.mlp.up_proj");
    Path out = dir.resolve("refused");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibratedCheckpoint
        .write(ModelWeights.of(source, LAYOUT, config), new Calibration(amax), out));
    assertEquals("calibration: no amax for module model.layers.0.mlp.up_proj (the calibration inputs never"
        + " reached it, or it was calibrated under another name)", e.getMessage());
    amax.put("model.layers.0.mlp.up_proj", 1.0f);
    amax.put("model.layers.0.mlp.up_projx", 1.0f);
    e = assertThrows(IllegalArgumentException.class, () -> CalibratedCheckpoint
        .write(ModelWeights.of(source, LAYOUT, config), new Calibration(amax), out));
    assertEquals("calibration: amax for module(s) [model.layers.0.mlp.up_projx], which mem under this config"
        + " does not quantize", e.getMessage());
    assertFalse(Files.exists(out.resolve("model.safetensors")));
  }
}
