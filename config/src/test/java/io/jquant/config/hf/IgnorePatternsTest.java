package io.jquant.config.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IgnorePatternsTest {
  @Test
  void exactNamesMatchTheModuleAndItsChildren() {
    IgnorePatterns p = IgnorePatterns.of(List.of("lm_head", "model.layers.1.self_attn"));
    assertTrue(p.matches("lm_head"));
    assertTrue(p.matches("model.layers.1.self_attn.q_proj"));
    assertFalse(p.matches("model.layers.11.self_attn.q_proj"));
    assertFalse(p.matches("model.layers.1.self_attn_norm"));
    assertFalse(p.matches("model.lm_head_extra"));
  }

  @Test
  void fnmatchStarCrossesDotsAndClassesWork() {
    IgnorePatterns p = IgnorePatterns
        .of(List.of("model.layers.*.mlp.router", "*.[qk]_proj", "model.layers.?.mlp"));
    assertTrue(p.matches("model.layers.12.mlp.router"));
    assertTrue(p.matches("model.layers.0.self_attn.k_proj"));
    assertFalse(p.matches("model.layers.0.self_attn.v_proj"));
    assertTrue(p.matches("model.layers.3.mlp.down_proj")); // parent model.layers.3.mlp
    assertFalse(p.matches("model.layers.13.mlp.down_proj"));
    assertTrue(IgnorePatterns.of(List.of("model.layers.[!0].mlp")).matches("model.layers.5.mlp.up_proj"));
    assertFalse(IgnorePatterns.of(List.of("model.layers.[!0].mlp")).matches("model.layers.0.mlp.up_proj"));
  }

  /** Every case of fnmatch_cases.tsv, which Python's fnmatch.fnmatchcase computed (make_fnmatch_cases.py). */
  @Test
  void globsMatchAsPythonsFnmatchcase() throws IOException {
    List<String> lines;
    try (InputStream in = IgnorePatternsTest.class.getResourceAsStream("/hf/fnmatch_cases.tsv")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertEquals(2073, lines.size());
    List<String> wrong = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.split("\t", -1);
      boolean expected = f[2].equals("1");
      if (FnmatchGlob.of(f[0]).matches(f[1]) != expected) {
        wrong.add("pattern \"" + f[0] + "\" name \"" + f[1] + "\" should " + (expected ? "" : "not ")
            + "match");
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void questionMarksAndStarsTakeNewlinesAsPythonsDotallRegexDoes() {
    assertTrue(FnmatchGlob.of("a?b").matches("a\nb"));
    assertTrue(FnmatchGlob.of("a*b").matches("a\n\nb"));
    assertTrue(FnmatchGlob.of("[!x]").matches("\n"));
  }

  /** A backtracking regex of one .* per star took exponential time here; the glob matcher does not. */
  @Test
  void manyStarsDoNotHang() {
    String name = "model.layers.0.self_attn.q_proj.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    IgnorePatterns p = IgnorePatterns.of(List.of("*".repeat(40) + "X", "*a".repeat(30) + "X"));
    boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> p.matches(name));
    assertFalse(matched);
    assertTrue(IgnorePatterns.of(List.of("*".repeat(40) + "q_proj")).matches(name));
    IgnorePatterns huge = IgnorePatterns.of(List.of("*a".repeat(500_000), "?".repeat(1_000_000)));
    assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      boolean any = false;
      for (int layer = 0; layer < 10_000; layer++) {
        any |= huge.matches("model.layers." + layer + ".mlp.gate_proj");
      }
      return any;
    }));
  }

  @Test
  void regexesMatchFromTheStartLikePythonsReMatch() {
    IgnorePatterns p = IgnorePatterns.of(List.of("re:.*self_attn\\.(q|k)_proj$", "re:model\\.layers\\.2\\."));
    assertTrue(p.matches("model.layers.0.self_attn.q_proj"));
    assertFalse(p.matches("model.layers.0.self_attn.o_proj"));
    assertTrue(p.matches("model.layers.2.mlp.up_proj")); // a prefix match is enough
    assertFalse(p.matches("xmodel.layers.2.mlp.up_proj"));
  }

  @Test
  void emptyMatchesNothing() {
    assertFalse(IgnorePatterns.none().matches("lm_head"));
    assertTrue(IgnorePatterns.none().isEmpty());
  }

  /** Python would hang on these regexes; jquant stops them, naming the list, the entry and the name. */
  @Test
  void aRegexThatBacktracksWithoutEndIsStopped() {
    String name = "model.layers.0.mlp.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    // Java's regex engine memoizes most nested loops ((a+)+b is fast); these two still blow up.
    for (String entry : List.of("re:(.*a){20}b", "re:.*(a|a)*\\1b")) {
      IgnorePatterns p = IgnorePatterns.of(List.of(entry), "config.json: quantization_config.ignore");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> p.matches(name)));
      assertEquals("config.json: quantization_config.ignore: ignore entry \"" + entry + "\" takes more than"
          + " 10000000 steps to match \"" + name + "\": the regex backtracks without end; simplify it",
          e.getMessage());
    }
    assertTrue(IgnorePatterns.of(List.of("re:.*(a+)+$")).matches("model.aaa"));
  }
}
