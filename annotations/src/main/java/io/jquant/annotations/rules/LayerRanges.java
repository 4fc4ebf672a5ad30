package io.jquant.annotations.rules;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code layers} array ({@code {"0-13", "15"}}): each entry an index or an inclusive range.
 * Malformed, negative, reversed, out-of-range and overlapping entries are violations; the well-formed entries
 * still count, so later rules see as much of the declaration as can be read.
 */
public final class LayerRanges {
  private static final Pattern INDEX = Pattern.compile("\\d+");
  private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+)");
  /**
   * The most layers a model may have: far above any real transformer, and low enough that a broken count
   * cannot allocate gigabytes and a generated layer set stays within a class file's limits.
   */
  public static final int MAX_LAYERS = 1 << 12;

  /** "-3", "-3-1", "3--1" and "-3--1". */
  private static final Pattern NEGATIVE = Pattern.compile("-\\d+(-\\d+)?|-?\\d+--\\d+");

  /** The layers read, and for each entry the layers it contributed (empty for a broken entry). */
  public record Result(Set<Integer> layers, List<Set<Integer>> perEntry, List<Violation> violations) {}

  private LayerRanges() {}

  /**
   * Reads {@code entries} of layer class {@code part}; {@code numLayers} bounds them unless it is not
   * positive or above {@link #MAX_LAYERS} (then the model's own violation says so and entries are only
   * bounded by {@link #MAX_LAYERS}).
   */
  public static Result read(int part, List<String> entries, int numLayers) {
    boolean modelBound = numLayers > 0 && numLayers <= MAX_LAYERS;
    BigInteger limit = BigInteger.valueOf(modelBound ? numLayers : MAX_LAYERS);
    List<Violation> violations = new ArrayList<>();
    List<Set<Integer>> perEntry = new ArrayList<>();
    BitSet seen = new BitSet();
    List<Integer> firstEntryOf = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      Place place = new Place(part, Attribute.LAYERS, i);
      BigInteger[] bounds = parse(entry);
      Set<Integer> contributed = new TreeSet<>();
      perEntry.add(contributed);
      if (bounds == null) {
        if (NEGATIVE.matcher(entry).matches()) {
          violations.add(new Violation(RuleId.LAYERS_NEGATIVE, place,
              "layer entry \"" + entry + "\" is negative; layers are numbered from 0."));
        } else {
          violations.add(new Violation(RuleId.LAYERS_SYNTAX, place,
              "layer entry \"" + entry
                  + "\" is neither an index like \"7\" nor an inclusive range like \"0-15\"."));
        }
        continue;
      }
      if (bounds[0].compareTo(bounds[1]) > 0) {
        violations.add(new Violation(RuleId.LAYERS_REVERSED, place,
            "layer range \"" + entry + "\" runs backwards; write \"" + bounds[1] + "-" + bounds[0] + "\"."));
        continue;
      }
      if (bounds[1].compareTo(limit) >= 0) {
        violations.add(new Violation(RuleId.LAYERS_OUT_OF_RANGE, place,
            "layer entry \"" + entry + "\" reaches layer " + bounds[1] + ", but "
                + (!modelBound
                    ? "jquant supports at most " + MAX_LAYERS + " layers."
                    : numLayers == 1
                        ? "the model has 1 layer (0)."
                        : "the model has " + numLayers + " layers (0-" + (numLayers - 1) + ").")));
        continue;
      }
      // Both bounds are now below MAX_LAYERS.
      int from = bounds[0].intValue();
      int to = bounds[1].intValue();
      int overlapsWith = -1;
      for (int layer = from; layer <= to; layer++) {
        if (seen.get(layer) && overlapsWith < 0) {
          overlapsWith = firstEntryOf.get(layer);
        }
      }
      if (overlapsWith >= 0) {
        String other = entries.get(overlapsWith);
        violations.add(new Violation(RuleId.LAYERS_OVERLAP, place,
            "layer entry \"" + entry + "\" " + (other.equals(entry) ? "repeats" : "overlaps") + " entry \""
                + other + "\"; list each layer once."));
        continue;
      }
      for (int layer = from; layer <= to; layer++) {
        seen.set(layer);
        while (firstEntryOf.size() <= layer) {
          firstEntryOf.add(-1);
        }
        firstEntryOf.set(layer, i);
        contributed.add(layer);
      }
    }
    Set<Integer> layers = new TreeSet<>();
    seen.stream().forEach(layers::add);
    return new Result(layers, perEntry, violations);
  }

  /**
   * {from, to} of an index or range, or null when the text is neither. Numbers of any length are read
   * exactly, so a message can quote them as written (without leading zeros).
   */
  private static BigInteger[] parse(String entry) {
    if (INDEX.matcher(entry).matches()) {
      BigInteger n = new BigInteger(entry);
      return new BigInteger[] { n, n };
    }
    Matcher range = RANGE.matcher(entry);
    if (range.matches()) {
      return new BigInteger[] { new BigInteger(range.group(1)), new BigInteger(range.group(2)) };
    }
    return null;
  }

  /**
   * The layers {@link #describe} wrote: {@code "0-2, 5"} gives {@code [0, 1, 2, 5]}, {@code ""} none.
   * Generated code keeps its layer sets in this form, compact for any model.
   *
   * @throws IllegalArgumentException naming every broken entry
   */
  public static Set<Integer> of(String ranges) {
    if (ranges.isBlank()) {
      return Set.of();
    }
    Result read = read(Place.MODEL, List.of(ranges.split(", ", -1)), MAX_LAYERS);
    if (!read.violations().isEmpty()) {
      throw new IllegalArgumentException("layer set \"" + ranges + "\": " + read.violations().stream()
          .map(Violation::message).collect(java.util.stream.Collectors.joining(" ")));
    }
    return read.layers();
  }

  /** {@code [0, 1, 2, 5]} as {@code "0-2, 5"}. */
  public static String describe(Set<Integer> layers) {
    StringBuilder out = new StringBuilder();
    Integer start = null;
    Integer previous = null;
    for (int layer : new TreeSet<>(layers)) {
      if (previous != null && layer == previous + 1) {
        previous = layer;
        continue;
      }
      appendRun(out, start, previous);
      start = layer;
      previous = layer;
    }
    appendRun(out, start, previous);
    return out.toString();
  }

  private static void appendRun(StringBuilder out, Integer start, Integer end) {
    if (start == null) {
      return;
    }
    if (!out.isEmpty()) {
      out.append(", ");
    }
    out.append(start.equals(end) ? String.valueOf(start) : start + "-" + end);
  }
}
