package io.jquant.cli;

import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ServingRules;
import io.jquant.annotations.rules.Violation;
import io.jquant.config.QuantConfig;
import java.util.List;

/**
 * What {@code jquant quantize} says about an export some serving engine reads otherwise than written: the
 * processor's {@link ServingRules} (the same words a declaration gets as a compiler warning), run on the
 * config the export carries. The export is still written: the engines that read it right are named.
 */
final class EngineWarnings {
  private EngineWarnings() {}

  /** One line per rule that fires, ending with the rule's id (see the README's rule table). */
  static List<String> of(QuantConfig config, int numLayers) {
    ModelCheck check = new ModelCheck(List.of(), config.format(), config.inputScale().toRuleSpec(),
        config.weightScale().toRuleSpec(), config.mlpQuantizedLayers(), config.attnQuantizedLayers(),
        List.of());
    return ServingRules.check(check, numLayers).stream().map(EngineWarnings::line).toList();
  }

  private static String line(Violation violation) {
    return violation.message() + " [" + violation.rule().id() + "]";
  }
}
