/**
 * The one rule set that says which quantization declarations are consistent.
 *
 * <p>Two users: the annotation processor turns each {@link io.jquant.annotations.rules.Violation} into a
 * compile error on the annotation value its {@link io.jquant.annotations.rules.Place} names, and the
 * runtime's {@code QuantConfig.Builder} turns the same violations into an {@link IllegalArgumentException}
 * with the same words. Every rule has a stable {@link io.jquant.annotations.rules.RuleId}.
 */
package io.jquant.annotations.rules;
