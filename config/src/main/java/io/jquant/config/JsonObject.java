package io.jquant.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed JSON object with typed, path-aware getters: every error names the field as
 * {@code input_scale.block_size[1]} so a user can find it in the file.
 */
final class JsonObject {
  private final Map<?, ?> map;
  private final String path;

  private JsonObject(Map<?, ?> map, String path) {
    this.map = map;
    this.path = path;
  }

  /** The object that {@code value}, read from the top of a document, must be. */
  static JsonObject root(Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("$: expected a JSON object, got " + describe(value));
    }
    return new JsonObject(m, "");
  }

  /** Refuses keys outside {@code known}, which lists them in the order the error message names them. */
  JsonObject onlyKeys(List<String> known) {
    for (Object key : map.keySet()) {
      if (!known.contains(key)) {
        throw error(shownKey(String.valueOf(key)),
            "unknown key; expected one of " + String.join(", ", known));
      }
    }
    return this;
  }

  JsonObject object(String key) {
    Object value = required(key);
    if (!(value instanceof Map<?, ?> m)) {
      throw error(key, "expected an object, got " + describe(value));
    }
    return new JsonObject(m, pathOf(key));
  }

  /** A required string, turned into an enum by {@code fromWireName}, whose message names the bad value. */
  <E> E wireName(String key, Function<String, E> fromWireName) {
    return parseWireName(key, required(key), fromWireName);
  }

  /** Like {@link #wireName} for a key that may be absent or null. */
  <E> E nullableWireName(String key, Function<String, E> fromWireName) {
    Object value = map.get(key);
    return value == null ? null : parseWireName(key, value, fromWireName);
  }

  /** A number, or null when absent or null. */
  Double nullableNumber(String key) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      throw error(key, "expected a number or null, got " + describe(value));
    }
    return n.doubleValue();
  }

  /** A boolean, or {@code absent} when the key is missing (MAX's dataclass default). */
  boolean bool(String key, boolean absent) {
    if (!map.containsKey(key)) {
      return absent;
    }
    Object value = map.get(key);
    if (!(value instanceof Boolean b)) {
      throw error(key, "expected true or false, got " + describe(value));
    }
    return b;
  }

  /** A required array of distinct integers (a Python set, written as a list). */
  Set<Integer> intSet(String key) {
    Set<Integer> result = new LinkedHashSet<>();
    List<?> list = array(key, required(key));
    for (int i = 0; i < list.size(); i++) {
      int value = integer(key + "[" + i + "]", list.get(i));
      if (!result.add(value)) {
        throw error(key + "[" + i + "]", "layer " + value + " is listed twice");
      }
    }
    return result;
  }

  /** A {@code [rows, cols]} pair, or null when absent or null. */
  BlockSize nullableBlockSize(String key) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    List<?> list = array(key, value);
    if (list.size() != 2) {
      throw error(key, "expected [rows, cols], got " + list);
    }
    int rows = integer(key + "[0]", list.get(0));
    int cols = integer(key + "[1]", list.get(1));
    try {
      return new BlockSize(rows, cols);
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  /** An error about this object itself, e.g. a spec its fields do not make. */
  IllegalArgumentException error(String message) {
    return new IllegalArgumentException((path.isEmpty() ? "$" : path) + ": " + message);
  }

  private IllegalArgumentException error(String key, String message) {
    return new IllegalArgumentException(pathOf(key) + ": " + message);
  }

  private Object required(String key) {
    if (!map.containsKey(key)) {
      throw error(key, "missing");
    }
    return map.get(key);
  }

  private <E> E parseWireName(String key, Object value, Function<String, E> fromWireName) {
    if (!(value instanceof String s)) {
      throw error(key, "expected a string, got " + describe(value));
    }
    try {
      return fromWireName.apply(s);
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage()); // e.g. "unknown scale granularity 'blok'"
    }
  }

  private List<?> array(String key, Object value) {
    if (!(value instanceof List<?> list)) {
      throw error(key, "expected an array, got " + describe(value));
    }
    return new ArrayList<>(list);
  }

  private int integer(String key, Object value) {
    // jackson-jr reads integers as Integer, Long or BigInteger; only Integer fits an int.
    if (!(value instanceof Integer i)) {
      throw error(key, "expected an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ", got "
          + describe(value));
    }
    return i;
  }

  /**
   * A key as a path segment: as it is when it is a plain name, else as a JSON string literal, so a key with a
   * newline, a colon or a dot cannot make the path read as another one.
   */
  private static String shownKey(String key) {
    if (key.matches("[A-Za-z0-9_]+")) {
      return key;
    }
    StringBuilder quoted = new StringBuilder("\"");
    key.chars().forEach(c -> {
      if (c == '"' || c == '\\') {
        quoted.append('\\').append((char) c);
      } else if (c < 0x20 || c == 0x7f) {
        quoted.append(String.format("\\u%04x", c));
      } else {
        quoted.append((char) c);
      }
    });
    return quoted.append('"').toString();
  }

  private String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof String s) {
      return "\"" + s + "\"";
    } else if (value instanceof Map) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    }
    return String.valueOf(value); // numbers and booleans
  }
}
