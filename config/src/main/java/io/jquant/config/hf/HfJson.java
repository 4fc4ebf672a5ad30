package io.jquant.config.hf;

import io.jquant.config.StrictJson;
import java.util.List;
import java.util.Map;

/**
 * JSON text to maps and back, with errors that name the file. The writer prints what Python's
 * {@code json.dumps(obj, indent=2)} prints (the form Hugging Face files are written in), plus a final
 * newline, so a rewritten config.json diffs cleanly against the original.
 */
final class HfJson {

  private HfJson() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> readObject(String fileName, String json) {
    Object value = StrictJson.parse(json, fileName + ": ");
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(
          fileName + ": expected a JSON object, got " + JsonAt.describe(value));
    }
    return (Map<String, Object>) value;
  }

  static String write(Map<String, Object> json) {
    StringBuilder out = new StringBuilder();
    value(out, json, 0);
    return out.append('\n').toString();
  }

  private static void value(StringBuilder out, Object v, int indent) {
    switch (v) {
      case null -> out.append("null");
      case Map<?, ?> map -> {
        if (map.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append('{');
        String sep = "\n";
        for (Map.Entry<?, ?> e : map.entrySet()) {
          out.append(sep);
          pad(out, indent + 2);
          string(out, String.valueOf(e.getKey()));
          out.append(": ");
          value(out, e.getValue(), indent + 2);
          sep = ",\n";
        }
        out.append('\n');
        pad(out, indent);
        out.append('}');
      }
      case List<?> list -> {
        if (list.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append('[');
        String sep = "\n";
        for (Object item : list) {
          out.append(sep);
          pad(out, indent + 2);
          value(out, item, indent + 2);
          sep = ",\n";
        }
        out.append('\n');
        pad(out, indent);
        out.append(']');
      }
      case String s -> string(out, s);
      case Boolean b -> out.append(b);
      case Double d -> out.append(pythonFloat(d));
      case Float f -> out.append(pythonFloat(f.doubleValue()));
      case Number n -> out.append(n);
      default -> throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
    }
  }

  /**
   * Python's float repr for the values configs hold: 1200.0, 0.5, 1e-05; NaN and infinities as Python writes
   * them.
   */
  private static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    String s = Double.toString(d); // shortest repr, like Python's, but with Java's exponent style
    int e = s.indexOf('E');
    if (e < 0) {
      return s;
    }
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    int exp = Integer.parseInt(s.substring(e + 1));
    if (exp >= -4 && exp < 16) {
      return new java.math.BigDecimal(s).toPlainString(); // Python prints these without an exponent
    }
    return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c)); // Python's ensure_ascii
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void pad(StringBuilder out, int n) {
    out.append(" ".repeat(n));
  }
}
