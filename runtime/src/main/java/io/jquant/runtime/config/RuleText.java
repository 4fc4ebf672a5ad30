package io.jquant.runtime.config;

import io.jquant.annotations.rules.RuleId;

/** Messages for rules the value types enforce themselves, printed as {@code Violation.render()} prints them. */
final class RuleText {
  private RuleText() {}

  /** {@code [jquant:Scales.BlockMissing] message}. */
  static String of(RuleId rule, String message) {
    return "[" + rule.tag() + "] " + message;
  }
}
