package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.annotations.DType;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.CheckpointFormat;
import io.jquant.config.hf.FormatDetector;
import io.jquant.config.hf.TensorInfo;
import io.jquant.config.layout.LayoutException;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.SafetensorsWriter;
import io.jquant.runtime.model.CheckpointSource;
import io.jquant.runtime.model.ModelLayout;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorViews;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed stored layer fed to all four readers of the layout table: {@code jquant dequantize},
 * {@code jquant inspect}, the loader ({@link ModelWeights}) and the format detector (and {@code jquant
 * quantize}, which asks the detector). Each refuses it with the same whole message, naming the file, the
 * tensor and both dtypes and shapes (or the value); the detector sees no file and no bytes, so it gives the
 * same message without the file, and a layer whose only fault is a value it cannot see is the layout it
 * shows.
 */
class StoredLayoutAgreementTest {
  private static final String M = "model.layers.0.mlp.up_proj";
  private static final ModelLayout LAYOUT = new ModelLayout(1, "model.layers.{layer}");

  @TempDir
  Path tmp;

  /**
   * One malformed layer: its tensors, the config a loader reads it with, the message after {@code <file>: },
   * and what the detector reports when the fault is a value it cannot see (null: it refuses).
   */
  record Case(String label, List<StoredTensor> tensors, QuantConfig config, String message,
      CheckpointFormat valueOnly) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Stream<Arguments> cases() {
    QuantConfig nvfp4 = QuantConfig.builder(QuantFormat.NVFP4)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16)).allLayers(1).build();
    QuantConfig mxfp4 = QuantConfig.builder(QuantFormat.MXFP4).allLayers(1).build();
    QuantConfig mxfp8 = QuantConfig.builder(QuantFormat.MXFP8).allLayers(1).build();
    QuantConfig fp8 = QuantConfig.builder(QuantFormat.FBGEMM_FP8).allLayers(1).build();
    QuantConfig block = QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8).allLayers(1).build();
    QuantConfig int8 = QuantConfig.builder(QuantFormat.INT8_W8A8).allLayers(1).build();
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("modelopt NVFP4 BF16 weight_scale", List.of(
        t("weight", StorageDType.U8, new byte[8 * 16], 8, 16),
        t("weight_scale", StorageDType.BF16, new byte[8 * 2 * 2], 8, 2),
        t("weight_scale_2", StorageDType.F32, f32(1f))), nvfp4,
        "tensor " + M + ".weight_scale: modelopt NVFP4 weight [8, 32] needs F8_E4M3 [8, 2], got BF16 [8, 2]",
        null));
    cases.add(new Case("modelopt NVFP4 weight_scale of K/8 columns", List.of(
        t("weight", StorageDType.U8, new byte[8 * 16], 8, 16),
        t("weight_scale", StorageDType.F8_E4M3, e4m3Ones(8 * 4), 8, 4),
        t("weight_scale_2", StorageDType.F32, f32(1f))), nvfp4,
        "tensor " + M + ".weight_scale: modelopt NVFP4 weight [8, 32] needs F8_E4M3 [8, 2], got F8_E4M3"
            + " [8, 4]",
        null));
    cases.add(new Case("modelopt NVFP4 without weight_scale_2", List.of(
        t("weight", StorageDType.U8, new byte[8 * 16], 8, 16),
        t("weight_scale", StorageDType.F8_E4M3, e4m3Ones(8 * 2), 8, 2)), nvfp4,
        "tensor " + M + ".weight_scale_2 is missing: modelopt NVFP4 weight [8, 32] needs F32, BF16 or F16 []"
            + " or [1]",
        null));
    byte[] nanScale = e4m3Ones(8 * 2);
    nanScale[3] = 0x7F;
    cases.add(new Case("modelopt NVFP4 NaN block scale", List.of(
        t("weight", StorageDType.U8, new byte[8 * 16], 8, 16),
        t("weight_scale", StorageDType.F8_E4M3, nanScale, 8, 2),
        t("weight_scale_2", StorageDType.F32, f32(1f))), nvfp4,
        "tensor " + M + ".weight_scale: element 3 is 0x7f, an E4M3 NaN; modelopt NVFP4 scales must be finite",
        CheckpointFormat.MODELOPT_NVFP4));
    cases.add(new Case("modelopt NVFP4 zero weight_scale_2", List.of(
        t("weight", StorageDType.U8, new byte[8 * 16], 8, 16),
        t("weight_scale", StorageDType.F8_E4M3, e4m3Ones(8 * 2), 8, 2),
        t("weight_scale_2", StorageDType.F32, f32(0f))), nvfp4,
        "tensor " + M + ".weight_scale_2: element 0 is 0.0; modelopt NVFP4 scales must be finite and"
            + " positive",
        CheckpointFormat.MODELOPT_NVFP4));
    cases.add(new Case("compressed-tensors NVFP4 F32 weight_scale", List.of(
        t("weight_packed", StorageDType.U8, new byte[8 * 16], 8, 16),
        t("weight_scale", StorageDType.F32, new byte[8 * 2 * 4], 8, 2),
        t("weight_global_scale", StorageDType.F32, f32(1f), 1)), nvfp4,
        "tensor " + M + ".weight_scale: compressed-tensors NVFP4 weight [8, 32] needs F8_E4M3 [8, 2], got"
            + " F32 [8, 2]",
        null));
    cases.add(new Case("MXFP4 weight_scale of K/16 columns", List.of(
        t("weight", StorageDType.U8, new byte[8 * 16], 8, 16),
        t("weight_scale", StorageDType.U8, filled(8 * 2, 127), 8, 2)), mxfp4,
        "tensor " + M + ".weight_scale: MXFP4 weight [8, 32] needs U8 or F8_E8M0 [8, 1], got U8 [8, 2]",
        null));
    byte[] e8m0Nan = filled(8, 127);
    e8m0Nan[5] = (byte) 0xFF;
    cases.add(new Case("MXFP8 NaN E8M0 scale", List.of(
        t("weight", StorageDType.F8_E4M3, new byte[8 * 32], 8, 32),
        t("weight_scale", StorageDType.U8, e8m0Nan, 8, 1)), mxfp8,
        "tensor " + M + ".weight_scale: element 5 is 0xff, an E8M0 NaN; MXFP8 scales must be finite",
        CheckpointFormat.COMPRESSED_TENSORS_MXFP8));
    cases.add(new Case("FP8 channel scale of N-1 rows", List.of(
        t("weight", StorageDType.F8_E4M3, new byte[8 * 32], 8, 32),
        t("weight_scale", StorageDType.F32, new byte[7 * 4], 7)), fp8,
        "tensor " + M + ".weight_scale: FP8 per channel weight [8, 32] needs F32, BF16 or F16 [8, 1] or [8],"
            + " got F32 [7]",
        null));
    cases.add(new Case("FP8 tensor BF16 infinite scale", List.of(
        t("weight", StorageDType.F8_E4M3, new byte[8 * 32], 8, 32),
        t("weight_scale", StorageDType.BF16, new byte[] { (byte) 0x80, 0x7F })), fp8,
        "tensor " + M + ".weight_scale: element 0 is Infinity; FP8 per tensor scales must be finite",
        CheckpointFormat.FP8_TENSORWISE));
    cases.add(new Case("FP8 block weight_scale_inv of 64x64 blocks", List.of(
        t("weight", StorageDType.F8_E4M3, new byte[8 * 32], 8, 32),
        t("weight_scale_inv", StorageDType.F32, new byte[2 * 2 * 4], 2, 2)), block,
        "tensor " + M + ".weight_scale_inv: FP8 block (weight_scale_inv) weight [8, 32] needs F32, BF16 or"
            + " F16 [1, 1], got F32 [2, 2]",
        null));
    float[] int8Scales = { 1f, 1f, Float.NaN, 1f, 1f, 1f, 1f, 1f };
    cases.add(new Case("INT8 NaN row scale", List.of(
        t("weight", StorageDType.I8, new byte[8 * 32], 8, 32),
        t("weight_scale", StorageDType.F32, f32(int8Scales), 8, 1)), int8,
        "tensor " + M + ".weight_scale: element 2 is NaN; INT8 scales must be finite",
        CheckpointFormat.COMPRESSED_TENSORS_INT8));
    cases.add(new Case("INT8 I8 scale", List.of(
        t("weight", StorageDType.I8, new byte[8 * 32], 8, 32),
        t("weight_scale", StorageDType.I8, new byte[8], 8, 1)), int8,
        "tensor " + M + ".weight_scale: INT8 weight [8, 32] needs F32, BF16 or F16 [8, 1], [8], [] or [1],"
            + " got I8 [8, 1]",
        null));
    cases.add(new Case("INT8 1-D weight", List.of(
        t("weight", StorageDType.I8, new byte[8], 8),
        t("weight_scale", StorageDType.F32, f32(1f), 1)), int8,
        "tensor " + M + ".weight: INT8 needs a 2-D I8 weight, got I8 [8]",
        null));
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void dequantizeInspectLoaderAndDetectorRefuseWithOneMessage(Case c) throws IOException {
    Path file = tmp.resolve("in.safetensors");
    SafetensorsWriter.write(file, c.tensors().stream().map(StoredTensor::view).toList(), Map.of());
    String expected = file + ": " + c.message();

    Path out = tmp.resolve("out");
    Fixtures.Run dequantize = Fixtures.run("dequantize", file.toString(), out.toString());
    assertEquals(ExitCodes.BAD_INPUT, dequantize.exit(), dequantize.err());
    assertEquals("error: " + expected + "\n", dequantize.err(), "dequantize");
    assertFalse(Files.exists(out), "dequantize wrote no output");

    Fixtures.Run inspect = Fixtures.run("inspect", file.toString());
    assertEquals(ExitCodes.BAD_INPUT, inspect.exit(), inspect.err());
    assertEquals("error: " + expected + "\n", inspect.err(), "inspect");

    try (Checkpoint checkpoint = Checkpoint.open(file)) {
      ModelWeights weights = ModelWeights.of(new DeclaredSource(new CheckpointSource(checkpoint), c.config()),
          LAYOUT, c.config());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> weights.projection(Role.MLP, ProjectionKind.UP, 0, "mlp.up_proj"));
      assertEquals(expected, e.getMessage(), "loader");

      List<TensorInfo> infos = checkpoint.tensorNames().stream()
          .map(name -> TensorViews.info(checkpoint.tensor(name))).toList();
      if (c.valueOnly() != null) {
        assertEquals(c.valueOnly(), FormatDetector.detect(infos), "detector (no bytes, the layout it shows)");
      } else {
        LayoutException d = assertThrows(LayoutException.class, () -> FormatDetector.detect(infos));
        assertEquals(expected, checkpoint.fileOf(d.tensor()) + ": " + d.getMessage(), "detector");
      }
    }

    // quantize asks the detector whether its input is float: the same refusal, or "already quantized".
    Fixtures.Run quantize = Fixtures.run("quantize", "--format", "int8", file.toString(),
        tmp.resolve("q").toString());
    assertEquals(ExitCodes.BAD_INPUT, quantize.exit(), quantize.err());
    assertEquals("error: " + (c.valueOnly() == null ? expected
        : file + ": already quantized (" + c.valueOnly().description()
            + "); quantize reads float checkpoints")
        + "\n", quantize.err(), "quantize");
  }

  private static StoredTensor t(String part, StorageDType dtype, byte[] bytes, long... shape) {
    return StoredTensor.of(M + "." + part, dtype, bytes, shape);
  }

  private static byte[] f32(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buffer.putFloat(v);
    }
    return buffer.array();
  }

  /** E4M3 1.0 (0x38) in every byte. */
  private static byte[] e4m3Ones(int count) {
    return filled(count, 0x38);
  }

  private static byte[] filled(int count, int value) {
    byte[] bytes = new byte[count];
    java.util.Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
