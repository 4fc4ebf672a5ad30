package io.jquant.processor;

import io.jquant.annotations.rules.RuleId;
import io.jquant.annotations.rules.SpecMessages;
import io.jquant.annotations.rules.Violation;
import java.util.Objects;

/**
 * One error the processor reports: a catalogued rule, what is wrong, and where javac should put it. Rule-set
 * violations and the processor's own findings (wiring, checkpoint, set-up) all become one of these, so every
 * diagnostic carries an id from {@link RuleId}.
 */
record Problem(RuleId rule, String message, Location at) {
  Problem {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }

  /** {@code violation} at the place {@code source} finds for it. */
  static Problem of(Violation violation, ModelSource source) {
    return new Problem(violation.rule(), violation.message(), source.locate(violation));
  }

  /** The line users see: the culprit when the error had to move, then {@code [jquant:Rule.Id] message}. */
  String render() {
    return at.prefix() + SpecMessages.render(rule, message);
  }
}
