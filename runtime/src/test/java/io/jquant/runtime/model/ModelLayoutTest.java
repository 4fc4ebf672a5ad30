package io.jquant.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModelLayoutTest {
  @Test
  void layerCountsAreRefusedWithTheCompilersWords() {
    assertEquals("[jquant:Model.NumLayers] a model has at least one layer; numLayers is 0.",
        assertThrows(IllegalArgumentException.class, () -> new ModelLayout(0, "model.layers.{layer}"))
            .getMessage());
    assertEquals("[jquant:Model.NumLayers] jquant supports at most 4096 layers; numLayers is 100000000.",
        assertThrows(IllegalArgumentException.class,
            () -> new ModelLayout(100_000_000, "model.layers.{layer}"))
            .getMessage());
  }

  @Test
  void projectionModulesFollowThePrefix() {
    ModelLayout bert = new ModelLayout(6, "encoder.layer.{layer}");
    assertEquals("encoder.layer.5.intermediate.dense", bert.module(5, "intermediate.dense"));
    assertThrows(IndexOutOfBoundsException.class, () -> bert.layerPrefix(6));
  }
}
