package io.jquant.config;

import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.ScaleGranularity.BLOCK;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.rules.InputSpec;
import io.jquant.annotations.rules.WeightSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScaleSpecTest {

  @Test
  void blockSizeRejectsNonPositiveExtentsWithTheRuleWords() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BlockSize(0, 16));
    assertEquals(
        "[jquant:Scales.BlockShape] a scale block size is two positive integers {rows, cols}, not {0, 16}.",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BlockSize(1, -32));
  }

  @Test
  void blockSizeConvertsToAndFromTheRuleSetsList() {
    assertEquals(List.of(128, 128), new BlockSize(128, 128).toList());
    assertEquals(new BlockSize(1, 16), BlockSize.of(List.of(1, 16)));
    assertEquals("(1, 16)", new BlockSize(1, 16).toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BlockSize.of(List.of(1, 16, 1)));
    assertEquals("a block size is two integers (rows, cols), got [1, 16, 1]", e.getMessage());
  }

  @Test
  void blockInputWithoutBlockSizeFailsLikeMaxPostInit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new InputScaleSpec(BLOCK, STATIC, FLOAT32));
    assertEquals("[jquant:Scales.BlockMissing] BLOCK input scales need a block size {rows, cols}.",
        e.getMessage());
  }

  @Test
  void blockWeightWithoutBlockSizeFailsLikeMaxPostInit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new WeightScaleSpec(BLOCK, FLOAT8_E4M3FN));
    assertEquals("[jquant:Scales.BlockMissing] BLOCK weight scales need a block size {rows, cols}.",
        e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(ScaleGranularity.class)
  void exactlyOneGranularityPropertyHolds(ScaleGranularity g) {
    BlockSize block = g == BLOCK ? new BlockSize(1, 32) : null;
    InputScaleSpec in = new InputScaleSpec(g, DYNAMIC, FLOAT32, null, block);
    WeightScaleSpec w = new WeightScaleSpec(g, FLOAT32, block);
    List<Boolean> expected = List.of(g == TENSOR, g == ROWWISE, g == COLWISE, g == BLOCK);
    assertEquals(expected, List.of(in.isTensor(), in.isRowwise(), in.isColwise(), in.isBlock()));
    assertEquals(expected, List.of(w.isTensor(), w.isRowwise(), w.isColwise(), w.isBlock()));
  }

  @Test
  void inputSpecConvertsToTheRuleSpecAndBack() {
    InputScaleSpec spec = new InputScaleSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, 1200.0, null);
    InputSpec rule = spec.toRuleSpec();
    assertEquals(new InputSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, null, 1200.0), rule);
    assertEquals(spec, InputScaleSpec.fromRuleSpec(rule));

    InputScaleSpec block = InputScaleSpec.block(STATIC, FLOAT32, 1, 16);
    assertEquals(List.of(1, 16), block.toRuleSpec().block());
    assertNull(block.toRuleSpec().activationUpperBound());
    assertEquals(block, InputScaleSpec.fromRuleSpec(block.toRuleSpec()));
  }

  @Test
  void weightSpecConvertsToTheRuleSpecAndBack() {
    WeightScaleSpec block = WeightScaleSpec.block(FLOAT32, 128, 128);
    assertEquals(new WeightSpec(BLOCK, FLOAT32, List.of(128, 128)), block.toRuleSpec());
    assertEquals(block, WeightScaleSpec.fromRuleSpec(block.toRuleSpec()));
    WeightScaleSpec rowwise = new WeightScaleSpec(ROWWISE, FLOAT32);
    assertEquals(new WeightSpec(ROWWISE, FLOAT32, null), rowwise.toRuleSpec());
    assertEquals(rowwise, WeightScaleSpec.fromRuleSpec(rowwise.toRuleSpec()));
  }

  @Test
  void aBlockSizeOnNonBlockScalesIsLeftForTheRulesAsInMax() {
    // MAX's __post_init__ accepts it; the builder reports Scales.BlockUnexpected (QuantConfigBuilderTest).
    WeightScaleSpec spec = new WeightScaleSpec(ROWWISE, FLOAT32, new BlockSize(1, 32));
    assertEquals(List.of(1, 32), spec.toRuleSpec().block());
  }
}
