package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.DType;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.FormatDetector;
import io.jquant.config.layout.StoredLayout;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.SafetensorsWriter;
import io.jquant.runtime.model.CheckpointSource;
import io.jquant.runtime.model.ModelLayout;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorViews;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One valid layer in every layout of the table, its scales in the dtypes other producers write (BF16, F16,
 * F8_E8M0, {@code [1]}): the detector reports the layout's format, {@code inspect} lists it, {@code
 * dequantize} writes exactly the weight record's float values, and the loader runs it as it runs the same
 * weight in jquant's own layout (F32 scales, modelopt's NVFP4).
 */
class StoredLayoutReadTest {
  private static final String M = "model.layers.0.mlp.up_proj";
  private static final int N = 8;
  private static final int K = 64;
  private static final ModelLayout LAYOUT = new ModelLayout(1, "model.layers.{layer}");

  @TempDir
  Path tmp;

  /** A layer: its stored tensors, the record they stand for, and the config the loader reads it with. */
  private record Layer(StoredLayout layout, List<StoredTensor> stored, QuantizedWeights expected,
      QuantConfig config) {}

  private static List<Layer> layers() {
    Random random = new Random(11);
    byte[] fp4 = randomBytes(random, N * K / 2, 256);
    byte[] e4m3Scales = randomBytes(random, N * K / 16, 0x40); // finite: 0 to 1.875 (0x00-0x3f)
    byte[] e8m0 = new byte[N * K / 32];
    for (int i = 0; i < e8m0.length; i++) {
      e8m0[i] = (byte) (120 + random.nextInt(10));
    }
    byte[] fp8 = randomBytes(random, N * K, 0x7F); // finite positive E4M3 codes
    byte[] i8 = randomBytes(random, N * K, 256);
    float[] rows = new float[N];
    for (int r = 0; r < N; r++) {
      rows[r] = 0.015625f * (r + 1); // exact in BF16
    }
    QuantConfig nvfp4 = QuantConfig.builder(QuantFormat.NVFP4)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16)).allLayers(1).build();
    QuantConfig mxfp4 = QuantConfig.builder(QuantFormat.MXFP4).allLayers(1).build();
    QuantConfig mxfp8 = QuantConfig.builder(QuantFormat.MXFP8).allLayers(1).build();
    QuantConfig fp8Config = QuantConfig.builder(QuantFormat.FBGEMM_FP8).allLayers(1).build();
    QuantConfig block = QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8).allLayers(1).build();
    QuantConfig int8 = QuantConfig.builder(QuantFormat.INT8_W8A8).allLayers(1).build();
    String w = M + ".weight";
    List<Layer> layers = new ArrayList<>();
    layers.add(new Layer(StoredLayout.MODELOPT_NVFP4, List.of(
        t("weight", StorageDType.U8, fp4, N, K / 2),
        t("weight_scale", StorageDType.F8_E4M3, e4m3Scales, N, K / 16),
        t("weight_scale_2", StorageDType.BF16, bf16(0.5f))),
        Nvfp4Weights.fromModelopt(w, N, K, fp4, e4m3Scales, 0.5f), nvfp4));
    layers.add(new Layer(StoredLayout.COMPRESSED_TENSORS_NVFP4, List.of(
        t("weight_packed", StorageDType.U8, fp4, N, K / 2),
        t("weight_scale", StorageDType.F8_E4M3, e4m3Scales, N, K / 16),
        t("weight_global_scale", StorageDType.F32, f32(2f), 1)),
        Nvfp4Weights.fromCompressedTensors(w, N, K, fp4, e4m3Scales, 2f), nvfp4));
    layers.add(new Layer(StoredLayout.COMPRESSED_TENSORS_MXFP4, List.of(
        t("weight_packed", StorageDType.U8, fp4, N, K / 2),
        t("weight_scale", StorageDType.U8, e8m0, N, K / 32)),
        new MxWeights(w, N, K, MxElement.FP4_E2M1, fp4, e8m0), mxfp4));
    layers.add(new Layer(StoredLayout.MXFP4, List.of(
        t("weight", StorageDType.U8, fp4, N, K / 2),
        t("weight_scale", StorageDType.F8_E8M0, e8m0, N, K / 32)),
        new MxWeights(w, N, K, MxElement.FP4_E2M1, fp4, e8m0), mxfp4));
    layers.add(new Layer(StoredLayout.MXFP8, List.of(
        t("weight", StorageDType.F8_E4M3, fp8, N, K),
        t("weight_scale", StorageDType.U8, e8m0, N, K / 32)),
        new MxWeights(w, N, K, MxElement.FP8_E4M3, fp8, e8m0), mxfp8));
    layers.add(new Layer(StoredLayout.FP8_BLOCK_SCALE_INV, List.of(
        t("weight", StorageDType.F8_E4M3, fp8, N, K),
        t("weight_scale_inv", StorageDType.BF16, bf16(0.25f), 1, 1)),
        Fp8Weights.blockwise(w, N, K, 128, 128, fp8, new float[] { 0.25f }), block));
    layers.add(new Layer(StoredLayout.FP8_BLOCK, List.of(
        t("weight", StorageDType.F8_E4M3, fp8, N, K),
        t("weight_scale", StorageDType.F16, f16(0.25f), 1, 1)),
        Fp8Weights.blockwise(w, N, K, 128, 128, fp8, new float[] { 0.25f }), block));
    layers.add(new Layer(StoredLayout.FP8_CHANNEL, List.of(
        t("weight", StorageDType.F8_E4M3, fp8, N, K),
        t("weight_scale", StorageDType.BF16, bf16(rows), N)),
        Fp8Weights.rowwise(w, N, K, fp8, rows), fp8Config));
    layers.add(new Layer(StoredLayout.FP8_TENSOR, List.of(
        t("weight", StorageDType.F8_E4M3, fp8, N, K),
        t("weight_scale", StorageDType.F32, f32(0.125f), 1)),
        Fp8Weights.tensorwise(w, N, K, fp8, 0.125f), fp8Config));
    layers.add(new Layer(StoredLayout.INT8, List.of(
        t("weight", StorageDType.I8, i8, N, K),
        t("weight_scale", StorageDType.F16, f16(0.0625f))),
        new Int8Weights(w, N, K, i8, filled(N, 0.0625f)), int8));
    return layers;
  }

  @Test
  void everyLayoutIsReadAlikeByTheDetectorInspectDequantizeAndTheLoader() throws IOException {
    List<Layer> layers = layers();
    assertEquals(EnumSet.allOf(StoredLayout.class),
        layers.stream().map(Layer::layout).collect(Collectors.toCollection(() -> EnumSet.noneOf(
            StoredLayout.class))),
        "a layer for every layout of the table");
    for (Layer layer : layers) {
      String what = layer.layout().name();
      Path file = tmp.resolve(what + ".safetensors");
      SafetensorsWriter.write(file, layer.stored().stream().map(StoredTensor::view).toList(), Map.of());

      try (Checkpoint checkpoint = Checkpoint.open(file)) {
        assertEquals(layer.layout().detected(), FormatDetector.detect(checkpoint.tensorNames().stream()
            .map(name -> TensorViews.info(checkpoint.tensor(name))).toList()), what + " detector");
      }

      Fixtures.Run inspect = Fixtures.run("inspect", file.toString());
      assertEquals(0, inspect.exit(), what + ": " + inspect.err());
      assertTrue(inspect.out().contains("format: " + layer.layout().detected().description()),
          what + " inspect: " + inspect.out());

      Path out = tmp.resolve(what + "-f32");
      Fixtures.Run dequantize = Fixtures.run("dequantize", "--dtype", "f32", file.toString(), out.toString());
      assertEquals(0, dequantize.exit(), what + ": " + dequantize.err());
      try (Checkpoint written = Checkpoint.open(out)) {
        assertEquals(List.of(M + ".weight"), written.tensorNames(), what);
        assertBits(layer.expected().dequantize().values(),
            FloatTensors.toFloats(written.tensor(M + ".weight")), what + " dequantize");
      }

      // jquant's own layout of the same weight (F32 scales; modelopt for NVFP4) runs the same.
      Path own = tmp.resolve(what + "-own.safetensors");
      QuantizedWeights twin = layer.expected() instanceof Nvfp4Weights nv ? nv.toModelopt()
          : layer.expected();
      SafetensorsWriter.write(own, twin.tensors().stream()
          .map(t -> new StoredTensor(M + "." + t.name(), t.dtype(), t.shape(), t.bytes()).view()).toList(),
          Map.of());
      float[] x = new float[3 * K];
      Random random = new Random(5);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      assertBits(forward(own, layer.config(), x), forward(file, layer.config(), x), what + " loader");
    }
  }

  private static float[] forward(Path file, QuantConfig config, float[] x) throws IOException {
    try (Checkpoint checkpoint = Checkpoint.open(file)) {
      Linear linear = ModelWeights
          .of(new DeclaredSource(new CheckpointSource(checkpoint), config), LAYOUT, config)
          .projection(Role.MLP, ProjectionKind.UP, 0, "mlp.up_proj");
      int rows = x.length / K;
      float[] y = new float[rows * N];
      linear.forward(x, y, rows);
      return y;
    }
  }

  private static void assertBits(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          what + " element " + i);
    }
  }

  private static StoredTensor t(String part, StorageDType dtype, byte[] bytes, long... shape) {
    return StoredTensor.of(M + "." + part, dtype, bytes, shape);
  }

  private static byte[] randomBytes(Random random, int count, int bound) {
    byte[] bytes = new byte[count];
    for (int i = 0; i < count; i++) {
      bytes[i] = (byte) random.nextInt(bound);
    }
    return bytes;
  }

  private static byte[] f32(float value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
  }

  private static byte[] bf16(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buffer.putShort((short) (Float.floatToRawIntBits(v) >>> 16)); // the values are exact in BF16
    }
    return buffer.array();
  }

  private static byte[] f16(float value) {
    return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(Float.floatToFloat16(value))
        .array();
  }

  private static float[] filled(int count, float value) {
    float[] values = new float[count];
    java.util.Arrays.fill(values, value);
    return values;
  }
}
