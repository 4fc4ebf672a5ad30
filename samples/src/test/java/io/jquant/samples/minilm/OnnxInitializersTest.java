package io.jquant.samples.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.model.TensorSource;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ONNX reader and the BERT naming against an independent reading of the file with the {@code onnx}
 * package ({@code src/test/python/minilm_onnx_facts.py}, its output in {@code minilm_onnx_facts.txt}).
 */
class OnnxInitializersTest {
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final String[] ROLES = { "attention.self.query", "attention.self.key",
      "attention.self.value",
      "attention.output.dense", "intermediate.dense", "output.dense" };
  /** Layer 0's generated names per role, as minilm_onnx_facts.txt lists them; each later layer adds 13. */
  private static final int[] LAYER0 = { 787, 788, 791, 797, 798, 799 };

  @Test
  void matMulWeightsAreNamedByTheirConsumingNodes() {
    OnnxInitializers onnx = MiniLmFixture.get().onnx;
    Map<String, String> names = BertOnnxWeights.matMulWeightNames(onnx);
    assertEquals(36, names.size());
    for (int layer = 0; layer < 6; layer++) {
      for (int r = 0; r < ROLES.length; r++) {
        String generated = "onnx::MatMul_" + (LAYER0[r] + 13 * layer);
        assertEquals("encoder.layer." + layer + "." + ROLES[r] + ".weight", names.get(generated), generated);
        List<Long> dims = onnx.initializer(generated).orElseThrow().dims();
        long in = r == 5 ? 1536 : 384;
        long out = r == 4 ? 1536 : 384;
        assertEquals(List.of(in, out), dims, generated);
      }
    }
  }

  @Test
  void namedInitializersHaveTheirShapes() {
    OnnxInitializers onnx = MiniLmFixture.get().onnx;
    assertEquals(102, onnx.initializers().size());
    assertEquals(List.of(30522L, 384L),
        onnx.initializer("embeddings.word_embeddings.weight").orElseThrow().dims());
    assertEquals(List.of(512L, 384L),
        onnx.initializer("embeddings.position_embeddings.weight").orElseThrow().dims());
    assertEquals(List.of(2L, 384L),
        onnx.initializer("embeddings.token_type_embeddings.weight").orElseThrow().dims());
    assertEquals(List.of(1536L),
        onnx.initializer("encoder.layer.5.intermediate.dense.bias").orElseThrow().dims());
  }

  @Test
  void valuesMatchTheOnnxPackagesReading() {
    OnnxInitializers onnx = MiniLmFixture.get().onnx;
    // minilm_onnx_facts.txt: value onnx::MatMul_787 [5, 7] 0x3df45749; [in 5, out 7] of [384, 384].
    assertEquals(0x3df45749,
        bits(onnx.initializer("onnx::MatMul_787").orElseThrow().data().getAtIndex(F32, 5 * 384 + 7)));
    assertEquals(0x3cd8b4e8, bits(onnx.initializer("embeddings.word_embeddings.weight").orElseThrow().data()
        .getAtIndex(F32, 2023L * 384 + 100)));
    assertEquals(0xbdd3b87b,
        bits(onnx.initializer("encoder.layer.3.intermediate.dense.bias").orElseThrow().data()
            .getAtIndex(F32, 1535)));

    // Transposed to Hugging Face's [out, in]: element [out 7, in 5] of the query weight; [out 0, in 383]
    // of the last output dense ([1536, 384] in ONNX, value 0x3c569652 at [383, 0]).
    TensorSource source = MiniLmFixture.get().source;
    TensorView query = source.tensor("encoder.layer.0.attention.self.query.weight");
    assertEquals(StorageDType.F32, query.dtype());
    assertEquals(List.of(384L, 384L), query.shape());
    assertEquals(0x3df45749, bits(query.data().getAtIndex(F32, 7 * 384 + 5)));
    TensorView down = source.tensor("encoder.layer.5.output.dense.weight");
    assertEquals(List.of(384L, 1536L), down.shape());
    assertEquals(0x3c569652, bits(down.data().getAtIndex(F32, 383)));
    assertEquals(List.of(1536L, 384L), source.tensor("encoder.layer.2.intermediate.dense.weight").shape());
    assertTrue(source.tensorNames().stream().noneMatch(n -> n.startsWith("onnx::")), "generated names left");
  }

  @Test
  void malformedFilesNameTheFieldAndOffset() {
    // ModelProto.graph (field 7, length 4) holding an initializer (field 5) that claims 100 bytes.
    byte[] truncated = { 0x3a, 0x04, 0x2a, 0x64, 0x42, 0x00 };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxInitializers.parse("broken.onnx", truncated));
    assertEquals("broken.onnx: GraphProto.initializer: length 100 at byte offset 3 runs past the end "
        + "(2 bytes remain)", e.getMessage());

    // A tensor named "w" of dims [2] (FLOAT) whose raw_data holds 4 bytes instead of 8.
    byte[] tensor = { 0x0a, 0x01, 0x02, 0x10, 0x01, 0x42, 0x01, 'w', 0x4a, 0x04, 0, 0, 0, 0 };
    byte[] graph = concat(new byte[] { 0x2a, (byte) tensor.length }, tensor);
    byte[] model = concat(new byte[] { 0x3a, (byte) graph.length }, graph);
    e = assertThrows(IllegalArgumentException.class, () -> OnnxInitializers.parse("short.onnx", model));
    assertEquals(
        "short.onnx: initializer w: shape [2] of data_type 1 needs 8 bytes, but raw_data at byte offset "
            + "14 holds 4",
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> OnnxInitializers.parse("empty.onnx", new byte[0]));
    assertEquals("empty.onnx: ModelProto: no graph (field 7)", e.getMessage());
  }

  private static int bits(float value) {
    return Float.floatToRawIntBits(value);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
