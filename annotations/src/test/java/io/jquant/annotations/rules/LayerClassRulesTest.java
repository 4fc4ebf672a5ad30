package io.jquant.annotations.rules;

import static io.jquant.annotations.QuantFormat.NVFP4;
import static io.jquant.annotations.rules.Decl.mlp;
import static io.jquant.annotations.rules.Decl.withLayers;
import static io.jquant.annotations.rules.Decl.withWeight;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.annotations.DType;
import io.jquant.annotations.ScaleGranularity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A layer class that no model lists is still checked on its own. */
class LayerClassRulesTest {
  @Test
  void aCorrectClassIsClean() {
    assertEquals(List.of(), ModelRules.checkLayerClass(mlp(NVFP4, "0-15")));
  }

  @Test
  void layersRolesAndSpecsAreCheckedWithoutAModel() {
    PartDeclaration broken = withWeight(withLayers(mlp(NVFP4), List.of("0-3", "x", "5000")),
        new WeightSpec(ScaleGranularity.ROWWISE, DType.FLOAT8_E4M3FN, null));
    List<String> rendered = ModelRules.checkLayerClass(broken).stream().map(Violation::render).toList();
    assertEquals(List.of(
        "[jquant:Layers.Syntax] layer entry \"x\" is neither an index like \"7\" nor an inclusive range"
            + " like \"0-15\".",
        "[jquant:Layers.OutOfRange] layer entry \"5000\" reaches layer 5000, but jquant supports at most"
            + " 4096 layers.",
        "[jquant:Format.WeightGranularity] NVFP4 weight scales are BLOCK, not ROWWISE."), rendered);
  }

  @Test
  void placesNamePartZero() {
    List<Violation> violations = ModelRules.checkLayerClass(withLayers(mlp(NVFP4), List.of("a")));
    assertEquals(List.of(new Place(0, Attribute.LAYERS, 0)), violations.get(0).places());
  }
}
