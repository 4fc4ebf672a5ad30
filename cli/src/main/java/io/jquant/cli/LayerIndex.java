package io.jquant.cli;

import io.jquant.config.hf.HfQuantConfigParser;
import java.nio.file.Path;

/**
 * A decoder layer index read from a tensor name ({@code model.layers.<i>.}), below
 * {@link HfQuantConfigParser#MAX_LAYERS}: a layer count is derived from the indices and the layer sets list
 * every layer, so an index from a hostile name ({@code layers.99999999999.}) is refused up front, naming the
 * file and the tensor, instead of overflowing an int or walking a hundred million layers.
 */
final class LayerIndex {
  private LayerIndex() {}

  /**
   * The index {@code digits} (ASCII digits) of {@code tensor}, stored in {@code file}.
   *
   * @throws BadInputException naming the file, the tensor and the limit when it is too large
   */
  static int parse(String digits, String tensor, Path file) {
    String significant = digits.replaceFirst("^0+(?=.)", "");
    int max = HfQuantConfigParser.MAX_LAYERS;
    if (significant.length() > String.valueOf(max).length() || Integer.parseInt(significant) >= max) {
      throw new BadInputException(file + ": tensor " + tensor + ": layer index " + significant
          + " is beyond jquant's limit of " + max + " decoder layers (indices 0 to " + (max - 1) + ")");
    }
    return Integer.parseInt(significant);
  }
}
