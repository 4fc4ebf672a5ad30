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

  /** Attention 0 and 4 by exact name, then the subtree globs MAX's newer modelopt parser honours. */
  private static final String EXCLUDES = """
      "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj",
      "model.layers.0.self_attn.v_proj", "model.layers.0.self_attn.o_proj",
      "model.layers.4.self_attn.q_proj", "model.layers.4.self_attn.k_proj",
      "model.layers.4.self_attn.v_proj", "model.layers.4.self_attn.o_proj",
      "lm_head", "model.layers.0.self_attn*", "model.layers.4.self_attn*\"""";

  @Test
  void writesModeloptsHfQuantConfigExcludingTheUnquantizedAttention() throws IOException {
    assertEquals(HfQuantConfigParser.readJson("expected", """
        {"producer": {"name": "modelopt", "version": "jquant"},
         "quantization": {"quant_algo": "NVFP4", "kv_cache_quant_algo": null, "group_size": 16,
           "exclude_modules": [%s]}}
        """.formatted(EXCLUDES)),
        HfQuantConfigParser.readJson("hf_quant_config.json",
            resource(LlamaQuantConfig.HF_QUANT_CONFIG_RESOURCE)));
  }

  @Test
  void writesTheConfigJsonBlockAsModeloptDoes() throws IOException {
    assertEquals(HfQuantConfigParser.readJson("expected", """
        {"config_groups": {"group_0": {
           "input_activations": {"dynamic": false, "num_bits": 4, "type": "float", "group_size": 16},
           "weights": {"dynamic": false, "num_bits": 4, "type": "float", "group_size": 16},
           "targets": ["Linear"]}},
         "ignore": [%s], "quant_algo": "NVFP4", "kv_cache_scheme": null,
         "producer": {"name": "modelopt", "version": "jquant"}, "quant_method": "modelopt"}
        """.formatted(EXCLUDES)), HfQuantConfigParser.readJson("quantization_config.json",
        resource(LlamaQuantConfig.QUANTIZATION_CONFIG_RESOURCE)));
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = LlamaQuantConfigTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
