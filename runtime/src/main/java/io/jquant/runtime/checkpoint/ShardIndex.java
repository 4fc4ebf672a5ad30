package io.jquant.runtime.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code model.safetensors.index.json}:
 * {@code {"metadata": {"total_size": …}, "weight_map": {tensor: shard}}} as transformers'
 * {@code save_pretrained} writes it ({@code json.dumps(index, indent=2, sort_keys=True) + "\n"}).
 *
 * @param metadata the {@code metadata} object with every value as text (numbers as written)
 * @param weightMap tensor name to shard file name, in the index's order
 */
record ShardIndex(Map<String, String> metadata, Map<String, String> weightMap) {
  // A duplicate key in weight_map would silently map a tensor to the later shard; refuse it.
  private static final JSON READER = JSON.std.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);

  static ShardIndex read(Path file) throws IOException {
    Object root;
    try {
      root = READER.anyFrom(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new SafetensorsException(file + ": not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (at byte " + e.getLocation().getByteOffset() + ")"), e);
    }
    if (!(root instanceof Map<?, ?> object)) {
      throw new SafetensorsException(file + ": not a JSON object");
    }
    if (!(object.get("weight_map") instanceof Map<?, ?> map)) {
      throw new SafetensorsException(file + ": no weight_map object");
    }
    Map<String, String> weightMap = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getValue() instanceof String shard)) {
        throw new SafetensorsException(file + ": weight_map maps tensor '" + entry.getKey() + "' to "
            + entry.getValue() + ", not a file name");
      }
      weightMap.put((String) entry.getKey(), shard);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    Object meta = object.get("metadata");
    if (meta instanceof Map<?, ?> metaMap) {
      metaMap.forEach((key, value) -> metadata.put((String) key, String.valueOf(value)));
    } else if (meta != null) {
      throw new SafetensorsException(file + ": metadata is not an object");
    }
    return new ShardIndex(Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(weightMap));
  }

  /** The index text: keys sorted by code point, two-space indent, ASCII only, a final newline. */
  static byte[] text(long totalSize, Map<String, String> weightMap) {
    StringBuilder json = new StringBuilder("{\n  \"metadata\": {\n    \"total_size\": ")
        .append(totalSize).append("\n  },\n  \"weight_map\": {");
    Map<String, String> sorted = new TreeMap<>(ShardIndex::byCodePoint);
    sorted.putAll(weightMap);
    boolean first = true;
    for (Map.Entry<String, String> entry : sorted.entrySet()) {
      json.append(first ? "\n    " : ",\n    ");
      first = false;
      JsonStrings.pythonAscii(json, entry.getKey()).append(": ");
      JsonStrings.pythonAscii(json, entry.getValue());
    }
    json.append(first ? "}\n}\n" : "\n  }\n}\n");
    return json.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Python's {@code sort_keys} order: by code point (Java's String order differs above U+FFFF). */
  private static int byCodePoint(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }
}
