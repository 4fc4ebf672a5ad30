package io.jquant.annotations.rules;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code layers} array ({@code {"0-13", "15"}}): each entry an index or an inclusive range.
 * Malformed, negative, reversed, out-of-range and overlapping entries are violations; the well-formed
 * entries still count, so later rules see as much of the declaration as can be read.
 */
public final class LayerRanges {
  private static final Pattern INDEX = Pattern.compile("\\d+");
  private static final Pattern RANGE = Pattern.compile("(\\d+)-(\\d+)");
  /** A bound for models whose own layer count is broken, so a typo cannot allocate gigabytes. */
  public static final int MAX_LAYERS = 1 << 16;

  private static final Pattern NEGATIVE = Pattern.compile("-\\d+(-\\d+)?|\\d+--\\d+");

  /** The layers read, and for each entry the layers it contributed (empty for a broken entry). */
  public record Result(Set<Integer> layers, List<Set<Integer>> perEntry, List<Violation> violations) {}

  private LayerRanges() {}

  /**
   * Reads {@code entries} of layer class {@code part}; {@code numLayers} bounds them unless it is not
   * positive (then the model's own violation says so and bounds are not checked).
   */
  public static Result read(int part, List<String> entries, int numLayers) {
    List<Violation> violations = new ArrayList<>();
    List<Set<Integer>> perEntry = new ArrayList<>();
    BitSet seen = new BitSet();
    List<Integer> firstEntryOf = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      Place place = new Place(part, Attribute.LAYERS, i);
      long[] bounds = parse(entry);
      Set<Integer> contributed = new TreeSet<>();
      perEntry.add(contributed);
      if (bounds == null) {
        if (NEGATIVE.matcher(entry).matches()) {
          violations.add(new Violation(RuleId.LAYERS_NEGATIVE, place,
              "layer entry \"" + entry + "\" is negative; layers are numbered from 0."));
        } else {
          violations.add(new Violation(RuleId.LAYERS_SYNTAX, place,
              "layer entry \"" + entry + "\" is neither an index like \"7\" nor an inclusive range like \"0-15\"."));
        }
        continue;
      }
      long from = bounds[0];
      long to = bounds[1];
      if (from > to) {
        violations.add(new Violation(RuleId.LAYERS_REVERSED, place,
            "layer range \"" + entry + "\" runs backwards; write \"" + to + "-" + from + "\"."));
        continue;
      }
      if (to >= (numLayers > 0 ? numLayers : MAX_LAYERS)) {
        violations.add(new Violation(RuleId.LAYERS_OUT_OF_RANGE, place,
            "layer entry \"" + entry + "\" reaches layer " + to + ", but "
                + (numLayers > 0
                    ? "the model has " + numLayers + " layers (0-" + (numLayers - 1) + ")."
                    : "jquant supports at most " + MAX_LAYERS + " layers.")));
        continue;
      }
      int overlapsWith = -1;
      for (long layer = from; layer <= to; layer++) {
        if (seen.get((int) layer) && overlapsWith < 0) {
          overlapsWith = firstEntryOf.get((int) layer);
        }
      }
      if (overlapsWith >= 0) {
        String other = entries.get(overlapsWith);
        violations.add(new Violation(RuleId.LAYERS_OVERLAP, place,
            "layer entry \"" + entry + "\" " + (other.equals(entry) ? "repeats" : "overlaps") + " entry \""
                + other + "\"; list each layer once."));
        continue;
      }
      for (long layer = from; layer <= to; layer++) {
        seen.set((int) layer);
        while (firstEntryOf.size() <= layer) {
          firstEntryOf.add(-1);
        }
        firstEntryOf.set((int) layer, i);
        contributed.add((int) layer);
      }
    }
    Set<Integer> layers = new TreeSet<>();
    seen.stream().forEach(layers::add);
    return new Result(layers, perEntry, violations);
  }

  /** {from, to} of an index or range, or null when the text is neither; overlong numbers are huge. */
  private static long[] parse(String entry) {
    if (INDEX.matcher(entry).matches()) {
      long n = number(entry);
      return new long[] {n, n};
    }
    Matcher range = RANGE.matcher(entry);
    if (range.matches()) {
      return new long[] {number(range.group(1)), number(range.group(2))};
    }
    return null;
  }

  private static long number(String digits) {
    return digits.length() > 10 ? Long.MAX_VALUE : Math.min(Long.parseLong(digits), Integer.MAX_VALUE);
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
