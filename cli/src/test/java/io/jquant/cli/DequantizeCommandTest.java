package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.Fp8Quantizer;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.Nvfp4Quantizer;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DequantizeCommandTest {
  @TempDir
  Path tmp;

  /**
   * quantize then dequantize --dtype f32: each weight is exactly its record's dequantize(), bit for bit.
   * nvfp4 needs calibration to be quantized (QuantizeCommandTest); its stored layouts are dequantized below.
   */
  @ParameterizedTest
  @ValueSource(strings = { "mxfp4", "mxfp8", "fp8-tensor", "fp8-channel", "fp8-block", "int8" })
  void roundTripGivesTheRecordsDequantizedValues(String format) throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path quantized = tmp.resolve("q");
    Path out = tmp.resolve("out");
    assertEquals(0, Fixtures.run("quantize", "--format", format, in.toString(), quantized.toString()).exit());

    Fixtures.Run run = Fixtures.run("dequantize", "--dtype", "f32", quantized.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().endsWith("dequantized 14 weights to F32; wrote " + out + "\n"), run.out());
    FormatPreset target = FormatPreset.ofOption(format);
    try (Checkpoint input = Checkpoint.open(in); Checkpoint output = Checkpoint.open(out)) {
      assertEquals(input.tensorNames(), output.tensorNames());
      for (String name : input.tensorNames()) {
        TensorView original = input.tensor(name);
        TensorView back = output.tensor(name);
        if (original.dtype() == StorageDType.BF16 && back.dtype() == StorageDType.F32) {
          FloatMatrix expected = target.weightQuantizer(io.jquant.runtime.numerics.MxScaleMode.RCEIL)
              .quantize(FloatTensors.toMatrix(original)).dequantize();
          assertEquals(original.shape(), back.shape(), name);
          assertArrayEquals(expected.values(), FloatTensors.toFloats(back), name);
        } else {
          assertEquals(Fixtures.copy(original), Fixtures.copy(back), name);
        }
      }
    }
    String config = Files.readString(out.resolve("config.json"));
    assertFalse(config.contains("quantization_config"), config);
    assertTrue(config.contains("\"num_hidden_layers\": 2"), config);
    assertTrue(Files.exists(out.resolve("tokenizer.json")));
    assertFalse(Files.exists(out.resolve("hf_quant_config.json")));
  }

  @Test
  void bf16OutputRoundsTheDequantizedValuesToNearestEven() throws IOException {
    FloatMatrix weight = FloatTensors
        .toMatrix(Fixtures.bf16("model.layers.0.mlp.up_proj.weight", 8, 32).view());
    Nvfp4Weights nvfp4 = new Nvfp4Quantizer().quantize(weight);
    Path in = Fixtures.write(tmp.resolve("in"), prefixed("model.layers.0.mlp.up_proj.", nvfp4));
    Path out = tmp.resolve("out");

    assertEquals(0, Fixtures.run("dequantize", in.toString(), out.toString()).exit());

    float[] expected = nvfp4.dequantize().values();
    try (Checkpoint output = Checkpoint.open(out)) {
      TensorView back = output.tensor("model.layers.0.mlp.up_proj.weight");
      assertEquals(StorageDType.BF16, back.dtype());
      ByteBuffer bytes = back.data().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(Bf16.encode(expected[i]), bytes.getShort(2 * i), "element " + i);
      }
    }
  }

  @Test
  void readsCompressedTensorsNvfp4AndDropsItsScales() throws IOException {
    FloatMatrix weight = FloatTensors
        .toMatrix(Fixtures.bf16("model.layers.0.mlp.up_proj.weight", 8, 32).view());
    Nvfp4Weights modelopt = new Nvfp4Quantizer().quantize(weight);
    float globalDivisor = 1.0f / modelopt.globalScale();
    Nvfp4Weights ct = Nvfp4Weights.fromCompressedTensors("w", 8, 32, modelopt.packed(),
        modelopt.blockScales(),
        globalDivisor);
    String p = "model.layers.0.mlp.up_proj.";
    Path in = Fixtures.write(tmp.resolve("in"), List.of(
        StoredTensor.of(p + "weight_packed", StorageDType.U8, modelopt.packed(), 8, 16),
        StoredTensor.of(p + "weight_scale", StorageDType.F8_E4M3, modelopt.blockScales(), 8, 2),
        StoredTensor.of(p + "weight_global_scale", StorageDType.F32, f32(globalDivisor), 1),
        StoredTensor.of(p + "input_global_scale", StorageDType.F32, f32(100f), 1),
        Fixtures.bf16("model.norm.weight", 32)));
    Path out = tmp.resolve("out");

    Fixtures.Run run = Fixtures.run("dequantize", "--dtype", "f32", in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    try (Checkpoint output = Checkpoint.open(out)) {
      assertEquals(List.of(p + "weight", "model.norm.weight"), output.tensorNames());
      assertArrayEquals(ct.dequantize().values(), FloatTensors.toFloats(output.tensor(p + "weight")),
          "weight");
    }
  }

  @Test
  void blockFp8TakesItsBlockFromTheConfig() throws IOException {
    FloatMatrix weight = FloatTensors
        .toMatrix(Fixtures.bf16("model.layers.0.mlp.up_proj.weight", 96, 80).view());
    Fp8Weights fp8 = Fp8Quantizer.blockwise(64, 32).quantize(weight);
    Path in = Fixtures.write(tmp.resolve("in"), prefixed("model.layers.0.mlp.up_proj.", fp8));
    Files.writeString(in.resolve("config.json"), """
        {"quantization_config": {"quant_method": "fp8", "activation_scheme": "dynamic", "fmt": "e4m3",
          "weight_block_size": [64, 32]}, "num_hidden_layers": 1}
        """);
    Path out = tmp.resolve("out");

    Fixtures.Run run = Fixtures.run("dequantize", "--dtype", "f32", in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    try (Checkpoint output = Checkpoint.open(out)) {
      assertArrayEquals(fp8.dequantize().values(),
          FloatTensors.toFloats(output.tensor("model.layers.0.mlp.up_proj.weight")), "weight");
    }
  }

  private static List<StoredTensor> prefixed(String prefix, QuantizedWeights weights) {
    List<StoredTensor> tensors = new ArrayList<>();
    for (StoredTensor t : weights.tensors()) {
      tensors.add(new StoredTensor(prefix + t.name(), t.dtype(), t.shape(), t.bytes()));
    }
    return tensors;
  }

  private static byte[] f32(float value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array();
  }

  /** Equal raw bits, element by element (NaN payloads and -0 included). */
  private static void assertArrayEquals(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          what + " element " + i);
    }
  }
}
