package io.jquant.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jquant.config.fuzz.FuzzRun;

/**
 * Coverage-guided fuzzing of {@link QuantConfig#fromJson} with Jazzer, for long runs outside CI (profile
 * {@code fuzz}, see the README). Without {@code JAZZER_FUZZ=1} it replays the stored inputs only.
 */
class QuantConfigJazzerTest {
  @FuzzTest(maxDuration = "10m")
  void fromJson(String json) {
    if (json == null) {
      return; // Jazzer's replay without stored inputs passes null
    }
    FuzzRun.Input input = new FuzzRun.Input();
    input.set("QuantConfig JSON", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try {
      QuantConfig config = QuantConfig.fromJson(json);
      if (!config.equals(QuantConfig.fromJson(config.toJson()))) {
        throw new AssertionError("a parsed config must survive a round trip: " + json);
      }
    } catch (RuntimeException e) {
      String problem = QuantConfigJsonFuzzTest.oracle(e, input);
      if (problem != null) {
        throw new AssertionError(problem, e);
      }
    }
  }
}
