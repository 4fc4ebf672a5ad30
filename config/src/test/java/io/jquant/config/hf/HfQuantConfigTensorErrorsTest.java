package io.jquant.config.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors the fuzzer (HfQuantConfigFuzzTest) found naming neither file nor key (a config that the checkpoint's
 * tensors contradict, a config file that is not UTF-8) or crashing (a deeply nested value).
 */
class HfQuantConfigTensorErrorsTest {
  private static final String CT_FP8_STATIC = "{\"quant_method\": \"compressed-tensors\", \"config_groups\":"
      + " {\"group_0\": {\"targets\": [\"Linear\"], \"weights\": {\"num_bits\": 8, \"type\": \"float\","
      + " \"strategy\": \"tensor\"}, \"input_activations\": {\"num_bits\": 8, \"type\": \"float\","
      + " \"strategy\": \"tensor\"}}}}";

  private static String error(String config, String hfQuant, CheckpointTensors tensors) {
    Map<String, Object> configJson = HfQuantConfigParser.readJson("config.json", config);
    Map<String, Object> hfJson = hfQuant == null ? null
        : HfQuantConfigParser.readJson("hf_quant_config.json",
            hfQuant);
    return assertThrows(IllegalArgumentException.class,
        () -> HfQuantConfigParser.parse(configJson, hfJson, 1, tensors)).getMessage();
  }

  @Test
  void scaleDtypesTheFormatRefusesNameTheConfig() {
    CheckpointTensors tensors = CheckpointTensors.of(List.of(
        TensorInfo.of("model.layers.0.mlp.down_proj.weight_scale", StorageDType.U8)));
    assertEquals("config.json: quantization_config: invalid QuantConfig:\n[jquant:Format.WeightDType]"
        + " COMPRESSED_TENSORS_FP8 weight scales are FLOAT32, BFLOAT16 or FLOAT16, not UINT8.",
        error("{\"quantization_config\": " + CT_FP8_STATIC + "}", null, tensors));
  }

  @Test
  void missingWeightScalesNameTheConfig() {
    assertEquals("config.json: quantization_config: could not find weight scale dtype for tensorwise FP8"
        + " quantized weights",
        error("{\"quantization_config\": {\"quant_method\": \"fp8\","
            + " \"activation_scheme\": \"static\"}}", null, CheckpointTensors.of(List.of())));
  }

  @Test
  void theStandaloneFileIsNamedForItsTensorErrors() {
    CheckpointTensors tensors = CheckpointTensors.of(List.of(
        TensorInfo.of("model.layers.0.self_attn.q_proj.bias", StorageDType.F32, 4),
        TensorInfo.of("model.layers.0.self_attn.k_proj.bias", StorageDType.BF16, 4)));
    assertEquals("hf_quant_config.json: quantization: Inconsistent bias dtypes found: float32 vs bfloat16 in"
        + " model.layers.0.self_attn.k_proj.bias (model.layers.0.self_attn.q_proj.bias is float32)",
        error("{}", "{\"producer\": {\"name\": \"modelopt\"}, \"quantization\": {\"quant_algo\": \"NVFP4\"}}",
            tensors));
  }

  @Test
  void configJsonThatIsNotUtf8IsNamedWithTheByte(@TempDir Path dir) throws IOException {
    byte[] bytes = "{\"num_hidden_layers\": 1, \"x\": \"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    bytes[bytes.length - 3] = (byte) 0xff; // the first byte of the two-byte é
    Files.write(dir.resolve("config.json"), bytes);
    assertEquals("config.json: not valid JSON: the bytes are not UTF-8 at byte 31",
        assertThrows(IllegalArgumentException.class,
            () -> HfQuantConfigParser.parse(dir, CheckpointTensors.none())).getMessage());
  }

  @Test
  void aDeeplyNestedValueIsShownShortInsteadOfOverflowingTheStack() {
    String nested = "[".repeat(999) + "]".repeat(999);
    assertEquals("config.json: num_hidden_layers: expected an integer, got [[[[...]]]]",
        assertThrows(IllegalArgumentException.class, () -> HfQuantConfigParser.numHiddenLayers(
            HfQuantConfigParser.readJson("config.json", "{\"num_hidden_layers\": " + nested + "}")))
            .getMessage());
  }
}
