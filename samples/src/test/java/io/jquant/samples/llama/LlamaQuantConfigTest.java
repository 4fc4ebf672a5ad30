package io.jquant.samples.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.BlockSize;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.config.hf.HfQuantConfigParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The config the processor generated from the annotations on {@link Llama} and its layer classes. */
class LlamaQuantConfigTest {
  private final QuantConfig config = LlamaQuantConfig.config();

  @Test
  void carriesTheDeclaredFormatAndTheFormatsScaleSpecs() {
    assertEquals(QuantFormat.NVFP4, config.format());
    assertEquals(new InputScaleSpec(ScaleGranularity.BLOCK, ScaleOrigin.STATIC, DType.FLOAT32, null,
        new BlockSize(1, 16)), config.inputScale());
    assertEquals(new WeightScaleSpec(ScaleGranularity.BLOCK, DType.FLOAT8_E4M3FN, new BlockSize(1, 16)),
        config.weightScale());
  }

  @Test
  void quantizesEveryMlpAndTheInnerAttentionLayers() {
    assertEquals(IntStream.rangeClosed(0, 4).boxed().toList(), List.copyOf(config.mlpQuantizedLayers()));
    assertEquals(IntStream.rangeClosed(1, 3).boxed().toList(), List.copyOf(config.attnQuantizedLayers()));
  }

  @Test
  void carriesTheModelWideFields() {
    // Left unset, as MAX leaves it: stories260K's embedding output stays float32.
    assertEquals(null, config.embeddingOutputDtype());
    assertEquals(null, config.biasDtype());
    assertTrue(config.canUseFusedMlp());
    assertFalse(config.scalesPreInterleaved());
    assertEquals("stories260K", LlamaQuantConfig.MODEL_NAME);
    assertEquals(5, LlamaQuantConfig.NUM_LAYERS);
    assertEquals("model.layers.{layer}", LlamaQuantConfig.CHECKPOINT_PREFIX);
  }

  @Test
  void answersMaxsDerivedQuestions() {
    assertTrue(config.isStatic());
    assertTrue(config.isNvfp4());
    assertTrue(config.isFp4());
    assertFalse(config.isMxfp4());
    assertEquals(4096, config.fp4PackedK(8192));
  }

  @Test
  void theGeneratedBuilderChecksValuesChosenAtRunTime() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LlamaQuantConfig.builder()
        .weightScale(new WeightScaleSpec(ScaleGranularity.BLOCK, DType.FLOAT8_E4M3FN, new BlockSize(1, 32)))
        .build());
    assertTrue(e.getMessage().contains(
        "[jquant:Format.WeightBlock] NVFP4 weight scale blocks are (1, 16) elements, not (1, 32)."),
        e.getMessage());
    assertEquals(config, LlamaQuantConfig.builder().build());
  }

  @Test
  void writesModeloptsHfQuantConfigExcludingTheUnquantizedAttention() throws IOException {
    Map<String, Object> quantization = object(
        HfQuantConfigParser
            .readJson("hf_quant_config.json", resource(LlamaQuantConfig.HF_QUANT_CONFIG_RESOURCE))
            .get("quantization"));
    assertEquals("NVFP4", quantization.get("quant_algo"));
    assertEquals(16, quantization.get("group_size"));
    assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj",
        "model.layers.0.self_attn.v_proj", "model.layers.0.self_attn.o_proj",
        "model.layers.4.self_attn.q_proj",
        "model.layers.4.self_attn.k_proj", "model.layers.4.self_attn.v_proj",
        "model.layers.4.self_attn.o_proj",
        "lm_head"), quantization.get("exclude_modules"));
  }

  @Test
  void writesTheConfigJsonBlockAsModeloptDoes() throws IOException {
    Map<String, Object> block = HfQuantConfigParser.readJson("quantization_config.json",
        resource(LlamaQuantConfig.QUANTIZATION_CONFIG_RESOURCE));
    assertEquals("modelopt", block.get("quant_method"));
    assertEquals("model.layers.0.self_attn.q_proj", ((List<?>) block.get("ignore")).getFirst());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value) {
    return (Map<String, Object>) value;
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = LlamaQuantConfigTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
