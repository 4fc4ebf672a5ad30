package io.jquant.runtime.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.jquant.config.tensor.StorageDType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a safetensors header with the rules of the reference reader
 * ({@code Metadata::validate} in {@code safetensors/src/tensor.rs}, docs/FORMATS.md §6). A streaming parser
 * rather than a map reader, because it gives the byte offset of every entry for the error messages and sees
 * duplicate keys, which a map would silently merge.
 */
record SafetensorsHeader(Map<String, String> metadata, List<Entry> entries) {
  /** The reference reader's cap on the header length ({@code MAX_HEADER_SIZE}). */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  /** The bytes before the header: its length as a little-endian u64. */
  static final int LENGTH_BYTES = 8;

  static final String METADATA_KEY = "__metadata__";

  // Jackson's default caps (20 M chars per string, 50 k per name) are below what the reference accepts.
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength((int) MAX_HEADER_BYTES)
          .maxNameLength((int) MAX_HEADER_BYTES)
          .build())
      .build();

  /**
   * One tensor's header entry.
   *
   * @param at the byte offset in the file of the entry's name, for messages
   */
  record Entry(String name, StorageDType dtype, List<Long> shape, long begin, long end, long at) {
    String describe() {
      return "tensor '" + name + "'";
    }

    String offsets() {
      return "data_offsets [" + begin + ", " + end + "]";
    }
  }

  /**
   * The validated header.
   *
   * @param file the file's name for messages
   * @param header the header bytes (file bytes 8 .. 8 + header.length)
   * @param dataBytes the number of bytes after the header
   * @return the header with its entries in data-offset order
   */
  static SafetensorsHeader parse(String file, byte[] header, long dataBytes) throws SafetensorsException {
    requireUtf8(file, header);
    requireNoNul(file, header);
    Parsed parsed = parseJson(file, header);
    List<Entry> entries = new ArrayList<>(parsed.entries);
    // The reference sorts by (begin, end); a stable sort keeps header order among empty tensors at one
    // offset.
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    validate(file, entries, LENGTH_BYTES + header.length, dataBytes);
    return new SafetensorsHeader(Collections.unmodifiableMap(parsed.metadata), List.copyOf(entries));
  }

  private record Parsed(Map<String, String> metadata, List<Entry> entries) {}

  private static void requireUtf8(String file, byte[] header) throws SafetensorsException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(header);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw error(file, "header is not valid UTF-8", LENGTH_BYTES + in.position());
      }
      if (result.isUnderflow()) {
        return;
      }
      out.clear();
    }
  }

  /**
   * JSON allows no raw NUL byte, in a string or between tokens. Refused before Jackson sees the bytes: its
   * encoding detection reads zeros among the first four bytes as UTF-16 or UTF-32, and would accept
   * {@code 7B 00 7D 00} (valid UTF-8: brace, NUL, brace, NUL) as the empty object.
   */
  private static void requireNoNul(String file, byte[] header) throws SafetensorsException {
    for (int i = 0; i < header.length; i++) {
      if (header[i] == 0) {
        throw error(file, "header is not valid JSON: it holds a NUL byte", LENGTH_BYTES + i);
      }
    }
  }

  private static Parsed parseJson(String file, byte[] header) throws SafetensorsException {
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try (JsonParser parser = JSON.createParser(header)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw error(file, "header is not a JSON object", at(parser));
      }
      boolean seenMetadata = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        long at = at(parser);
        if (!names.add(name) || (METADATA_KEY.equals(name) && seenMetadata)) {
          throw error(file, (METADATA_KEY.equals(name) ? METADATA_KEY : "tensor '" + name + "'")
              + " appears twice in the header", at);
        }
        parser.nextToken();
        if (METADATA_KEY.equals(name)) {
          seenMetadata = true;
          readMetadata(file, parser, metadata);
        } else {
          entries.add(readEntry(file, parser, name, at));
        }
      }
      // Trailing spaces (the writer's padding) are whitespace; anything else after the object is refused.
      if (parser.nextToken() != null) {
        throw error(file, "header has text after its JSON object", at(parser));
      }
    } catch (JsonProcessingException e) {
      long at = e.getLocation() == null || e.getLocation().getByteOffset() < 0
          ? LENGTH_BYTES
          : LENGTH_BYTES + e.getLocation().getByteOffset();
      // Jackson reports where it stopped reading, which may be just past the offending character.
      throw new SafetensorsException(
          file + ": header is not valid JSON: " + e.getOriginalMessage() + " (near byte " + at + ")", e);
    } catch (SafetensorsException e) {
      throw e;
    } catch (IOException e) {
      throw new SafetensorsException(file + ": cannot read the header: " + e.getMessage(), e);
    }
    return new Parsed(metadata, entries);
  }

  private static void readMetadata(String file, JsonParser parser, Map<String, String> metadata)
      throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return; // the reference reads "__metadata__": null as no metadata
    }
    if (token != JsonToken.START_OBJECT) {
      throw error(file, METADATA_KEY + " is " + kind(token) + ", not an object of strings", at(parser));
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      long at = at(parser);
      JsonToken value = parser.nextToken();
      if (value != JsonToken.VALUE_STRING) {
        throw error(file, METADATA_KEY + " value of '" + key + "' is " + kind(value) + ", not a string",
            at(parser));
      }
      // Stricter than the reference, which keeps the last of two equal keys: a duplicate is refused.
      if (metadata.putIfAbsent(key, parser.getText()) != null) {
        throw error(file, METADATA_KEY + " key '" + key + "' appears twice", at);
      }
    }
  }

  private static Entry readEntry(String file, JsonParser parser, String name, long at) throws IOException {
    String tensor = "tensor '" + name + "'";
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw error(file, tensor + " is " + kind(parser.currentToken()) + ", not an object", at(parser));
    }
    StorageDType dtype = null;
    List<Long> shape = null;
    List<Long> offsets = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      long fieldAt = at(parser);
      JsonToken value = parser.nextToken();
      switch (field) {
        case "dtype" -> {
          requireFirst(file, tensor, field, dtype, fieldAt);
          if (value != JsonToken.VALUE_STRING) {
            throw error(file, tensor + " dtype is " + kind(value) + ", not a string", at(parser));
          }
          dtype = dtype(file, tensor, parser.getText(), at(parser));
        }
        case "shape" -> {
          requireFirst(file, tensor, field, shape, fieldAt);
          shape = naturals(file, tensor, field, parser);
        }
        case "data_offsets" -> {
          requireFirst(file, tensor, field, offsets, fieldAt);
          long listAt = at(parser);
          offsets = naturals(file, tensor, field, parser);
          if (offsets.size() != 2) {
            throw error(file, tensor + " data_offsets has " + offsets.size() + " numbers, not 2", listAt);
          }
        }
        default -> parser.skipChildren(); // the reference ignores fields it does not know
      }
    }
    for (Object[] required : new Object[][] { { "dtype", dtype }, { "shape", shape },
        { "data_offsets", offsets } }) {
      if (required[1] == null) {
        throw error(file, tensor + " has no " + required[0], at);
      }
    }
    return new Entry(name, dtype, List.copyOf(shape), offsets.get(0), offsets.get(1), at);
  }

  private static void requireFirst(String file, String tensor, String field, Object seen, long at)
      throws SafetensorsException {
    if (seen != null) {
      throw error(file, tensor + " has " + field + " twice", at);
    }
  }

  private static StorageDType dtype(String file, String tensor, String code, long at)
      throws SafetensorsException {
    try {
      return StorageDType.ofCode(code);
    } catch (IllegalArgumentException e) {
      throw error(file, tensor + " has " + e.getMessage(), at);
    }
  }

  /** A JSON array of integers in [0, Long.MAX_VALUE], the reference's {@code usize} on a 64-bit machine. */
  private static List<Long> naturals(String file, String tensor, String field, JsonParser parser)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw error(file, tensor + " " + field + " is " + kind(parser.currentToken()) + ", not an array",
          at(parser));
    }
    List<Long> values = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.VALUE_NUMBER_INT) {
        throw error(file, tensor + " " + field + " holds " + kind(token) + " " + parser.getText()
            + ", not a non-negative integer", at(parser));
      }
      if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER || parser.getLongValue() < 0) {
        throw error(file, tensor + " " + field + " holds " + parser.getText()
            + (parser.getText().startsWith("-") ? ", a negative number" : ", more than a long holds"),
            at(parser));
      }
      values.add(parser.getLongValue());
    }
    return values;
  }

  private static void validate(String file, List<Entry> entries, long dataStart, long dataBytes)
      throws SafetensorsException {
    long start = 0;
    Entry previous = null;
    for (Entry entry : entries) {
      String tensor = entry.describe() + " " + entry.offsets();
      if (entry.end() < entry.begin()) {
        throw error(file, tensor + " end before they begin", entry.at());
      }
      if (entry.begin() != start) {
        String after = previous == null
            ? "the data starts at 0"
            : "the previous " + previous.describe() + " ends at " + start;
        throw error(file, tensor + " start at " + entry.begin() + " but " + after
            + (entry.begin() > start ? " (a gap)" : " (an overlap)"), entry.at());
      }
      long bits;
      try {
        long elements = 1;
        for (long dim : entry.shape()) {
          elements = Math.multiplyExact(elements, dim);
        }
        bits = Math.multiplyExact(elements, entry.dtype().bits());
      } catch (ArithmeticException e) {
        throw error(file, entry.describe() + " " + entry.dtype() + " " + entry.shape()
            + " has more bytes than a long holds", entry.at());
      }
      if (bits % 8 != 0) {
        throw error(file, entry.describe() + " " + entry.dtype() + " " + entry.shape() + " is " + bits
            + " bits, not a whole number of bytes", entry.at());
      }
      long held = entry.end() - entry.begin();
      if (held != bits / 8) {
        throw error(file, tensor + " hold " + held + " bytes but " + entry.dtype() + " " + entry.shape()
            + " needs " + bits / 8, entry.at());
      }
      if (entry.end() > dataBytes) {
        throw error(file, tensor + " run past the end of the file, which holds " + dataBytes
            + " data bytes after the header", entry.at());
      }
      start = entry.end();
      previous = entry;
    }
    if (start != dataBytes) {
      throw error(file, "the tensors cover " + start + " data bytes but the file holds " + dataBytes
          + " after the header; the rest belongs to no tensor", dataStart + start);
    }
  }

  private static long at(JsonParser parser) {
    return LENGTH_BYTES + parser.currentTokenLocation().getByteOffset();
  }

  private static String kind(JsonToken token) {
    if (token == null) {
      return "missing";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  static SafetensorsException error(String file, String what, long at) {
    return new SafetensorsException(file + ": " + what + " (at byte " + at + ")");
  }
}
