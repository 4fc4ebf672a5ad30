package io.jquant.cli;

import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine;

/** {@code --format} values to {@link TargetFormat}s; a bad value is a usage error naming the choices. */
final class TargetFormatConverter implements CommandLine.ITypeConverter<TargetFormat> {
  @Override
  public TargetFormat convert(String value) {
    try {
      return TargetFormat.ofOption(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** The {@code --format} values, for the help text. */
  static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(TargetFormat.values()).map(TargetFormat::option).iterator();
    }
  }
}
