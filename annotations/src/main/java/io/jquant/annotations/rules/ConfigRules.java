package io.jquant.annotations.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Checks a {@code QuantConfig} built at run time: the same spec and flag rules a declaration obeys. */
public final class ConfigRules {
  private ConfigRules() {}

  /** Every violation in {@code config}; places are model-level ({@link Place#MODEL}). */
  public static List<Violation> check(ConfigDeclaration config) {
    List<Violation> violations = new ArrayList<>(
        SpecRules.check(Place.MODEL, config.format(), config.input(), config.weight()));
    violations.addAll(FlagRules.check(config.format(), config.embeddingOutputDtype(), config.biasDtype(),
        config.fusedMlp(), config.scalesPreInterleaved()));
    violations.addAll(MoeRules.check(config));
    negative(config.mlpQuantizedLayers(), Attribute.MLP_LAYERS, "mlpQuantizedLayers", violations);
    negative(config.attnQuantizedLayers(), Attribute.ATTN_LAYERS, "attnQuantizedLayers", violations);
    return violations;
  }

  private static void negative(Set<Integer> layers, Attribute attribute, String field, List<Violation> out) {
    Set<Integer> negative = new TreeSet<>();
    layers.stream().filter(layer -> layer < 0).forEach(negative::add);
    if (!negative.isEmpty()) {
      out.add(new Violation(RuleId.CONFIG_LAYER_NEGATIVE, Place.model(attribute),
          field + " holds negative layer indices " + negative + "; layers are numbered from 0."));
    }
  }
}
