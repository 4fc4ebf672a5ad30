package io.jquant.runtime.model;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.SafetensorsWriter;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.numerics.Fp16;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small tensors and checkpoints for the loader tests. */
final class TestTensors {
  private TestTensors() {}

  static float[] random(Random random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  static TensorView f32(String name, float[] values, long... shape) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putFloat(v);
    }
    return StoredTensor.of(name, StorageDType.F32, bytes.array(), shape).view();
  }

  /** {@code values} rounded to BF16 (round to nearest even). */
  static TensorView bf16(String name, float[] values, long... shape) {
    ByteBuffer bytes = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putShort(Bf16.encode(v));
    }
    return StoredTensor.of(name, StorageDType.BF16, bytes.array(), shape).view();
  }

  /** {@code values} rounded to FP16 (round to nearest even). */
  static TensorView f16(String name, float[] values, long... shape) {
    ByteBuffer bytes = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putShort(Fp16.encode(v));
    }
    return StoredTensor.of(name, StorageDType.F16, bytes.array(), shape).view();
  }

  static TensorView bytes(String name, StorageDType dtype, byte[] bytes, long... shape) {
    return StoredTensor.of(name, dtype, bytes, shape).view();
  }

  /**
   * {@code dir}/model.safetensors with {@code tensors}, and config.json when {@code configJson} is not null.
   */
  static Path checkpoint(Path dir, List<TensorView> tensors, String configJson) throws IOException {
    Files.createDirectories(dir);
    SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of());
    if (configJson != null) {
      Files.writeString(dir.resolve("config.json"), configJson);
    }
    return dir;
  }

  /** y = x·Wᵀ from {@code linear}'s forward. */
  static float[] forward(io.jquant.runtime.Linear linear, float[] x, int rows) {
    float[] y = new float[rows * linear.outFeatures()];
    linear.forward(x, y, rows);
    return y;
  }
}
