package io.jquant.config.fuzz;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded mutations of reader inputs for the fuzz tests: raw bytes (flips, truncation, extension, spliced
 * ranges), JSON text (token deletion, duplication, swaps, nesting, long strings) and parsed JSON trees (keys
 * deleted or renamed, values swapped or changed in type, edge numbers). One {@code Mutator} per case, seeded
 * from the case number, so every case reproduces on its own; {@link #log()} records what was done.
 */
public final class Mutator {
  /** Numbers that break readers: signs, int/long/u64 edges, overflow in products, floats, non-numbers. */
  public static final List<String> NUMBERS = List.of("0", "1", "-1", "-0", "2", "3", "7", "8", "16", "31",
      "128", "255", "65536", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
      "4294967297", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
      "18446744073709551615", "18446744073709551616", "99999999999999999999999999999", "1.5", "0.0", "-0.0",
      "1e3", "1E400", "1e-400", "-1e309", "NaN", "Infinity", "-Infinity", "0x10", "01", "1.", ".5", "+1");

  /** Strings that break readers: empty, control characters, paths, surrogates, non-ASCII, long. */
  public static final List<String> STRINGS = List.of("", " ", "\\u0000", "\\n", "\\ud800", "\\udfff",
      "\\ud83d\\ude00", "\u00e9\u4e2d", "\u0000x", "..", "../x", "/etc/passwd", "a/b", "\\\\", "\\\"",
      "%s%n", "null", "true", "NaN", "__metadata__", "weight_map", "metadata");

  /** JSON values of every type, to replace a value with one of another type. */
  private static final List<String> VALUES = List.of("null", "true", "false", "[]", "{}", "[1,2]", "[[]]",
      "{\"a\":1}", "\"x\"", "1", "-1", "0.5", "[null]", "[\"x\"]", "[1,-1]", "{\"\":null}");

  private final SplittableRandom random;
  private final List<String> dictionary;
  private final List<String> log = new ArrayList<>();

  /**
   * @param seed the case's seed
   * @param dictionary words the target knows (keys, enum names), used as strings and keys
   */
  public Mutator(long seed, List<String> dictionary) {
    this.random = new SplittableRandom(seed);
    this.dictionary = List.copyOf(dictionary);
  }

  /** What this mutator did, in order, for failure messages. */
  public List<String> log() {
    return List.copyOf(log);
  }

  /** Records a step a caller made itself (a format-aware mutation), for failure messages. */
  public void note(String step) {
    log.add(step);
  }

  /** A uniform int in [0, bound). */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** True with probability 1 / n. */
  public boolean oneIn(int n) {
    return random.nextInt(n) == 0;
  }

  /** One of the list's elements. */
  public <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  // ---- bytes ----

  /** One to three byte-level mutations of {@code in} (a copy; {@code in} is not touched). */
  public byte[] mutateBytes(byte[] in) {
    byte[] out = in.clone();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      out = mutateBytesOnce(out);
    }
    return out;
  }

  private byte[] mutateBytesOnce(byte[] in) {
    int n = in.length;
    int op = random.nextInt(n == 0 ? 1 : 9);
    switch (op) {
      case 0 -> {
        byte[] extra = randomBytes(1 + random.nextInt(16));
        log.add("append " + extra.length + " bytes");
        return concat(in, extra);
      }
      case 1 -> {
        int at = random.nextInt(n);
        int bit = random.nextInt(8);
        log.add("flip bit " + bit + " of byte " + at);
        in[at] ^= (byte) (1 << bit);
        return in;
      }
      case 2 -> {
        int at = random.nextInt(n);
        byte value = (byte) (int) pick(List.of(0, 0xff, 0x7f, 0x80, (int) '"', (int) '{', (int) '}',
            (int) '[', (int) ']', (int) ',', (int) ':', (int) '\\', (int) '-'));
        log.add("set byte " + at + " to 0x" + Integer.toHexString(value & 0xff));
        in[at] = value;
        return in;
      }
      case 3 -> {
        int length = random.nextInt(n);
        log.add("truncate to " + length + " bytes");
        return Arrays.copyOf(in, length);
      }
      case 4 -> {
        int from = random.nextInt(n);
        int to = Math.min(n, from + 1 + random.nextInt(16));
        log.add("delete bytes [" + from + ", " + to + ")");
        return concat(Arrays.copyOfRange(in, 0, from), Arrays.copyOfRange(in, to, n));
      }
      case 5 -> {
        int from = random.nextInt(n);
        int to = Math.min(n, from + 1 + random.nextInt(32));
        int at = random.nextInt(n + 1);
        log.add("copy bytes [" + from + ", " + to + ") to " + at);
        byte[] piece = Arrays.copyOfRange(in, from, to);
        return concat(concat(Arrays.copyOfRange(in, 0, at), piece), Arrays.copyOfRange(in, at, n));
      }
      case 6 -> {
        int at = random.nextInt(n);
        byte[] piece = randomBytes(1 + random.nextInt(8));
        log.add("insert " + piece.length + " random bytes at " + at);
        return concat(concat(Arrays.copyOfRange(in, 0, at), piece), Arrays.copyOfRange(in, at, n));
      }
      case 7 -> {
        int at = random.nextInt(n);
        byte value = (byte) random.nextInt(256);
        log.add("set byte " + at + " to random 0x" + Integer.toHexString(value & 0xff));
        in[at] = value;
        return in;
      }
      default -> {
        int from = random.nextInt(n);
        int to = Math.min(n, from + 1 + random.nextInt(8));
        log.add("swap byte " + from + " with " + (to - 1));
        byte t = in[from];
        in[from] = in[to - 1];
        in[to - 1] = t;
        return in;
      }
    }
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** {@code a} then {@code b}. */
  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---- JSON text ----

  /** One to three token-level mutations of JSON text. */
  public String mutateJsonText(String json) {
    List<String> tokens = JsonTokens.split(json);
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count && !tokens.isEmpty(); i++) {
      mutateTokens(tokens);
    }
    return String.join("", tokens);
  }

  private void mutateTokens(List<String> tokens) {
    int at = random.nextInt(tokens.size());
    String token = tokens.get(at);
    switch (random.nextInt(10)) {
      case 0 -> {
        log.add("delete token " + at + " " + shorten(token));
        tokens.remove(at);
      }
      case 1 -> {
        log.add("duplicate token " + at + " " + shorten(token));
        tokens.add(at, token);
      }
      case 2 -> {
        int other = random.nextInt(tokens.size());
        log.add("swap tokens " + at + " and " + other);
        tokens.set(at, tokens.get(other));
        tokens.set(other, token);
      }
      case 3 -> {
        String value = pick(NUMBERS);
        log.add("token " + at + " " + shorten(token) + " -> " + value);
        tokens.set(at, value);
      }
      case 4 -> {
        String value = quoted(randomString());
        log.add("token " + at + " " + shorten(token) + " -> " + shorten(value));
        tokens.set(at, value);
      }
      case 5 -> {
        String value = pick(VALUES);
        log.add("token " + at + " " + shorten(token) + " -> " + value);
        tokens.set(at, value);
      }
      case 6 -> {
        int depth = pick(List.of(2, 64, 999, 1001, 5000, 100_000));
        boolean array = random.nextBoolean();
        log.add("wrap token " + at + " in " + depth + " nested " + (array ? "arrays" : "objects"));
        tokens.set(at, (array ? "[" : "{\"k\":").repeat(depth) + token + (array ? "]" : "}").repeat(depth));
      }
      case 7 -> {
        // A key-value pair or array item repeated: a duplicate key where the token starts a member.
        int end = Math.min(tokens.size(), at + 2 + random.nextInt(8));
        List<String> piece = new ArrayList<>(tokens.subList(at, end));
        piece.add(",");
        log.add("repeat tokens [" + at + ", " + end + ")");
        tokens.addAll(at, piece);
      }
      case 8 -> {
        String punctuation = pick(List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "/*", "//", "\u0000"));
        log.add("insert " + shorten(punctuation) + " at token " + at);
        tokens.add(at, punctuation);
      }
      default -> {
        int length = random.nextInt(tokens.size() + 1);
        log.add("truncate to " + length + " tokens");
        tokens.subList(length, tokens.size()).clear();
      }
    }
  }

  // ---- JSON trees ----

  /**
   * One to three structural mutations of a parsed JSON tree (maps, lists, strings, numbers, booleans, nulls
   * as jackson-jr reads them); returns the mutated copy. {@link JsonText#write} prints it back.
   */
  public Object mutateTree(Object root) {
    Object copy = deepCopy(root);
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      List<Slot> slots = new ArrayList<>();
      collect(copy, "$", slots);
      if (slots.isEmpty()) {
        break;
      }
      mutateSlot(pick(slots), slots);
    }
    return copy;
  }

  /** A place in a tree: a map entry or a list element, with its path for the log. */
  private record Slot(Object container, Object key, String path) {
    Object get() {
      return container instanceof Map<?, ?> m ? m.get(key) : ((List<?>) container).get((Integer) key);
    }

    @SuppressWarnings("unchecked")
    void set(Object value) {
      if (container instanceof Map<?, ?> m) {
        ((Map<Object, Object>) m).put(key, value);
      } else {
        ((List<Object>) container).set((Integer) key, value);
      }
    }

    void remove() {
      if (container instanceof Map<?, ?> m) {
        m.remove(key);
      } else {
        ((List<?>) container).remove((int) (Integer) key);
      }
    }
  }

  private static void collect(Object node, String path, List<Slot> slots) {
    if (node instanceof Map<?, ?> map) {
      for (Object key : List.copyOf(map.keySet())) {
        String child = path + "." + key;
        slots.add(new Slot(map, key, child));
        collect(map.get(key), child, slots);
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        String child = path + "[" + i + "]";
        slots.add(new Slot(list, i, child));
        collect(list.get(i), child, slots);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void mutateSlot(Slot slot, List<Slot> all) {
    Object old = slot.get();
    switch (random.nextInt(9)) {
      case 0 -> {
        log.add("remove " + slot.path());
        slot.remove();
      }
      case 1 -> {
        Object value = randomValue(old);
        log.add("set " + slot.path() + " to " + shorten(String.valueOf(value)));
        slot.set(value);
      }
      case 2 -> {
        if (slot.container() instanceof Map<?, ?> map) {
          String key = random.nextBoolean() ? pick(dictionary) : randomString();
          log.add("rename " + slot.path() + " to '" + shorten(key) + "'");
          Map<Object, Object> renamed = new LinkedHashMap<>();
          map.forEach((k, v) -> renamed.put(k.equals(slot.key()) ? key : k, v));
          map.clear();
          ((Map<Object, Object>) map).putAll(renamed);
        } else {
          log.add("duplicate " + slot.path());
          ((List<Object>) slot.container()).add((Integer) slot.key(), deepCopy(old));
        }
      }
      case 3 -> {
        Slot other = pick(all);
        log.add("swap " + slot.path() + " with " + other.path());
        Object value = other.get();
        other.set(old);
        slot.set(value);
      }
      case 4 -> {
        log.add("wrap " + slot.path() + " in a list");
        slot.set(new ArrayList<>(List.of(old == null ? "" : old)));
      }
      case 5 -> {
        if (old instanceof Map<?, ?> map) {
          String key = pick(dictionary);
          Object value = randomValue(null);
          log.add("add " + slot.path() + "." + key + " = " + shorten(String.valueOf(value)));
          ((Map<Object, Object>) map).put(key, value);
        } else if (old instanceof List<?> list) {
          Object value = list.isEmpty() ? randomValue(null) : randomValue(pick(list));
          log.add("append " + shorten(String.valueOf(value)) + " to " + slot.path());
          ((List<Object>) list).add(value);
        } else {
          log.add("set " + slot.path() + " to a dictionary word");
          slot.set(pick(dictionary));
        }
      }
      case 6 -> {
        Object value = numberNear(old);
        log.add("set " + slot.path() + " to number " + value);
        slot.set(value);
      }
      case 7 -> {
        if (old instanceof List<?> list && !list.isEmpty()) {
          log.add("clear " + slot.path());
          list.clear();
        } else if (old instanceof Map<?, ?> map && !map.isEmpty()) {
          log.add("clear " + slot.path());
          map.clear();
        } else {
          log.add("set " + slot.path() + " to null");
          slot.set(null);
        }
      }
      default -> {
        Object value = pick(List.of(List.of(), Map.of(), "", Boolean.TRUE, 0));
        log.add("set " + slot.path() + " to " + value);
        slot.set(deepCopy(value));
      }
    }
  }

  /** A value of a random type; for a number, often a nearby or edge number. */
  private Object randomValue(Object old) {
    return switch (random.nextInt(7)) {
      case 0 -> numberNear(old);
      case 1 -> pick(dictionary);
      case 2 -> new JsonText.Raw(quoted(randomString()));
      case 3 -> new JsonText.Raw(pick(VALUES));
      case 4 -> new JsonText.Raw(pick(NUMBERS));
      case 5 -> random.nextBoolean();
      default -> {
        List<Object> list = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          list.add(random.nextBoolean() ? numberNear(null) : pick(dictionary));
        }
        yield list;
      }
    };
  }

  /** An edge number, or one near {@code old} when it is a number (off by one, doubled, negated). */
  private Object numberNear(Object old) {
    if (old instanceof Number n && random.nextBoolean()) {
      BigInteger v = n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
      return switch (random.nextInt(5)) {
        case 0 -> v.add(BigInteger.ONE);
        case 1 -> v.subtract(BigInteger.ONE);
        case 2 -> v.shiftLeft(1 + random.nextInt(63));
        case 3 -> v.negate();
        default -> v.add(BigInteger.valueOf(random.nextInt(64) - 32));
      };
    }
    return new JsonText.Raw(pick(NUMBERS));
  }

  /** A JSON string body (escapes allowed): a dictionary word, an edge string, or a long or random one. */
  private String randomString() {
    return switch (random.nextInt(6)) {
      case 0, 1 -> pick(dictionary);
      case 2 -> pick(STRINGS);
      case 3 -> "x".repeat(pick(List.of(1000, 60_000)));
      case 4 -> pick(dictionary) + pick(STRINGS);
      default -> {
        StringBuilder s = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
          s.appendCodePoint(pick(List.of(0x20 + random.nextInt(0x5f), 0xa0 + random.nextInt(0x700),
              0x1f600 + random.nextInt(0x50))));
        }
        yield JsonText.escape(s.toString());
      }
    };
  }

  private static String quoted(String body) {
    return "\"" + body + "\"";
  }

  private static Object deepCopy(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, deepCopy(v)));
      return copy;
    }
    if (node instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(deepCopy(v)));
      return copy;
    }
    return node;
  }

  /** At most 80 characters of {@code s}, for logs. */
  public static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...(" + s.length() + " chars)";
  }

  /** The first {@code max} bytes as hex, for failure messages. */
  public static String hexPrefix(byte[] bytes, int max) {
    String hex = java.util.HexFormat.of().formatHex(bytes, 0, Math.min(max, bytes.length));
    return hex + (bytes.length > max ? "...(" + bytes.length + " bytes)" : "");
  }

  /** The first {@code max} characters of UTF-8 text made of {@code bytes}, for failure messages. */
  public static String textPrefix(byte[] bytes, int max) {
    String text = new String(bytes, 0, Math.min(bytes.length, max * 4), StandardCharsets.UTF_8);
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }
}
