package io.jquant.annotations.rules;

import java.util.List;
import java.util.Objects;

/**
 * One broken rule: its id, the places it may be reported at (best first: a reporter takes the first place the
 * user actually wrote), and a message saying what is wrong and what would be right.
 */
public record Violation(RuleId rule, List<Place> places, String message) {
  public Violation {
    Objects.requireNonNull(rule);
    places = List.copyOf(places);
    if (places.isEmpty()) {
      throw new IllegalArgumentException("a violation needs a place");
    }
    Objects.requireNonNull(message);
  }

  public Violation(RuleId rule, Place place, String message) {
    this(rule, List.of(place), message);
  }

  /** The preferred place. */
  public Place place() {
    return places.get(0);
  }

  /** The message as users see it, prefixed with the rule id: {@code [jquant:Layers.OutOfRange] ...}. */
  public String render() {
    return SpecMessages.render(rule, message);
  }

  @Override
  public String toString() {
    return render();
  }
}
