package io.jquant.config.fuzz;

import java.util.List;
import java.util.Map;

/**
 * Prints a (mutated) JSON tree back to compact text. {@link Raw} values are printed as they are, so a tree
 * can hold text no parsed value has: {@code NaN}, {@code 1E400}, a lone-surrogate escape.
 */
public final class JsonText {
  private JsonText() {}

  /** Text printed verbatim in place of a value. */
  public record Raw(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** The compact JSON text of {@code node}. */
  public static String write(Object node) {
    StringBuilder out = new StringBuilder();
    write(out, node);
    return out.toString();
  }

  private static void write(StringBuilder out, Object node) {
    switch (node) {
      case null -> out.append("null");
      case Raw raw -> out.append(raw.text());
      case String s -> out.append('"').append(escape(s)).append('"');
      case Map<?, ?> map -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          out.append(first ? "" : ",");
          first = false;
          out.append('"').append(escape(String.valueOf(e.getKey()))).append("\":");
          write(out, e.getValue());
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          out.append(i > 0 ? "," : "");
          write(out, list.get(i));
        }
        out.append(']');
      }
      default -> out.append(node); // numbers and booleans
    }
  }

  /** {@code s} as the inside of a JSON string literal. */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
