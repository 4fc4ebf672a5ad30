package io.jquant.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON text to plain values (maps, lists, strings, numbers, booleans, null) for the config readers: exactly
 * one value, no repeated key, and an error that says where, led by the caller's prefix (a file name, or
 * nothing).
 */
public final class StrictJson {
  private static final JSON READER = JSON.std.with(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);
  private static final JSON DECIMAL_READER = READER.with(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS);

  private StrictJson() {}

  /**
   * The one value {@code json} holds.
   *
   * @param prefix what leads every error message, e.g. {@code "config.json: "}, or {@code ""}
   * @throws IllegalArgumentException {@code prefix + "not valid JSON: ..."} with the line and column
   */
  public static Object parse(String json, String prefix) {
    return parse(READER, json, prefix);
  }

  /**
   * Like {@link #parse(String, String)}, with every number that has a fraction or exponent as its exact
   * {@link java.math.BigDecimal}, for a reader that rounds it once to its own type (a float32 through a
   * double could land one ulp off).
   */
  public static Object parseDecimals(String json, String prefix) {
    return parse(DECIMAL_READER, json, prefix);
  }

  private static Object parse(JSON reader, String json, String prefix) {
    try (JsonParser parser = reader.createParser(json)) {
      Object value = reader.anyFrom(parser);
      // anyFrom stops after one value; anything after it is a mistake, not something to ignore.
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException(prefix + "not valid JSON: more than one value, the second at line "
            + parser.currentTokenLocation().getLineNr() + ", column "
            + parser.currentTokenLocation().getColumnNr());
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(prefix + "not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? ""
              : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: reading from a string", e);
    }
  }
}
