package io.jquant.cli;

import io.jquant.runtime.quant.FormatPreset;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine;

/** {@code --format} values to {@link FormatPreset}s; a bad value is a usage error naming the choices. */
final class FormatPresetConverter implements CommandLine.ITypeConverter<FormatPreset> {
  @Override
  public FormatPreset convert(String value) {
    try {
      return FormatPreset.ofOption(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** The {@code --format} values, for the help text. */
  static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(FormatPreset.values()).map(FormatPreset::option).iterator();
    }
  }
}
