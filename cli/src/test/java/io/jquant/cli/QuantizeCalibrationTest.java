package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.model.AmaxRecorder;
import io.jquant.runtime.model.CalibratedCheckpoint;
import io.jquant.runtime.model.Calibration;
import io.jquant.runtime.model.ModelLayout;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.tensor.TensorView;
import io.jquant.runtime.tensor.TensorViews;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jquant quantize --calibration FILE}: static input scales from recorded amax, the same checkpoint the
 * runtime's calibrating mode writes, and every malformed file refused with the file and the key.
 */
class QuantizeCalibrationTest {
  private static final ModelLayout LAYOUT = new ModelLayout(2, "model.layers.{layer}");
  private static final List<String> PROJECTIONS = List.of("self_attn.q_proj", "self_attn.k_proj",
      "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");
  private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  @TempDir
  Path tmp;

  /** An amax per projection of both layers: 0.5, 1.0, ... in module order. */
  private static Map<String, Float> amax() {
    Map<String, Float> amax = new LinkedHashMap<>();
    float next = 0.5f;
    for (int layer = 0; layer < 2; layer++) {
      for (String p : PROJECTIONS) {
        amax.put(LAYOUT.module(layer, p), next);
        next += 0.5f;
      }
    }
    return amax;
  }

  /**
   * What each module's input scale comes from: its own amax, or for q/k/v and gate/up the largest of its
   * group (modelopt's fused groups): v_proj's and up_proj's in {@link #amax()}.
   */
  private static float exportedAmax(Map<String, Float> amax, String module) {
    String layer = module.substring(0, module.indexOf(".self_attn") > 0 ? module.indexOf(".self_attn")
        : module.indexOf(".mlp"));
    if (module.matches(".*\\.[qkv]_proj")) {
      return amax.get(layer + ".self_attn.v_proj");
    }
    if (module.endsWith("gate_proj") || module.endsWith("up_proj")) {
      return amax.get(layer + ".mlp.up_proj");
    }
    return amax.get(module);
  }

  private Path calibrationFile(Map<String, Float> amax) throws IOException {
    Path file = tmp.resolve("amax.json");
    new Calibration(amax).write(file);
    return file;
  }

  /** The largest magnitude of a BF16 tensor, as float32. */
  private static float maxAbsBf16(TensorView view) {
    assertEquals(StorageDType.BF16, view.dtype(), view.name());
    float max = 0;
    for (long at = 0; at < view.data().byteSize(); at += 2) {
      short bits = view.data().get(ValueLayout.JAVA_SHORT_UNALIGNED
          .withOrder(ByteOrder.LITTLE_ENDIAN), at);
      max = Math.max(max, Math.abs(Float.intBitsToFloat(bits << 16)));
    }
    return max;
  }

  private static float scalar(TensorView view) {
    assertEquals(StorageDType.F32, view.dtype(), view.name());
    assertEquals(List.of(), view.shape(), view.name());
    return view.data().get(F32_LE, 0);
  }

  @Test
  void nvfp4WritesModeloptsInputScaleForEveryProjectionAndAStaticConfig() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Map<String, Float> amax = amax();
    Path file = calibrationFile(amax);

    Fixtures.Run run = Fixtures.run("quantize", "--format", "nvfp4", "--calibration", file.toString(),
        in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("quantized 14 of 19 tensors to nvfp4 with static input scales from " + file
        + "; copied [tokenizer.json]"), run.out());
    try (Checkpoint output = Checkpoint.open(out)) {
      for (Map.Entry<String, Float> e : amax.entrySet()) {
        // modelopt: amax / (6 * 448) in float32.
        assertEquals(Float.floatToIntBits(exportedAmax(amax, e.getKey()) / 2688.0f),
            Float.floatToIntBits(scalar(output.tensor(e.getKey() + ".input_scale"))), e.getKey());
      }
      assertEquals(1.5f / 2688.0f, scalar(output.tensor("model.layers.0.self_attn.q_proj.input_scale")));
      assertEquals(2.0f / 2688.0f, scalar(output.tensor("model.layers.0.self_attn.o_proj.input_scale")));
      assertEquals(6.5f / 2688.0f, scalar(output.tensor("model.layers.1.mlp.gate_proj.input_scale")));
      assertEquals(7.0f / 2688.0f, scalar(output.tensor("model.layers.1.mlp.down_proj.input_scale")));
      // q/k/v and gate/up share weight_scale_2 too: their group's largest max|W| / 2688, max|W| read here
      // from the input's BF16 weights.
      try (Checkpoint input = Checkpoint.open(in)) {
        for (String group : List.of("model.layers.0.self_attn.", "model.layers.1.mlp.")) {
          List<String> members = group.endsWith("self_attn.") ? List.of("q_proj", "k_proj", "v_proj")
              : List.of("gate_proj", "up_proj");
          float groupAmax = 0;
          for (String m : members) {
            groupAmax = Math.max(groupAmax, maxAbsBf16(input.tensor(group + m + ".weight")));
          }
          for (String m : members) {
            assertEquals(Float.floatToIntBits(groupAmax / 2688.0f),
                Float.floatToIntBits(scalar(output.tensor(group + m + ".weight_scale_2"))), group + m);
          }
        }
      }
      assertFalse(output.contains("lm_head.input_scale"));
      HfQuantization parsed = HfQuantConfigParser.parse(out, TensorViews.checkpointTensors(
          output.tensorNames().stream().map(output::tensor).toList())).orElseThrow();
      assertEquals(QuantFormat.NVFP4, parsed.config().format());
      assertEquals(ScaleOrigin.STATIC, parsed.config().inputScale().origin());
    }
  }

  @Test
  void fp8TensorWritesAmaxOver448() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Map<String, Float> amax = amax();
    Fixtures.Run run = Fixtures.run("quantize", "--format", "fp8-tensor", "--calibration",
        calibrationFile(amax).toString(), in.toString(), out.toString());
    assertEquals(0, run.exit(), run.err());
    try (Checkpoint output = Checkpoint.open(out)) {
      for (Map.Entry<String, Float> e : amax.entrySet()) {
        assertEquals(Float.floatToIntBits(exportedAmax(amax, e.getKey()) / 448.0f),
            Float.floatToIntBits(scalar(output.tensor(e.getKey() + ".input_scale"))), e.getKey());
      }
      HfQuantization parsed = HfQuantConfigParser.parse(out, TensorViews.checkpointTensors(
          output.tensorNames().stream().map(output::tensor).toList())).orElseThrow();
      assertEquals(ScaleOrigin.STATIC, parsed.config().inputScale().origin());
    }
  }

  /**
   * The file the runtime's calibrating mode writes, given to the command, gives the tensors the runtime's
   * {@link CalibratedCheckpoint} writes, bit for bit.
   */
  @Test
  void theRecordedFileGivesTheRuntimesCheckpoint() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    QuantConfig config = QuantConfig.builder(QuantFormat.NVFP4).allLayers(2).build();
    AmaxRecorder recorder = new AmaxRecorder();
    Random random = new Random(9);
    try (ModelWeights weights = ModelWeights.open(in, LAYOUT, config).recordInputs(recorder)) {
      for (int layer = 0; layer < 2; layer++) {
        for (String p : PROJECTIONS) {
          Role role = p.startsWith("mlp") ? Role.MLP : Role.ATTENTION;
          Linear linear = weights.projection(role, ProjectionKind.INFER, layer, p);
          float[] x = new float[3 * linear.inFeatures()];
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
          }
          linear.forward(x, new float[3 * linear.outFeatures()], 3);
        }
      }
    }
    Calibration calibration = recorder.calibration();
    Path file = tmp.resolve("recorded.json");
    calibration.write(file);
    Path fromRuntime = tmp.resolve("runtime");
    try (ModelWeights weights = ModelWeights.open(in, LAYOUT, config)) {
      CalibratedCheckpoint.write(weights, calibration, fromRuntime);
    }
    Path fromCli = tmp.resolve("cli");
    Fixtures.Run run = Fixtures.run("quantize", "--format", "nvfp4", "--calibration", file.toString(),
        in.toString(), fromCli.toString());
    assertEquals(0, run.exit(), run.err());
    try (Checkpoint a = Checkpoint.open(fromRuntime); Checkpoint b = Checkpoint.open(fromCli)) {
      assertEquals(a.tensorNames(), b.tensorNames());
      for (String name : a.tensorNames()) {
        assertEquals(Fixtures.copy(a.tensor(name)), Fixtures.copy(b.tensor(name)), name);
      }
      assertEquals(14, a.tensorNames().stream().filter(n -> n.endsWith(".input_scale")).count());
    }
  }

  @Test
  void badCalibrationFilesAreRefusedWithTheFileAndTheKey() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path file = tmp.resolve("amax.json");
    Map<String, String> cases = new LinkedHashMap<>();
    Map<String, Float> typo = amax();
    typo.put("model.layers.0.mlp.gate_prj", 1.0f);
    cases.put(new Calibration(typo).toJson(), file + ": \"model.layers.0.mlp.gate_prj\": no attention or MLP"
        + " projection of that name in " + in);
    Map<String, Float> missing = amax();
    missing.remove("model.layers.1.mlp.up_proj");
    missing.remove("model.layers.0.self_attn.k_proj");
    cases.put(new Calibration(missing).toJson(),
        file + ": no amax for module model.layers.0.self_attn.k_proj,"
            + " which --format nvfp4 quantizes (2 modules missing)");
    cases.put("{\"model.layers.0.mlp.up_proj\": -2.0}",
        file + ": \"model.layers.0.mlp.up_proj\": amax -2.0 is"
            + " negative");
    cases.put("{\"model.layers.0.mlp.up_proj\": 3.5e38}", file + ": \"model.layers.0.mlp.up_proj\": amax"
        + " 3.5E+38 is not finite in float32");
    cases.put("{\"model.layers.0.mlp.up_proj\": \"Infinity\"}", file + ": \"model.layers.0.mlp.up_proj\":"
        + " expected a number (the amax), got the string \"Infinity\"");
    cases.put("[]", file + ": expected a JSON object mapping module names to amax, got an array");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Files.writeString(file, c.getKey());
      Path out = tmp.resolve("out");
      Fixtures.Run run = Fixtures.run("quantize", "--format", "nvfp4", "--calibration", file.toString(),
          in.toString(), out.toString());
      assertEquals(ExitCodes.BAD_INPUT, run.exit(), c.getKey());
      assertEquals("error: " + c.getValue() + "\n", run.err(), c.getKey());
      assertEquals("", run.out());
      assertFalse(Files.exists(out), "no output for " + c.getKey());
    }
    Fixtures.Run run = Fixtures.run("quantize", "--format", "nvfp4", "--calibration",
        tmp.resolve("none.json").toString(), in.toString(), tmp.resolve("out").toString());
    assertEquals("error: " + tmp.resolve("none.json") + ": --calibration: no such file\n", run.err());
    Files.writeString(file, new Calibration(amax()).toJson());
    run = Fixtures.run("quantize", "--format", "mxfp4", "--calibration", file.toString(), in.toString(),
        tmp.resolve("out").toString());
    assertEquals("error: --calibration: --format mxfp4 computes its input scales from each input (BLOCK"
        + " DYNAMIC); static input scales exist for nvfp4 and fp8-tensor\n", run.err());
  }
}
