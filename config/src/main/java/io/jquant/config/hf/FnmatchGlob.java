package io.jquant.config.hf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Python's {@code fnmatch.fnmatchcase} without a regex: {@code *} any run (a run of stars is one star),
 * {@code ?} one character, {@code [seq]} / {@code [!seq]} a class with ranges (read as
 * {@code fnmatch.translate} reads them: a reversed range is empty, a {@code -} first, last or right after a
 * range is literal, an unclosed {@code [} is literal); everything else literal. Characters are code points,
 * as in Python. Matching is the iterative greedy match with one backtrack point (the last star): O(pattern ×
 * name) steps whatever the pattern, and the pattern is at most about twice the name (runs of stars are one
 * token, a longer pattern fails at once), where a {@code .*} per star in a backtracking regex engine takes
 * time exponential in the number of stars.
 */
final class FnmatchGlob {
  /** One token per pattern position: null for a star, else the class of the one code point it takes. */
  private final CharClass[] tokens;
  /** The code points a match needs (the non-star tokens): a shorter name fails at once. */
  private final int minLength;

  private FnmatchGlob(CharClass[] tokens) {
    this.tokens = tokens;
    this.minLength = (int) Arrays.stream(tokens).filter(Objects::nonNull).count();
  }

  /** The glob of {@code pattern}; every pattern is valid, as in fnmatch. */
  static FnmatchGlob of(String pattern) {
    int[] pat = pattern.codePoints().toArray();
    List<CharClass> tokens = new ArrayList<>();
    int i = 0;
    int n = pat.length;
    while (i < n) {
      int c = pat[i++];
      if (c == '*') {
        if (tokens.isEmpty() || tokens.getLast() != null) {
          tokens.add(null); // null marks a star; a run of stars is one
        }
      } else if (c == '?') {
        tokens.add(CharClass.ANY);
      } else if (c == '[') {
        int j = i;
        if (j < n && pat[j] == '!') {
          j++;
        }
        if (j < n && pat[j] == ']') {
          j++;
        }
        while (j < n && pat[j] != ']') {
          j++;
        }
        if (j >= n) {
          tokens.add(CharClass.literal('['));
        } else {
          tokens.add(CharClass.bracket(pat, i, j));
          i = j + 1;
        }
      } else {
        tokens.add(CharClass.literal(c));
      }
    }
    return new FnmatchGlob(tokens.toArray(CharClass[]::new));
  }

  /** Whether the whole of {@code name} matches. */
  boolean matches(String name) {
    if (name.length() < minLength) {
      return false; // fewer chars, so fewer code points; a megabyte-long entry costs nothing per name
    }
    int[] s = name.codePoints().toArray();
    int p = 0;
    int at = 0;
    int starP = -1;
    int starAt = 0;
    while (at < s.length) {
      if (p < tokens.length && tokens[p] != null && tokens[p].contains(s[at])) {
        p++;
        at++;
      } else if (p < tokens.length && tokens[p] == null) {
        starP = p++;
        starAt = at;
      } else if (starP >= 0) {
        p = starP + 1; // the last star takes one more character; earlier stars never need to
        at = ++starAt;
      } else {
        return false;
      }
    }
    while (p < tokens.length && tokens[p] == null) {
      p++;
    }
    return p == tokens.length;
  }
}
