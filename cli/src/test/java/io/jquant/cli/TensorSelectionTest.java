package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TensorSelectionTest {
  private static final List<Long> MATRIX = List.of(64L, 64L);

  private static Optional<String> reason(TensorSelection selection, String name) {
    return selection.skipReason(name, StorageDType.BF16, MATRIX);
  }

  @Test
  void quantizesAttentionAndMlpProjectionsOfLlamaAndBert() {
    TensorSelection all = TensorSelection.excluding(List.of());
    for (String name : List.of("model.layers.0.self_attn.q_proj.weight",
        "model.layers.0.self_attn.o_proj.weight",
        "model.layers.3.mlp.gate_up_proj.weight", "model.layers.3.mlp.down_proj.weight",
        "model.layers.1.self_attn.qkv_proj.weight", "encoder.layer.0.attention.self.query.weight",
        "encoder.layer.0.attention.output.dense.weight", "encoder.layer.0.intermediate.dense.weight",
        "encoder.layer.0.output.dense.weight")) {
      assertEquals(Optional.empty(), reason(all, name), name);
    }
  }

  @Test
  void leavesEverythingElse() {
    TensorSelection all = TensorSelection.excluding(List.of());
    String notProjection = "not an attention or MLP projection";
    assertEquals(Optional.of(notProjection), reason(all, "lm_head.weight"));
    assertEquals(Optional.of(notProjection), reason(all, "model.embed_tokens.weight"));
    assertEquals(Optional.of(notProjection), reason(all, "bert.pooler.dense.weight"));
    assertEquals(Optional.of("not a weight"), reason(all, "model.layers.0.self_attn.q_proj.bias"));
    assertEquals(Optional.of("1-D"),
        all.skipReason("model.layers.0.mlp.up_proj.weight", StorageDType.BF16, List.of(64L)));
    assertEquals(Optional.of("stored as I8, not a float type"),
        all.skipReason("model.layers.0.mlp.up_proj.weight", StorageDType.I8, MATRIX));
  }

  @Test
  void excludesByNameParentWildcardAndRegex() {
    TensorSelection selection = TensorSelection.excluding(
        List.of("model.layers.0.self_attn", "*.down_proj", "re:model\\.layers\\.[12]\\.mlp"));
    String excluded = "excluded by --exclude";
    assertEquals(Optional.of(excluded), reason(selection, "model.layers.0.self_attn.k_proj.weight"));
    assertEquals(Optional.of(excluded), reason(selection, "model.layers.5.mlp.down_proj.weight"));
    assertEquals(Optional.of(excluded), reason(selection, "model.layers.2.mlp.up_proj.weight"));
    assertEquals(Optional.empty(), reason(selection, "model.layers.10.self_attn.k_proj.weight"));
    assertEquals(Optional.empty(), reason(selection, "model.layers.3.mlp.up_proj.weight"));
  }

  @Test
  void aBadRegexIsBadInput() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> TensorSelection.excluding(List.of("re:(")));
    assertEquals(true, e.getMessage().startsWith("--exclude: "), e.getMessage());
  }

  @Test
  void shardSizesFollowHuggingFaceUnits() {
    assertEquals(5_000_000_000L, ByteSize.parse("5GB"));
    assertEquals(2L << 30, ByteSize.parse("2GiB"));
    assertEquals(500_000L, ByteSize.parse("500kb"));
    assertEquals(123L, ByteSize.parse("123"));
    assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("5 parsecs"));
  }
}
