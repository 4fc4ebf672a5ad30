package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.Nvfp4Quantizer;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quantize loop against the quantizer called directly, at one and several threads. */
class CheckpointQuantizerTest {
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  @TempDir
  Path dir;

  private final Map<String, float[]> weights = new LinkedHashMap<>();

  @Test
  void everyTensorIsQuantizedOrCopiedInInputOrderWhateverTheThreadCount() throws IOException {
    Path in = writeInput();
    WeightQuantizer quantizer = new Nvfp4Quantizer();
    Set<String> chosen = Set.of("a.x_proj.weight", "b.y_proj.weight", "c.z_proj.weight");
    for (int threads : new int[] { 1, 3 }) {
      Path out = dir.resolve("out" + threads);
      List<String> progress = new ArrayList<>();
      try (Checkpoint input = Checkpoint.open(in);
          CheckpointWriter writer = CheckpointWriter.open(out, 1 << 20)) {
        CheckpointQuantizer.run(input, chosen, quantizer, writer, threads,
            (tensor, quantized) -> progress.add(tensor.name() + (quantized ? " q" : " c")));
      }
      assertEquals(List.of("a.norm c", "a.x_proj.weight q", "b.y_proj.weight q", "c.z_proj.weight q"),
          progress);
      try (Checkpoint output = Checkpoint.open(out)) {
        assertArrayEquals(bytes(weights.get("a.norm")), array(output.tensor("a.norm")));
        for (String name : chosen) {
          String prefix = name.substring(0, name.length() - "weight".length());
          float[] values = weights.get(name);
          for (StoredTensor expected : quantizer.quantize(new FloatMatrix(name, 4, values.length / 4, values))
              .tensors()) {
            TensorView actual = output.tensor(prefix + expected.name());
            assertEquals(expected.dtype(), actual.dtype(), actual.name());
            assertEquals(expected.shape(), actual.shape(), actual.name());
            assertArrayEquals(expected.bytes(), array(actual), actual.name());
          }
        }
        assertEquals(1 + 3 * 3, output.tensorNames().size());
      }
    }
  }

  @Test
  void aChosenTensorThatIsNotA2dFloatWeightIsRefusedNamingTheFile() throws IOException {
    Path in = writeInput();
    try (Checkpoint input = Checkpoint.open(in);
        CheckpointWriter writer = CheckpointWriter.open(dir.resolve("out"), 1 << 20)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointQuantizer.run(
          input, Set.of("a.norm"), new Nvfp4Quantizer(), writer, 2, (tensor, quantized) -> {}));
      assertEquals(in.resolve("model.safetensors") + ": tensor a.norm: expected a 2-D weight, got shape [32]",
          e.getMessage());
      writer.abort();
    }
  }

  @Test
  void inputScalesFollowTheirWeightsAndAMissingOneIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path in = writeInput();
    Set<String> chosen = Set.of("a.x_proj.weight", "b.y_proj.weight");
    Path out = dir.resolve("scaled");
    try (Checkpoint input = Checkpoint.open(in);
        CheckpointWriter writer = CheckpointWriter.open(out, 1 << 20)) {
      CheckpointQuantizer.run(CheckpointQuantizer.input(input), chosen, new Nvfp4Quantizer(),
          Map.of("a.x_proj", 0.25f, "b.y_proj", 3.0e-3f, "c.z_proj", 1.0f), Map.of(), writer, 2,
          (t, q) -> {});
    }
    try (Checkpoint output = Checkpoint.open(out)) {
      assertEquals(List.of("a.norm", "a.x_proj.input_scale", "a.x_proj.weight", "a.x_proj.weight_scale",
          "a.x_proj.weight_scale_2", "b.y_proj.input_scale", "b.y_proj.weight", "b.y_proj.weight_scale",
          "b.y_proj.weight_scale_2", "c.z_proj.weight"), output.tensorNames().stream().sorted().toList());
      TensorView scale = output.tensor("b.y_proj.input_scale");
      assertEquals(StorageDType.F32, scale.dtype());
      assertEquals(List.of(), scale.shape());
      assertEquals(Float.floatToIntBits(3.0e-3f), Float.floatToIntBits(scale.data().get(F32, 0)));
    }
    try (Checkpoint input = Checkpoint.open(in);
        CheckpointWriter writer = CheckpointWriter.open(dir.resolve("refused"), 1 << 20)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointQuantizer.run(
          CheckpointQuantizer.input(input), chosen, new Nvfp4Quantizer(), Map.of("a.x_proj", 0.25f), Map.of(),
          writer, 1, (t, q) -> {}));
      assertEquals(in.resolve("model.safetensors") + ": no input_scale for module b.y_proj, whose weight is"
          + " quantized with static input scales", e.getMessage());
      writer.abort();
    }
  }

  private Path writeInput() throws IOException {
    Path in = dir.resolve("in");
    weights.put("a.norm", values(32, 0));
    weights.put("a.x_proj.weight", values(4 * 32, 1));
    weights.put("b.y_proj.weight", values(4 * 64, 2));
    weights.put("c.z_proj.weight", values(4 * 16, 3));
    try (CheckpointWriter writer = CheckpointWriter.open(in, 1 << 20)) {
      for (Map.Entry<String, float[]> entry : weights.entrySet()) {
        int n = entry.getValue().length;
        List<Long> shape = entry.getKey().endsWith("norm") ? List.of((long) n) : List.of(4L, n / 4L);
        writer.add(new TensorView(entry.getKey(), StorageDType.F32, shape,
            MemorySegment.ofArray(bytes(entry.getValue()))));
      }
    }
    return in;
  }

  private static float[] values(int count, int seed) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) Math.sin(i * 0.37 + seed) * (1 + seed);
    }
    return values;
  }

  private static byte[] bytes(float[] values) {
    byte[] bytes = new byte[values.length * 4];
    MemorySegment.copy(values, 0, MemorySegment.ofArray(bytes), F32, 0, values.length);
    return bytes;
  }

  private static byte[] array(TensorView view) {
    return view.data().toArray(ValueLayout.JAVA_BYTE);
  }
}
