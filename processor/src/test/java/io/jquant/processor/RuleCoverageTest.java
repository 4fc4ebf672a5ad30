package io.jquant.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import io.jquant.annotations.rules.RuleId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every rule that a declaration can break has a test that asserts its tag: a rule added to {@link RuleId}
 * fails this test until a compile test covers it (or it is listed below with the reason it cannot arise from
 * annotations).
 */
class RuleCoverageTest {
  /** Rules only the runtime's {@code QuantConfig.Builder} can break. */
  private static final Set<RuleId> NOT_FROM_ANNOTATIONS = EnumSet.of(
      // A BLOCK format carries its block over, other formats refuse BLOCK first (ScalesAndFormatTest).
      RuleId.SCALES_BLOCK_MISSING,
      // Layer sets of a declaration come from layers entries, whose negatives are Layers.Negative.
      RuleId.CONFIG_LAYER_NEGATIVE,
      // The MoE fields of QuantConfig have no annotation member.
      RuleId.FLAGS_FUSED_SWIGLU_FORMAT,
      RuleId.FLAGS_PRESHUFFLED_B_FORMAT,
      RuleId.FLAGS_SHARED_EXPERTS_DTYPE);

  @Test
  void everyRuleFromAnnotations_hasACompileTest() throws IOException {
    String tests = testSources();
    List<String> uncovered = new ArrayList<>();
    for (RuleId rule : RuleId.values()) {
      if (!NOT_FROM_ANNOTATIONS.contains(rule) && !tests.contains("[" + rule.tag() + "]")) {
        uncovered.add(rule.id());
      }
    }
    assertWithMessage("rules without a compile test asserting their [jquant:<id>] tag").that(uncovered)
        .isEmpty();
  }

  private static String testSources() throws IOException {
    Path dir = Path.of("src", "test", "java", "io", "jquant", "processor");
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith("Test.java")).sorted().toList()) {
        if (!file.getFileName().toString().equals("RuleCoverageTest.java")) {
          all.append(Files.readString(file));
        }
      }
    }
    return all.toString();
  }
}
