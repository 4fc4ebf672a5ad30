package io.jquant.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Sizes such as {@code 5GB} for {@code --max-shard-size}, as Hugging Face writes them: KB, MB, GB, TB are
 * powers of 1000 (transformers' {@code convert_file_size_to_int}), KiB, MiB, GiB, TiB powers of 1024; a bare
 * number is bytes.
 */
final class ByteSize implements CommandLine.ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]I?B|B)?");

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  /** The number of bytes {@code value} names; at least 1. */
  static long parse(String value) {
    Matcher m = SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + value + "' is not a size such as 500MB, 5GB or 2GiB");
    }
    String unit = m.group(2) == null ? "B" : m.group(2);
    int power = "BKMGT".indexOf(unit.charAt(0));
    double base = unit.contains("I") ? 1024 : 1000;
    double bytes = Double.parseDouble(m.group(1)) * Math.pow(base, power);
    if (bytes < 1 || bytes > Long.MAX_VALUE) {
      throw new IllegalArgumentException("'" + value + "' is out of range");
    }
    return (long) bytes;
  }
}
