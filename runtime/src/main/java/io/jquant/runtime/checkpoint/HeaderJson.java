package io.jquant.runtime.checkpoint;

import io.jquant.runtime.tensor.TensorView;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The header bytes exactly as the reference writer makes them: {@code serde_json::to_string} (compact, no
 * spaces, non-ASCII as raw UTF-8, only {@code "}, {@code \} and control characters escaped), then spaces up
 * to a multiple of 8 ("Force alignment to 8 bytes" in {@code tensor.rs} {@code prepare}).
 */
final class HeaderJson {
  private HeaderJson() {}

  /**
   * The padded header for tensors already in file order.
   *
   * @param metadata written as {@code __metadata__} in its iteration order; null for none
   */
  static byte[] of(List<TensorView> ordered, Map<String, String> metadata) {
    StringBuilder json = new StringBuilder(64 + 96 * ordered.size()).append('{');
    if (metadata != null) {
      string(json, SafetensorsHeader.METADATA_KEY).append(":{");
      boolean first = true;
      for (Map.Entry<String, String> entry : metadata.entrySet()) {
        if (!first) {
          json.append(',');
        }
        first = false;
        string(json, entry.getKey()).append(':');
        string(json, entry.getValue());
      }
      json.append('}');
      if (!ordered.isEmpty()) {
        json.append(',');
      }
    }
    long offset = 0;
    for (int i = 0; i < ordered.size(); i++) {
      TensorView tensor = ordered.get(i);
      if (i > 0) {
        json.append(',');
      }
      long end = offset + tensor.data().byteSize();
      string(json, tensor.name()).append(":{\"dtype\":\"").append(tensor.dtype().code())
          .append("\",\"shape\":[");
      List<Long> shape = tensor.shape();
      for (int d = 0; d < shape.size(); d++) {
        json.append(d > 0 ? "," : "").append(shape.get(d));
      }
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    byte[] utf8 = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    byte[] padded = Arrays.copyOf(utf8, (utf8.length + 7) / 8 * 8);
    Arrays.fill(padded, utf8.length, padded.length, (byte) ' ');
    return padded;
  }

  /** A JSON string as serde_json writes it. */
  private static StringBuilder string(StringBuilder json, String text) {
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
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
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
