package io.jquant.config.hf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A value inside a parsed JSON file, with the file and the key path that lead to it, so every error says
 * where: {@code config.json: quantization_config.weight_block_size: ...}.
 *
 * @param file the file name, e.g. {@code config.json}
 * @param path the dotted key path from the file's root; empty for the root
 * @param value the value (maps, lists, strings, numbers, booleans), or null when absent or JSON null
 */
record JsonAt(String file, String path, Object value) {

  static JsonAt root(String file, Map<String, Object> value) {
    return new JsonAt(file, "", value);
  }

  /** The member {@code key} of this object (value null when absent). */
  JsonAt get(String key) {
    Object child = object().get(key);
    return new JsonAt(file, path.isEmpty() ? key : path + "." + key, child);
  }

  /** Whether the member {@code key} exists (even as null). */
  boolean has(String key) {
    return object().containsKey(key);
  }

  boolean isNull() {
    return value == null;
  }

  /** Python truthiness: null, false, 0, "" and empty containers are false. */
  boolean truthy() {
    return switch (value) {
      case null -> false;
      case Boolean b -> b;
      case Number n -> n.doubleValue() != 0;
      case String s -> !s.isEmpty();
      case Map<?, ?> m -> !m.isEmpty();
      case List<?> l -> !l.isEmpty();
      default -> true;
    };
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> object() {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw error("expected a JSON object, got " + describe(value));
  }

  /** The string, or null when absent or null. */
  String optString() {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw error("expected a string, got " + describe(value));
  }

  String string() {
    if (value == null) {
      throw error("is missing");
    }
    return optString();
  }

  boolean bool(boolean absent) {
    if (value == null) {
      return absent;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw error("expected true or false, got " + describe(value));
  }

  /** An integer, or {@code absent} when missing or null. */
  Integer optInt() {
    if (value == null) {
      return null;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      long v = ((Number) value).longValue();
      if (v == (int) v) {
        return (int) v;
      }
    }
    throw error("expected an integer, got " + describe(value));
  }

  Double optNumber() {
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw error("expected a number, got " + describe(value));
  }

  /** A list of strings; empty when absent or null. */
  List<String> stringList() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw error("expected a list of strings, got " + describe(value));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s)) {
        throw new JsonAt(file, path + "[" + i + "]", list.get(i))
            .error("expected a string, got " + describe(list.get(i)));
      }
      out.add(s);
    }
    return out;
  }

  /** {@code file: path: message}. */
  IllegalArgumentException error(String message) {
    return new IllegalArgumentException(file + ": " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  /** Lists nested deeper are shown as {@code [...]}: a value nested 999 deep must not recurse 999 deep. */
  private static final int SHOWN_DEPTH = 3;

  /** The value as JSON shows it, for messages: {@code "tensor_group"}, {@code 4}, {@code [64, 64]}. */
  static String describe(Object value) {
    return describe(value, 0);
  }

  private static String describe(Object value, int depth) {
    return switch (value) {
      case null -> "null";
      case String s -> "\"" + s + "\"";
      case Map<?, ?> m -> "an object";
      case List<?> l when depth >= SHOWN_DEPTH -> l.isEmpty() ? "[]" : "[...]";
      case List<?> l -> l.stream().map(v -> describe(v, depth + 1)).toList().toString();
      default -> String.valueOf(value);
    };
  }

  /** {@code path: value}, for messages about this value. */
  String shown() {
    return describe(value);
  }
}
