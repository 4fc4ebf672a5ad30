package io.jquant.runtime.golden;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Reads the golden vectors under {@code src/test/resources/golden/}, written from torch and ml_dtypes by
 * {@code src/test/python/make_golden_vectors.py}, whose docstring describes the format. Lines starting with
 * {@code #} are comments; a {@code .gz} file is gzip-compressed text.
 */
public final class GoldenFile {
  private GoldenFile() {}

  /** The data lines of a vector file (codec, decode or table), each split at single spaces. */
  public static List<String[]> rows(String name) {
    List<String[]> rows = new ArrayList<>();
    for (String line : lines(name)) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        rows.add(line.split(" "));
      }
    }
    return rows;
  }

  /** The comment lines at the top of a file, without the {@code #}: the reference and the versions it ran. */
  public static String header(String name) {
    StringBuilder text = new StringBuilder();
    for (String line : lines(name)) {
      if (!line.startsWith("#")) {
        break;
      }
      text.append(line.substring(1).strip()).append('\n');
    }
    return text.toString();
  }

  /** The cases of a quantizer file: "case NAME" opens one, "KEY VALUE" lines fill it; a key may repeat. */
  public static List<Case> cases(String name) {
    List<Case> cases = new ArrayList<>();
    String caseName = null;
    Map<String, List<String>> fields = null;
    for (String line : lines(name)) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.indexOf(' ');
      String key = line.substring(0, space);
      String value = line.substring(space + 1);
      if (key.equals("case")) {
        if (caseName != null) {
          cases.add(new Case(caseName, fields));
        }
        caseName = value;
        fields = new LinkedHashMap<>();
      } else {
        fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
    }
    if (caseName != null) {
      cases.add(new Case(caseName, fields));
    }
    return cases;
  }

  /** A float from its 8-digit hex bit pattern. */
  public static float floatBits(String hex) {
    return Float.intBitsToFloat(Integer.parseUnsignedInt(hex, 16));
  }

  /** A float32 bit pattern as {@code 0x3f800000 (1.0)}, for failure messages. */
  public static String describe(float x) {
    return String.format("0x%08x (%s)", Float.floatToRawIntBits(x), x);
  }

  /** Bytes from pairs of hex digits. */
  public static byte[] bytes(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    return out;
  }

  private static List<String> lines(String name) {
    String resource = "/golden/" + name;
    try (InputStream raw = GoldenFile.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw new IllegalStateException("missing golden file " + resource);
      }
      InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        return reader.lines().toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden file " + resource, e);
    }
  }

  /**
   * One case of a quantizer file.
   *
   * @param name the case's name, which failure messages repeat
   * @param fields each key's value lines, in file order
   */
  public record Case(String name, Map<String, List<String>> fields) {
    /** The single value of a key. */
    public String text(String key) {
      List<String> values = values(key);
      if (values.size() != 1) {
        throw new IllegalStateException("case " + name + ": key " + key + " has " + values.size() + " lines");
      }
      return values.getFirst();
    }

    public int integer(String key) {
      return Integer.parseInt(text(key));
    }

    /** The float32 values of a key, all its lines joined (hex bit patterns separated by spaces). */
    public float[] floats(String key) {
      List<Float> out = new ArrayList<>();
      for (String line : values(key)) {
        for (String word : line.split(" ")) {
          out.add(floatBits(word));
        }
      }
      float[] result = new float[out.size()];
      for (int i = 0; i < result.length; i++) {
        result[i] = out.get(i);
      }
      return result;
    }

    /** The bytes of a key, all its lines joined. */
    public byte[] bytes(String key) {
      return GoldenFile.bytes(String.join("", values(key)));
    }

    /** The bytes of a key, one array per line (one per matrix row). */
    public List<byte[]> byteRows(String key) {
      return values(key).stream().map(GoldenFile::bytes).toList();
    }

    private List<String> values(String key) {
      List<String> values = fields.get(key);
      if (values == null) {
        throw new IllegalStateException("case " + name + " has no key " + key + "; keys: " + fields.keySet());
      }
      return values;
    }
  }

  /** Collects mismatches and reports the first few with the total, so one failure shows the pattern. */
  public static final class Mismatches {
    private static final int SHOWN = 12;
    private final String what;
    private final List<String> shown = new ArrayList<>();
    private int count;
    private int checked;

    public Mismatches(String what) {
      this.what = what;
    }

    /** Records one comparison; {@code detail} is built only for a mismatch. */
    public void check(boolean ok, Supplier<String> detail) {
      checked++;
      if (!ok) {
        count++;
        if (shown.size() < SHOWN) {
          shown.add(detail.get());
        }
      }
    }

    public int checked() {
      return checked;
    }

    /** Fails with the mismatches, if any. */
    public void assertNone() {
      if (count > 0) {
        throw new AssertionError(
            what + ": " + count + " of " + checked + " vectors differ from the golden file; first ones:\n  "
                + String.join("\n  ", shown));
      }
    }
  }
}
