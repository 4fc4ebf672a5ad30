package io.jquant.runtime.quant;

import static io.jquant.runtime.quant.TestData.assertBytes;
import static io.jquant.runtime.quant.TestData.assertTensor;
import static io.jquant.runtime.quant.TestData.hex;
import static io.jquant.runtime.quant.TestData.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.layout.StoredLayout;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.layout.StoredLayer;
import io.jquant.runtime.numerics.Fp4E2M1;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class Nvfp4WeightsTest {
  private static final String NAME = "model.layers.0.mlp.down_proj.weight";

  private static String refusal(Executable executable) {
    return assertThrows(IllegalArgumentException.class, executable).getMessage();
  }

  @Test
  void tensorsAreModeloptsWithLittleEndianScalar() {
    float[] w = new float[2 * 33];
    for (int i = 0; i < w.length; i++) {
      w[i] = i - 30.5f;
    }
    Nvfp4Weights q = new Nvfp4Quantizer().quantize(matrix(NAME, 2, 33, w), 4.0f * 2688.0f);
    List<StoredTensor> tensors = q.tensors();
    assertEquals(3, tensors.size());
    assertSame(q.packed(), assertTensor(tensors.get(0), "weight", StorageDType.U8, 2L, 17L));
    assertSame(q.blockScales(), assertTensor(tensors.get(1), "weight_scale", StorageDType.F8_E4M3, 2L, 3L));
    // weight_scale_2 = 4·2688/2688 = 4.0f = 0x40800000, low byte first.
    assertBytes("00 00 80 40", assertTensor(tensors.get(2), "weight_scale_2", StorageDType.F32));
  }

  @Test
  void modeloptReaderRoundTripsTheQuantizersTensors() {
    Nvfp4Weights q = new Nvfp4Quantizer().quantize(TestData.randomBlocks(NAME, 3, 40, 16, 10, 3));
    List<StoredTensor> t = q.tensors();
    // The stored tensors read back through the layout table, as the loader and dequantize read them.
    assertEquals(q, read(NAME.substring(0, NAME.length() - ".weight".length()), t));
    assertEquals(q, Nvfp4Weights.fromModelopt(NAME, 3, 40, q.packed(), q.blockScales(), q.globalScale()));
  }

  @Test
  void modeloptReaderDequantizesFp8TimesWeightScale2() {
    // One block of 16: codes 7 and 0xa (6, -1), then zeros; fp8 0x77 = 240; ws2 = 0.5.
    Nvfp4Weights q = Nvfp4Weights.fromModelopt("w", 1, 16, hex("a7 00 00 00 00 00 00 00"), hex("77"), 0.5f);
    float[] d = q.dequantize().values();
    assertEquals(6 * 120.0f, d[0]);
    assertEquals(-120.0f, d[1]);
    assertEquals(0.0f, d[2]);
  }

  @Test
  void compressedTensorsReaderDividesByTheGlobalScale() {
    // compressed-tensors: value = E2M1 · (fp8 / weight_global_scale). Block scale 0x05 = 5·2^-9, global 3.
    Nvfp4Weights q = Nvfp4Weights.fromCompressedTensors("w", 1, 3, hex("37 0f"), hex("05"), 3.0f);
    assertEquals(Nvfp4GlobalScale.DIVISOR, q.convention());
    float scale = Fp8E4M3.decode((byte) 0x05) / 3.0f;
    assertEquals(Fp4E2M1.decode(7) * scale, q.dequantize().values()[0]);
    assertEquals(Fp4E2M1.decode(3) * scale, q.dequantize().values()[1]);
    assertEquals(Fp4E2M1.decode(0xf) * scale, q.dequantize().values()[2]);
    // fp8 · (1/3) is not fp8 / 3 for this block scale, so the modelopt form would change the values.
    assertEquals("tensor w.weight_global_scale: 3.0 has no exact modelopt weight_scale_2: block scale 0x05"
        + " (0.009765625) times 1/3.0 is 0.0032552085, not 0.0032552083; requantize from the float weight"
        + " to write modelopt tensors",
        assertThrows(IllegalStateException.class, q::tensors).getMessage());
  }

  @Test
  void compressedTensorsWeightsWriteTheModeloptFormWhenItIsExact() {
    // For block scale 0x77 (240), 240 · (1/3f) rounds to 80 = 240/3, so 1/3f is an exact weight_scale_2.
    Nvfp4Weights ct = Nvfp4Weights.fromCompressedTensors("w", 1, 2, hex("71"), hex("77"), 3.0f);
    Nvfp4Weights modelopt = ct.toModelopt();
    assertEquals(Nvfp4GlobalScale.MULTIPLIER, modelopt.convention());
    assertEquals(1.0f / 3.0f, modelopt.globalScale());
    TestData.assertSameBits(ct.dequantize().values(), modelopt.dequantize().values());
    List<StoredTensor> t = ct.tensors();
    assertTensor(t.get(0), "weight", StorageDType.U8, 1L, 1L);
    assertBytes("ab aa aa 3e", assertTensor(t.get(2), "weight_scale_2", StorageDType.F32)); // 1/3f
  }

  /** compressed-tensors writes its global scale as [1], other producers as []: the table reads both. */
  @Test
  void compressedTensorsStoredTensorsAreReadThroughTheLayoutTable() {
    for (long[] shape : new long[][] { { 1 }, {} }) {
      Nvfp4Weights q = (Nvfp4Weights) read("a", List.of(
          StoredTensor.of("weight_packed", StorageDType.U8, hex("71 00 00 00 00 00 00 00"), 1, 8),
          StoredTensor.of("weight_scale", StorageDType.F8_E4M3, hex("77"), 1, 1),
          StoredTensor.of("weight_global_scale", StorageDType.F32, hex("00 00 00 40"), shape)));
      assertEquals(2.0f, q.globalScale());
      assertEquals(16, q.cols());
    }
  }

  @Test
  void readersRefuseArraysThatDoNotFitTheShape() {
    assertEquals("tensor m.weight: weight [4, 33] needs U8 [4, 17] = 68 elements, got 60",
        refusal(() -> Nvfp4Weights.fromModelopt("m.weight", 4, 33, new byte[60], new byte[12], 1.0f)));
    assertEquals("tensor m.weight_scale: weight [4, 33] needs F8_E4M3 [4, 3] = 12 elements, got 8",
        refusal(() -> Nvfp4Weights.fromModelopt("m.weight", 4, 33, new byte[68], new byte[8], 1.0f)));
    assertEquals("tensor m.weight_packed: weight [4, 33] needs U8 [4, 17] = 68 elements, got 64",
        refusal(
            () -> Nvfp4Weights.fromCompressedTensors("m.weight", 4, 33, new byte[64], new byte[12], 1.0f)));
    assertEquals(
        "tensor m.weight: empty shape [4, 0]; a quantized weight needs at least one row and one column",
        refusal(() -> Nvfp4Weights.fromModelopt("m.weight", 4, 0, new byte[0], new byte[0], 1.0f)));
  }

  @Test
  void theLayoutTableRefusesStoredTensorsOfTheWrongTypeOrShape() {
    StoredTensor weight = StoredTensor.of("weight", StorageDType.U8, new byte[34], 2, 17);
    StoredTensor scale2 = StoredTensor.of("weight_scale_2", StorageDType.F32, hex("00 00 80 3f"));
    StoredTensor flat = StoredTensor.of("weight_scale", StorageDType.F8_E4M3, new byte[6], 6);
    assertEquals("mem: tensor x.weight_scale: modelopt NVFP4 weight [2, 34] needs F8_E4M3 [2, 3], got F8_E4M3"
        + " [6]", refusal(() -> read("x", List.of(weight, flat, scale2))));
  }

  /**
   * The layer {@code module}'s tensors (named relative to it) read as the loader and dequantize read them.
   */
  private static QuantizedWeights read(String module, List<StoredTensor> tensors) {
    Map<String, TensorView> parts = new LinkedHashMap<>();
    for (StoredTensor tensor : tensors) {
      parts.put(tensor.name(), new StoredTensor(module + "." + tensor.name(), tensor.dtype(), tensor.shape(),
          tensor.bytes()).view());
    }
    return StoredLayer.find(module, parts, StoredLayout.DEFAULT_FP8_BLOCK, name -> "mem").orElseThrow()
        .read();
  }

  @Test
  void readersRefuseAGlobalScaleThatIsNotFiniteAndPositive() {
    assertEquals("tensor m.weight_scale_2: the global scale must be finite and positive, got 0.0",
        refusal(() -> Nvfp4Weights.fromModelopt("m.weight", 1, 2, new byte[1], new byte[1], 0.0f)));
    assertEquals("tensor m.weight_global_scale: the global scale must be finite and positive, got NaN",
        refusal(
            () -> Nvfp4Weights.fromCompressedTensors("m.weight", 1, 2, new byte[1], new byte[1], Float.NaN)));
    assertEquals("tensor m.weight_scale_2: the global scale must be finite and positive, got -1.0",
        refusal(() -> Nvfp4Weights.fromModelopt("m.weight", 1, 2, new byte[1], new byte[1], -1.0f)));
  }
}
