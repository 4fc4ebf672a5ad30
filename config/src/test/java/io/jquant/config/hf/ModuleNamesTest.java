package io.jquant.config.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.QuantConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The writer lists unquantized layers with a model's module names and the parser reads them back with the
 * same names, so a non-Llama model's layer sets round-trip; Llama's names stay the default.
 */
class ModuleNamesTest {
  static final ModuleNames MINILM = new ModuleNames("encoder.layer.{layer}",
      List.of("intermediate.dense", "output.dense"),
      List.of("attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense"));

  /** INT8 W8A8 over 3 layers: layer 1's MLP and layer 2's attention unquantized. */
  private static final QuantConfig PARTLY_QUANTIZED = QuantConfig.builder(QuantFormat.INT8_W8A8)
      .mlpQuantizedLayers(0, 2).attnQuantizedLayers(0, 1).build();

  private static Optional<HfQuantization> parse(List<String> ignore, ModuleNames names) {
    Map<String, Object> block = HfQuantConfigWriter.quantizationConfigBlock(PARTLY_QUANTIZED, ignore);
    return HfQuantConfigParser.parse(Map.of("quantization_config", block), null, 3,
        CheckpointTensors.none(), names);
  }

  @Test
  void theWriterNamesAMiniLmModelsModules() {
    assertEquals(List.of("encoder.layer.1.intermediate.dense", "encoder.layer.1.output.dense",
        "encoder.layer.2.attention.self.query", "encoder.layer.2.attention.self.key",
        "encoder.layer.2.attention.self.value", "encoder.layer.2.attention.output.dense", "lm_head"),
        HfQuantConfigWriter.ignoreList(PARTLY_QUANTIZED, 3, MINILM));
  }

  @Test
  void aMiniLmListRoundTripsWithMiniLmNames() {
    Optional<HfQuantization> parsed = parse(HfQuantConfigWriter.ignoreList(PARTLY_QUANTIZED, 3, MINILM),
        MINILM);

    assertEquals(Set.of(0, 2), parsed.orElseThrow().config().mlpQuantizedLayers());
    assertEquals(Set.of(0, 1), parsed.orElseThrow().config().attnQuantizedLayers());
    assertEquals(List.of(), ConfigAgreement.compare(PARTLY_QUANTIZED, parsed, 3));
  }

  @Test
  void aMiniLmListReadWithLlamaNames_quantizesEveryLayer() {
    Optional<HfQuantization> parsed = parse(HfQuantConfigWriter.ignoreList(PARTLY_QUANTIZED, 3, MINILM),
        ModuleNames.llama());

    assertEquals(Set.of(0, 1, 2), parsed.orElseThrow().config().mlpQuantizedLayers());
    assertEquals(List.of(
        "layer 1 MLP: declared not quantized, but config.json: quantization_config says quantized"
            + " (INT8_W8A8)",
        "layer 2 attention: declared not quantized, but config.json: quantization_config says quantized"
            + " (INT8_W8A8)"),
        ConfigAgreement.compare(PARTLY_QUANTIZED, parsed, 3).stream().map(d -> d.message()).toList());
  }

  @Test
  void llamaNamesAreTheDefaultOnBothSides() {
    List<String> ignore = HfQuantConfigWriter.ignoreList(PARTLY_QUANTIZED, 3);
    assertEquals(List.of("model.layers.1.mlp.gate_proj", "model.layers.1.mlp.up_proj",
        "model.layers.1.mlp.down_proj", "model.layers.2.self_attn.q_proj", "model.layers.2.self_attn.k_proj",
        "model.layers.2.self_attn.v_proj", "model.layers.2.self_attn.o_proj", "lm_head"), ignore);
    assertEquals(ignore, HfQuantConfigWriter.ignoreList(PARTLY_QUANTIZED, 3, ModuleNames.llama()));

    Map<String, Object> block = HfQuantConfigWriter.quantizationConfigBlock(PARTLY_QUANTIZED, ignore);
    Optional<HfQuantization> parsed = HfQuantConfigParser.parse(Map.of("quantization_config", block), null,
        3, CheckpointTensors.none());

    assertEquals(List.of(), ConfigAgreement.compare(PARTLY_QUANTIZED, parsed, 3));
  }

  @Test
  void aPartlyIgnoredMiniLmMlp_namesItsProjections() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(List.of("encoder.layer.1.output.dense"), MINILM));

    assertEquals("config.json: quantization_config.ignore: layer 1's MLP is partly quantized: output.dense"
        + " ignored, intermediate.dense quantized; a layer's MLP is quantized all or nothing"
        + " (intermediate.dense, output.dense)", e.getMessage());
  }

  @Test
  void moduleNamesReplaceTheLayerPlaceholder() {
    assertEquals("encoder.layer.11.attention.output.dense", MINILM.module(11, "attention.output.dense"));
    assertEquals("model.layers.0.self_attn.q_proj", ModuleNames.llama().module(0, "self_attn.q_proj"));
  }

  @Test
  void namesThatWouldReadEveryLayerAsQuantized_areRefused() {
    assertEquals("checkpointPrefix 'encoder.layer' has no {layer}",
        assertThrows(IllegalArgumentException.class,
            () -> new ModuleNames("encoder.layer", MINILM.mlp(), MINILM.attention())).getMessage());
    assertEquals("no MLP projection names; a layer's MLP is read as quantized unless its projections are"
        + " ignored, so it needs at least one",
        assertThrows(IllegalArgumentException.class,
            () -> new ModuleNames("encoder.layer.{layer}", List.of(), MINILM.attention())).getMessage());
    assertEquals("attention projection names [attention.self.query,  ] hold a blank name",
        assertThrows(IllegalArgumentException.class, () -> new ModuleNames("encoder.layer.{layer}",
            MINILM.mlp(), List.of("attention.self.query", " "))).getMessage());
  }
}
