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
      JsonStrings.serde(json, SafetensorsHeader.METADATA_KEY).append(":{");
      boolean first = true;
      for (Map.Entry<String, String> entry : metadata.entrySet()) {
        if (!first) {
          json.append(',');
        }
        first = false;
        JsonStrings.serde(json, entry.getKey()).append(':');
        JsonStrings.serde(json, entry.getValue());
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
      JsonStrings.serde(json, tensor.name()).append(":{\"dtype\":\"").append(tensor.dtype().code())
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
}
