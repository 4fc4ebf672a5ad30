package io.jquant.runtime.checkpoint;

/**
 * JSON string literals written byte for byte as the reference tools write them; public for the other writers
 * of small JSON files (the calibration file), so there is one escaping rule.
 */
public final class JsonStrings {
  private JsonStrings() {}

  /** As serde_json writes a safetensors header: UTF-8 as it is, control characters escaped. */
  public static StringBuilder serde(StringBuilder json, String text) {
    return quote(json, text, false);
  }

  /**
   * As Python's {@code json.dumps} writes an index file ({@code ensure_ascii=True}): {@code \\uXXXX} above
   * 0x7E.
   */
  static StringBuilder pythonAscii(StringBuilder json, String text) {
    return quote(json, text, true);
  }

  private static StringBuilder quote(StringBuilder json, String text, boolean asciiOnly) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || (asciiOnly && c > 0x7e)) {
            json.append(String.format("\\u%04x", (int) c));
          } else if (asciiOnly) {
            json.append(c);
          } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            json.append(c).append(text.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            // UTF-8 has no form for a lone surrogate; encoding would silently write '?'.
            throw new IllegalArgumentException(
                "\"" + text + "\" has a lone surrogate at index " + i + " and cannot be written as UTF-8");
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }
}
