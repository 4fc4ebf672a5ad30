package io.jquant.config.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    IgnorePatterns p = IgnorePatterns.of(List.of("model.layers.*.mlp.router", "*.[qk]_proj", "model.layers.?.mlp"));
    assertTrue(p.matches("model.layers.12.mlp.router"));
    assertTrue(p.matches("model.layers.0.self_attn.k_proj"));
    assertFalse(p.matches("model.layers.0.self_attn.v_proj"));
    assertTrue(p.matches("model.layers.3.mlp.down_proj")); // parent model.layers.3.mlp
    assertFalse(p.matches("model.layers.13.mlp.down_proj"));
    assertTrue(IgnorePatterns.of(List.of("model.layers.[!0].mlp")).matches("model.layers.5.mlp.up_proj"));
    assertFalse(IgnorePatterns.of(List.of("model.layers.[!0].mlp")).matches("model.layers.0.mlp.up_proj"));
  }

  @Test
  void fnmatchTranslation() {
    assertEquals(".*\\Q.\\E[qk]\\Q_\\E\\Qp\\E\\Qr\\E\\Qo\\E\\Qj\\E", IgnorePatterns.fnmatchRegex("*.[qk]_proj"));
    assertEquals("[^0]", IgnorePatterns.fnmatchRegex("[!0]"));
    assertEquals("\\[\\Qa\\E", IgnorePatterns.fnmatchRegex("[a")); // an unclosed bracket is literal
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
}
