package io.jquant.cli;

import io.jquant.config.hf.IgnorePatterns;
import io.jquant.config.tensor.StorageDType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which tensors {@code jquant quantize} quantizes. The rule: a tensor is quantized when
 *
 * <ol> <li>its name ends in {@code .weight}, it is 2-D and float (F32, BF16 or F16) and not empty (an empty
 * weight, e.g. {@code [2147483648, 0]}, has nothing to quantize and no format has a scale layout for it);
 * <li>its module (the name without {@code .weight}) ends in a projection of attention or the MLP:
 * {@link #PROJECTIONS} (Llama, Mistral, Qwen, Phi, OPT names), or BERT's {@code query}, {@code key},
 * {@code value}, and {@code dense} directly under {@code output} or {@code intermediate}
 * ({@code attention.output.dense}, {@code intermediate.dense}, {@code output.dense}; not
 * {@code pooler.dense}); <li>no {@code --exclude} pattern matches the module name (or a parent module);
 * <li>its K (columns) is a multiple of the format's scale block (NVFP4 16, MX 32), checked by the caller.
 * </ol>
 *
 * Everything else (embeddings, norms, {@code lm_head}, biases, other matrices) is copied as it is.
 */
public final class TensorSelection {
  /** Module names (the last component) that are attention or MLP projections. */
  public static final Set<String> PROJECTIONS = Set.of("q_proj", "k_proj", "v_proj", "o_proj", "qkv_proj",
      "out_proj", "gate_proj", "up_proj", "down_proj", "gate_up_proj", "query", "key", "value");

  /** The reason {@link #skipReason} gives for a module an {@code --exclude} pattern matches. */
  static final String EXCLUDED = "excluded by --exclude";

  private static final Set<String> DENSE_PARENTS = Set.of("output", "intermediate");

  private final IgnorePatterns excluded;

  private TensorSelection(IgnorePatterns excluded) {
    this.excluded = excluded;
  }

  /**
   * A selection with these {@code --exclude} patterns, read as an ignore list is ({@link IgnorePatterns}):
   * {@code re:REGEX} matched from the start of the module name (compressed-tensors), an fnmatch wildcard
   * ({@code *} also crosses dots, as modelopt's exclude list), or an exact name; a pattern that matches a
   * parent module excludes its children.
   *
   * @throws BadInputException naming a pattern that is not valid
   */
  public static TensorSelection excluding(List<String> patterns) {
    try {
      return new TensorSelection(IgnorePatterns.of(patterns, "--exclude"));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--exclude: " + e.getMessage(), e);
    }
  }

  /** Why a tensor is not quantized, or empty when it is. */
  public Optional<String> skipReason(String name, StorageDType dtype, List<Long> shape) {
    if (!name.endsWith(".weight")) {
      return Optional.of("not a weight");
    }
    if (shape.size() != 2) {
      return Optional.of(shape.size() + "-D");
    }
    if (dtype != StorageDType.F32 && dtype != StorageDType.BF16 && dtype != StorageDType.F16) {
      return Optional.of("stored as " + dtype + ", not a float type");
    }
    if (shape.contains(0L)) {
      return Optional.of("empty, no elements to quantize");
    }
    String module = moduleOf(name);
    if (!isProjection(module)) {
      return Optional.of("not an attention or MLP projection");
    }
    try {
      if (excluded.matches(module)) {
        return Optional.of(EXCLUDED);
      }
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e); // a re: pattern that backtracks without end
    }
    return Optional.empty();
  }

  /**
   * The module a weight belongs to: {@code "model.layers.0.mlp.down_proj.weight"} → {@code "...down_proj"}.
   */
  public static String moduleOf(String weightName) {
    int dot = weightName.lastIndexOf('.');
    return dot < 0 ? weightName : weightName.substring(0, dot);
  }

  static boolean isProjection(String module) {
    String[] parts = module.split("\\.");
    String last = parts[parts.length - 1];
    if (PROJECTIONS.contains(last)) {
      return true;
    }
    return last.equals("dense") && parts.length >= 2 && DENSE_PARENTS.contains(parts[parts.length - 2]);
  }
}
