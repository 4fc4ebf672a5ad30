package io.jquant.config.hf;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jquant.annotations.QuantFormat;
import io.jquant.config.MaxConfigs;
import io.jquant.config.fuzz.FuzzRun;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Coverage-guided fuzzing of {@link HfQuantConfigParser} with Jazzer, for long runs outside CI (profile
 * {@code fuzz}, see the README): config.json and hf_quant_config.json texts with one format's tensors.
 */
class HfQuantConfigJazzerTest {
  private static final int MAX_LAYERS = 4096; // see HfQuantConfigFuzzTest.MAX_LAYERS

  @FuzzTest(maxDuration = "10m")
  void parse(FuzzedDataProvider data) {
    QuantFormat[] formats = QuantFormat.values();
    CheckpointTensors tensors = data.consumeBoolean() ? CheckpointTensors.none()
        : FakeCheckpoint.of(MaxConfigs.forFormat(formats[data.consumeInt(0, formats.length - 1)]), 4, true);
    String hfQuant = data.consumeBoolean() ? data.consumeString(2000) : null;
    String config = data.consumeRemainingAsString();
    FuzzRun.Input input = new FuzzRun.Input();
    input.set(HfQuantConfigParser.CONFIG_JSON,
        (config + "\n---\n" + hfQuant).getBytes(StandardCharsets.UTF_8));
    try {
      Map<String, Object> configJson = HfQuantConfigParser.readJson(HfQuantConfigParser.CONFIG_JSON, config);
      Map<String, Object> hfJson = hfQuant == null ? null
          : HfQuantConfigParser.readJson(HfQuantConfigParser.HF_QUANT_CONFIG_JSON, hfQuant);
      int layers = HfQuantConfigParser.numHiddenLayers(configJson);
      if (layers <= MAX_LAYERS) {
        HfQuantConfigParser.parse(configJson, hfJson, layers, tensors);
      }
    } catch (RuntimeException e) {
      String problem = HfQuantConfigFuzzTest.oracle(e, input);
      if (problem != null) {
        throw new AssertionError(problem, e);
      }
    }
  }
}
