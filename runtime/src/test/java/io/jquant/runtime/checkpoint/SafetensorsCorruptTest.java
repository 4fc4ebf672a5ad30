package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every rule of the reference reader (docs/FORMATS.md §6), one hand-made file each, with the exact message.
 * The byte offset of an entry is where its name's opening quote sits in the file: 8 + its index in the
 * header.
 */
class SafetensorsCorruptTest {
  @TempDir
  Path dir;

  private Path file(long headerLength, byte[] header, int dataBytes) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(headerLength).put(header);
    Path path = dir.resolve("model.safetensors");
    Files.write(path, bytes.array());
    return path;
  }

  private Path file(String header, int dataBytes) throws IOException {
    byte[] utf8 = header.getBytes(StandardCharsets.UTF_8);
    return file(utf8.length, utf8, dataBytes);
  }

  private String refused(Path path) {
    return assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(path).close()).getMessage();
  }

  private String refused(String header, int dataBytes) throws IOException {
    return refused(file(header, dataBytes)).replace(dir.resolve("model.safetensors").toString(), "F");
  }

  private static long at(String header, String needle) {
    int index = header.indexOf(needle);
    if (index < 0) {
      throw new IllegalArgumentException(needle + " not in " + header);
    }
    return 8 + header.getBytes(StandardCharsets.UTF_8).length
        - header.substring(index).getBytes(StandardCharsets.UTF_8).length;
  }

  private static String u8(String name, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"U8\",\"shape\":[" + (end - begin) + "],\"data_offsets\":[" + begin
        + "," + end + "]}";
  }

  @Test
  void headerLengthRules() throws IOException {
    Path tiny = dir.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] { 2, 0, 0 });
    assertEquals(tiny + ": the file has 3 bytes, fewer than the 8-byte header length that starts a"
        + " safetensors file (at byte 0)", refused(tiny));
    assertEquals("F: header length 100000001 is over the 100000000-byte limit (at byte 0)",
        refused(file(100_000_001L, "{}".getBytes(), 0)).replace(dir.resolve("model.safetensors") + "", "F"));
    assertEquals("F: header length 18446744073709551615 is over the 100000000-byte limit (at byte 0)",
        refused(file(-1L, "{}".getBytes(), 0)).replace(dir.resolve("model.safetensors") + "", "F"));
    assertEquals("F: header length 50 runs past the end of the 10-byte file (at byte 0)",
        refused(file(50, "{}".getBytes(), 0)).replace(dir.resolve("model.safetensors") + "", "F"));
  }

  @Test
  void aNulByteInTheHeaderIsRefusedNotReadAsUtf16() throws IOException {
    // Found by SafetensorsFuzzTest: Jackson's encoding detection read {NUL}NUL as UTF-16 "{}" and accepted
    // it, and read NUL NUL NUL { as UTF-32 with a message about UTF-32 and no byte offset.
    byte[] utf16Look = { '{', 0, '}', 0 };
    assertEquals("F: header is not valid JSON: it holds a NUL byte (at byte 9)",
        refused(file(utf16Look.length, utf16Look, 0)).replace(dir.resolve("model.safetensors") + "", "F"));
    byte[] utf32Look = { 0, 0, 0, '{', '}', ' ', ' ', ' ' };
    assertEquals("F: header is not valid JSON: it holds a NUL byte (at byte 8)",
        refused(file(utf32Look.length, utf32Look, 0)).replace(dir.resolve("model.safetensors") + "", "F"));
  }

  @Test
  void headerMustBeUtf8JsonObject() throws IOException {
    byte[] badUtf8 = { '{', '"', (byte) 0xff, '"', ':', '1', '}' };
    assertEquals("F: header is not valid UTF-8 (at byte 10)",
        refused(file(badUtf8.length, badUtf8, 0)).replace(dir.resolve("model.safetensors") + "", "F"));
    assertEquals("F: header is not a JSON object (at byte 10)", refused("  []", 0));
    assertEquals("F: header has text after its JSON object (at byte 11)", refused("{} {}", 0));
    String truncated = refused("{\"a\":", 0);
    assertEquals("F: header is not valid JSON: Unexpected end-of-input within/between Object entries"
        + " (near byte 13)",
        truncated);
    // A NUL is not the writer's padding (spaces) nor JSON whitespace: the reference refuses it too.
    assertEquals("F: header is not valid JSON: it holds a NUL byte (at byte 10)", refused("{}\0\0", 0));
  }

  @Test
  void duplicatesAreRefused() throws IOException {
    String twice = "{" + u8("a", 0, 1) + "," + u8("a", 1, 2) + "}";
    long second = 8 + twice.lastIndexOf("\"a\"");
    assertEquals("F: tensor 'a' appears twice in the header (at byte " + second + ")", refused(twice, 2));
    String meta = "{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}";
    assertEquals("F: __metadata__ key 'k' appears twice (at byte " + at(meta, "\"k\":\"2") + ")",
        refused(meta, 0));
    String metaTwice = "{\"__metadata__\":{},\"__metadata__\":{}}";
    assertEquals("F: __metadata__ appears twice in the header (at byte 27)", refused(metaTwice, 0));
    String field = "{\"a\":{\"dtype\":\"U8\",\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    assertEquals("F: tensor 'a' has dtype twice (at byte 27)", refused(field, 1));
  }

  @Test
  void metadataIsStringToString() throws IOException {
    String number = "{\"__metadata__\":{\"a\":1}}";
    assertEquals("F: __metadata__ value of 'a' is a number, not a string (at byte " + at(number, "1}") + ")",
        refused(number, 0));
    assertEquals("F: __metadata__ is an array, not an object of strings (at byte 24)",
        refused("{\"__metadata__\":[]}", 0));
  }

  @Test
  void entryFieldRules() throws IOException {
    String unknown = "{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    assertEquals("F: tensor 'a' has unknown safetensors dtype \"Q4\"; known: "
        + java.util.Arrays.toString(StorageDType.values()) + " (at byte 22)", refused(unknown, 1));
    String negative = "{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]}}";
    assertEquals("F: tensor 'a' shape holds -1, a negative number (at byte " + at(negative, "-1") + ")",
        refused(negative, 1));
    String fraction = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1.0],\"data_offsets\":[0,1]}}";
    assertEquals("F: tensor 'a' shape holds a number 1.0, not a non-negative integer (at byte "
        + at(fraction, "1.0") + ")", refused(fraction, 1));
    String huge = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,18446744073709551616]}}";
    assertEquals("F: tensor 'a' data_offsets holds 18446744073709551616, more than a long holds (at byte "
        + at(huge, "1844") + ")", refused(huge, 1));
    assertEquals("F: tensor 'a' has no data_offsets (at byte 9)",
        refused("{\"a\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1));
    String three = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}";
    assertEquals("F: tensor 'a' data_offsets has 3 numbers, not 2 (at byte " + at(three, "[0,1,2]") + ")",
        refused(three, 1));
    assertEquals("F: tensor 'a' is a string, not an object (at byte 13)", refused("{\"a\":\"x\"}", 0));
  }

  @Test
  void offsetsMustTileTheDataFromZero() throws IOException {
    String gap = "{" + u8("a", 1, 2) + "}";
    assertEquals("F: tensor 'a' data_offsets [1, 2] start at 1 but the data starts at 0 (a gap) (at byte 9)",
        refused(gap, 2));
    String gapAfter = "{" + u8("b", 3, 4) + "," + u8("a", 0, 2) + "}";
    assertEquals("F: tensor 'b' data_offsets [3, 4] start at 3 but the previous tensor 'a' ends at 2 (a gap)"
        + " (at byte 9)", refused(gapAfter, 4));
    String overlap = "{" + u8("a", 0, 2) + "," + u8("b", 1, 3) + "}";
    assertEquals("F: tensor 'b' data_offsets [1, 3] start at 1 but the previous tensor 'a' ends at 2"
        + " (an overlap) (at byte " + at(overlap, "\"b\"") + ")", refused(overlap, 3));
    String backwards = "{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]},"
        + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,0]}}";
    assertEquals("F: tensor 'b' data_offsets [1, 0] end before they begin (at byte " + at(backwards, "\"b\"")
        + ")", refused(backwards, 1));
  }

  @Test
  void sizesMustMatchTheShapeAndTheFile() throws IOException {
    String mismatch = "{\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}";
    assertEquals(
        "F: tensor 'a.weight' data_offsets [0, 12] hold 12 bytes but F32 [2, 2] needs 16 (at byte 9)",
        refused(mismatch, 12));
    String past = "{" + u8("a", 0, 2) + "}";
    assertEquals("F: tensor 'a' data_offsets [0, 2] run past the end of the file, which holds 1 data bytes"
        + " after the header (at byte 9)", refused(past, 1));
    String extra = "{" + u8("a", 0, 1) + "}";
    long dataStart = 8 + extra.length();
    assertEquals("F: the tensors cover 1 data bytes but the file holds 3 after the header; the rest belongs"
        + " to no tensor (at byte " + (dataStart + 1) + ")", refused(extra, 3));
    String odd = "{\"a\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,1]}}";
    assertEquals("F: tensor 'a' F4 [3] is 12 bits, not a whole number of bytes (at byte 9)", refused(odd, 1));
    String overflow = "{\"a\":{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}";
    assertEquals("F: tensor 'a' U8 [4294967296, 4294967296] has more bytes than a long holds (at byte 9)",
        refused(overflow, 0));
  }

  @Test
  void whatTheReferenceAcceptsIsAccepted() throws IOException {
    // Leading whitespace, trailing spaces and newline, null metadata, a field the reader does not know, F6
    // (no torch dtype), and two empty tensors at one offset.
    String header = " {\"__metadata__\":null,"
        + "\"f6\":{\"dtype\":\"F6_E2M3\",\"shape\":[4],\"data_offsets\":[0,3],"
        + "\"extra\":{\"x\":[1]}},\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[3,3]},"
        + "\"d\":{\"dtype\":\"F32\",\"shape\":[2,0],\"data_offsets\":[3,3]}} \n";
    try (SafetensorsFile file = SafetensorsFile.open(file(header, 3))) {
      assertEquals(List.of("f6", "e", "d"), file.tensorNames());
      assertEquals(Map.of(), file.metadata());
      assertEquals(StorageDType.F6_E2M3, file.tensor("f6").dtype());
      assertEquals(List.of(2L, 0L), file.tensor("d").shape());
    }
  }
}
