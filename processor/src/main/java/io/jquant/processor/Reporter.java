package io.jquant.processor;

import io.jquant.annotations.rules.Violation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/** Prints diagnostics at the most precise location javac can underline. */
final class Reporter {
  private final Messager messager;

  Reporter(Messager messager) {
    this.messager = messager;
  }

  /**
   * Reports each violation at its location. javac prints only the first error at a source position,
   * so violations that land on the same value are joined into one diagnostic, one line each.
   */
  void report(List<Violation> violations, ModelSource source) {
    Map<Location, List<String>> byLocation = new LinkedHashMap<>();
    for (Violation violation : violations) {
      Location at = source.locate(violation);
      Location key = new Location(at.element(), at.mirror(), at.value());
      byLocation.computeIfAbsent(key, k -> new ArrayList<>()).add(at.prefix() + violation.render());
    }
    byLocation.forEach((at, messages) -> error(String.join("\n", messages), at));
  }

  void error(String message, Location at) {
    if (at.value() != null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, at.element(), at.mirror(), at.value());
    } else if (at.mirror() != null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, at.element(), at.mirror());
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, message, at.element());
    }
  }

  /** A bug in jquant: one error on the element, with what is needed to report it, never a crash. */
  void crash(Element element, Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    messager.printMessage(Diagnostic.Kind.ERROR,
        "[jquant:Internal] the jquant processor failed on this element; please report it with this trace:\n" + trace,
        element);
  }
}
