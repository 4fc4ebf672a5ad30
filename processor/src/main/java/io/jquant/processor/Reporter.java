package io.jquant.processor;

import io.jquant.annotations.rules.RuleId;
import io.jquant.annotations.rules.Violation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The one way the processor reports: each {@link Problem} at the most precise location javac can underline;
 * errors for broken rules, warnings ({@link #warn}) where a serving engine reads a correct declaration
 * otherwise.
 */
final class Reporter {
  private final Messager messager;

  Reporter(Messager messager) {
    this.messager = messager;
  }

  /** The rule set's violations, each at the place {@code source} finds for it. */
  void report(List<Violation> violations, ModelSource source) {
    report(violations.stream().map(v -> Problem.of(v, source)).toList());
  }

  /**
   * Reports each problem at its location. javac prints only the first error at a source position, so problems
   * that land on the same value are joined into one diagnostic, one line each (a line twice once).
   */
  void report(List<Problem> problems) {
    Map<Location, Set<String>> byLocation = new LinkedHashMap<>();
    for (Problem problem : problems) {
      Location at = problem.at();
      Location key = new Location(at.element(), at.mirror(), at.value());
      byLocation.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(problem.render());
    }
    byLocation.forEach((at, lines) -> print(String.join("\n", lines), at));
  }

  void report(Problem problem) {
    report(List.of(problem));
  }

  /**
   * Serving warnings ({@code Serving.*}): each as a WARNING at its place, saying how to silence it, unless
   * {@code @SuppressWarnings("jquant:<id>")} sits on that place's element, an element enclosing it, or
   * {@code model}.
   */
  void warn(List<Violation> warnings, ModelSource source, Element model) {
    for (Violation warning : warnings) {
      Problem problem = Problem.of(warning, source);
      String tag = warning.rule().tag();
      if (!suppressed(problem.at().element(), tag) && !suppressed(model, tag)) {
        print(Diagnostic.Kind.WARNING, problem.render() + " Silence with @SuppressWarnings(\"" + tag
            + "\") on the model or the layer class.", problem.at());
      }
    }
  }

  private static boolean suppressed(Element element, String tag) {
    for (Element e = element; e != null; e = e.getEnclosingElement()) {
      SuppressWarnings suppress = e.getAnnotation(SuppressWarnings.class);
      if (suppress != null && Arrays.asList(suppress.value()).contains(tag)) {
        return true;
      }
    }
    return false;
  }

  /** A bug in jquant: one error on the element, with what is needed to report it, never a crash. */
  void crash(Element element, Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    report(new Problem(RuleId.SETUP_INTERNAL,
        "the jquant processor failed on this element; please report it with this trace:\n" + trace,
        new Location(element, null, null)));
  }

  private void print(String message, Location at) {
    print(Diagnostic.Kind.ERROR, message, at);
  }

  private void print(Diagnostic.Kind kind, String message, Location at) {
    if (at.element() == null) {
      messager.printMessage(kind, message);
    } else if (at.value() != null) {
      messager.printMessage(kind, message, at.element(), at.mirror(), at.value());
    } else if (at.mirror() != null) {
      messager.printMessage(kind, message, at.element(), at.mirror());
    } else {
      messager.printMessage(kind, message, at.element());
    }
  }
}
