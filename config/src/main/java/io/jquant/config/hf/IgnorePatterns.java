package io.jquant.config.hf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An ignore / exclude list ({@code ignore}, {@code exclude_modules}, {@code modules_to_not_convert}): the
 * modules a checkpoint leaves unquantized. Each entry is one of:
 *
 * <ul> <li>{@code re:<regex>} (compressed-tensors): the regex matches the start of the module name, as
 * Python's {@code re.match} does (not necessarily the whole name); <li>an fnmatch pattern, when it holds
 * {@code *}, {@code ?} or {@code [} (modelopt, gpt-oss): it matches the whole module name or the name of one
 * of its parent modules ({@code *} also crosses dots, as in Python's {@code fnmatch}); <li>an exact name: the
 * module itself or one of its parents ({@code model.layers.3.self_attn} ignores
 * {@code model.layers.3.self_attn.q_proj}). </ul>
 *
 * <p>MAX compares exact projection names only; every list MAX accepts means the same here. The parent rule is
 * what vLLM's modelopt matcher ({@code prefix*} becomes {@code prefix} and {@code prefix.*}) and
 * transformers' {@code modules_to_not_convert} do.
 */
public final class IgnorePatterns {
  /**
   * The characters a {@code re:} regex may read to match one module name: thousands of times what a sane
   * regex reads on a name of a hundred characters, a few milliseconds; one that backtracks exponentially
   * ({@code re:(a|aa)*b}) reads billions and would hang the command.
   */
  public static final long REGEX_STEPS = 10_000_000;

  private static final IgnorePatterns NONE = new IgnorePatterns(List.of(), Set.of(), List.of());

  private final List<String> entries;
  /** The exact names, looked up once per parent however long the list (ignore lists name thousands). */
  private final Set<String> exact;
  private final List<Predicate<String>> matchers;

  private IgnorePatterns(List<String> entries, Set<String> exact, List<Predicate<String>> matchers) {
    this.entries = entries;
    this.exact = exact;
    this.matchers = matchers;
  }

  /** The empty list: nothing is ignored. */
  public static IgnorePatterns none() {
    return NONE;
  }

  /**
   * The patterns of {@code entries}.
   *
   * @throws IllegalArgumentException naming the entry if a {@code re:} regex is malformed (every fnmatch
   * pattern is valid, as in Python)
   */
  public static IgnorePatterns of(List<String> entries) {
    return of(entries, "ignore list");
  }

  /**
   * The patterns of {@code entries}, from {@code source} (e.g. {@code "config.json:
   * quantization_config.ignore"} or {@code "--exclude"}), which leads the error {@link #matches} raises when
   * a {@code re:} regex backtracks without end.
   *
   * @throws IllegalArgumentException naming the entry if a {@code re:} regex is malformed
   */
  public static IgnorePatterns of(List<String> entries, String source) {
    Objects.requireNonNull(source, "source");
    Set<String> exact = new HashSet<>();
    List<Predicate<String>> matchers = new ArrayList<>();
    for (String entry : entries) {
      Objects.requireNonNull(entry, "an ignore list holds a null entry");
      if (isExact(entry)) {
        exact.add(entry);
      } else {
        matchers.add(matcher(entry, source));
      }
    }
    return new IgnorePatterns(List.copyOf(entries), Set.copyOf(exact), List.copyOf(matchers));
  }

  /** The entries as given. */
  public List<String> entries() {
    return entries;
  }

  /** The entries matched one by one (wildcards and regexes; exact names are one lookup for all). */
  int patternCount() {
    return matchers.size();
  }

  /** Whether no entry was given. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Whether {@code moduleName} (e.g. {@code model.layers.0.mlp.gate_proj}) is left unquantized.
   *
   * @throws IllegalArgumentException naming the source, the entry and the name when a {@code re:} regex takes
   * more than {@link #REGEX_STEPS} steps on it (Python would hang there; this stops)
   */
  public boolean matches(String moduleName) {
    Objects.requireNonNull(moduleName, "moduleName");
    if (!exact.isEmpty() && selfOrParent(moduleName, exact::contains)) {
      return true;
    }
    for (Predicate<String> m : matchers) {
      if (m.test(moduleName)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "IgnorePatterns" + entries;
  }

  private static Predicate<String> matcher(String entry, String source) {
    if (entry.startsWith("re:")) {
      Pattern regex = compile(entry, entry.substring(3));
      return name -> regex.matcher(new Budgeted(name, entry, source)).lookingAt();
    }
    Glob glob = Glob.of(entry);
    return name -> selfOrParent(name, glob::matches);
  }

  private static boolean isExact(String entry) {
    return !entry.startsWith("re:")
        && entry.indexOf('*') < 0 && entry.indexOf('?') < 0 && entry.indexOf('[') < 0;
  }

  private static boolean selfOrParent(String name, Predicate<String> test) {
    String n = name;
    while (true) {
      if (test.test(n)) {
        return true;
      }
      int dot = n.lastIndexOf('.');
      if (dot < 0) {
        return false;
      }
      n = n.substring(0, dot);
    }
  }

  private static Pattern compile(String entry, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("ignore entry \"" + entry + "\" is not a valid pattern: "
          + e.getDescription(), e);
    }
  }

  /** A module name that counts the characters a regex matcher reads and stops it past the budget. */
  private static final class Budgeted implements CharSequence {
    private final String text;
    private final String entry;
    private final String source;
    private long left = REGEX_STEPS;

    Budgeted(String text, String entry, String source) {
      this.text = text;
      this.entry = entry;
      this.source = source;
    }

    @Override
    public char charAt(int index) {
      if (--left < 0) {
        throw new IllegalArgumentException(source + ": ignore entry \"" + entry + "\" takes more than "
            + REGEX_STEPS + " steps to match \"" + text + "\": the regex backtracks without end;"
            + " simplify it");
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /**
   * Python's {@code fnmatch.fnmatchcase} without a regex: {@code *} any run (a run of stars is one star),
   * {@code ?} one character, {@code [seq]} / {@code [!seq]} a class with ranges (read as
   * {@code fnmatch.translate} reads them: a reversed range is empty, a {@code -} first, last or right after a
   * range is literal, an unclosed {@code [} is literal); everything else literal. Characters are code points,
   * as in Python. Matching is the iterative greedy match with one backtrack point (the last star): O(pattern
   * × name) steps whatever the pattern, and the pattern is at most about twice the name (runs of stars are
   * one token, a longer pattern fails at once), where a {@code .*} per star in a backtracking regex engine
   * takes time exponential in the number of stars.
   */
  static final class Glob {
    /** One token per pattern position: null for a star, else the class of the one code point it takes. */
    private final CharClass[] tokens;
    /** The code points a match needs (the non-star tokens): a shorter name fails at once. */
    private final int minLength;

    private Glob(CharClass[] tokens) {
      this.tokens = tokens;
      this.minLength = (int) Arrays.stream(tokens).filter(Objects::nonNull).count();
    }

    /** The glob of {@code pattern}; every pattern is valid, as in fnmatch. */
    static Glob of(String pattern) {
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
      return new Glob(tokens.toArray(CharClass[]::new));
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

  /** The code points one glob position matches: ranges {@code [lo, hi]}, maybe negated. */
  record CharClass(boolean negated, int[] ranges) {
    static final CharClass ANY = new CharClass(true, new int[0]);
    static final CharClass NONE = new CharClass(false, new int[0]);

    static CharClass literal(int c) {
      return new CharClass(false, new int[] { c, c });
    }

    boolean contains(int c) {
      for (int r = 0; r < ranges.length; r += 2) {
        if (ranges[r] <= c && c <= ranges[r + 1]) {
          return !negated;
        }
      }
      return negated;
    }

    /**
     * The class {@code [pat[i..j)]} as {@code fnmatch.translate} builds it: split at the hyphens that make
     * ranges into chunks, drop the empty (reversed) ranges, then the first chunk's {@code !} negates.
     */
    static CharClass bracket(int[] pat, int i, int j) {
      List<int[]> chunks = new ArrayList<>();
      boolean hyphen = false;
      for (int k = i; k < j; k++) {
        hyphen |= pat[k] == '-';
      }
      if (!hyphen) {
        chunks.add(Arrays.copyOfRange(pat, i, j));
      } else {
        int k = pat[i] == '!' ? i + 2 : i + 1;
        while (true) {
          k = find(pat, '-', k, j);
          if (k < 0) {
            break;
          }
          chunks.add(Arrays.copyOfRange(pat, i, k));
          i = k + 1;
          k = k + 3;
        }
        if (i < j) {
          chunks.add(Arrays.copyOfRange(pat, i, j));
        } else {
          int[] last = chunks.getLast();
          int[] withHyphen = Arrays.copyOf(last, last.length + 1);
          withHyphen[last.length] = '-';
          chunks.set(chunks.size() - 1, withHyphen);
        }
        for (int c = chunks.size() - 1; c > 0; c--) {
          int[] before = chunks.get(c - 1);
          int[] after = chunks.get(c);
          if (before[before.length - 1] > after[0]) {
            int[] merged = new int[before.length - 1 + after.length - 1];
            System.arraycopy(before, 0, merged, 0, before.length - 1);
            System.arraycopy(after, 1, merged, before.length - 1, after.length - 1);
            chunks.set(c - 1, merged);
            chunks.remove(c);
          }
        }
      }
      return ofChunks(chunks);
    }

    /** Chunks joined by range hyphens: the last of one chunk to the first of the next is a range. */
    private static CharClass ofChunks(List<int[]> chunks) {
      int[] first = chunks.getFirst();
      if (chunks.size() == 1 && first.length == 0) {
        return NONE; // fnmatch: "empty range, never match"
      }
      boolean negated = first.length > 0 && first[0] == '!';
      if (negated) {
        chunks.set(0, Arrays.copyOfRange(first, 1, first.length));
      }
      List<Integer> ranges = new ArrayList<>();
      for (int c = 0; c < chunks.size(); c++) {
        int[] chunk = chunks.get(c);
        int from = 0;
        int to = chunk.length;
        if (c > 0 && chunks.get(c - 1).length == 0) {
          ranges.add((int) '-'); // "[!-x]" after "!" lost its chunk: regex reads a leading '-' literally
          ranges.add((int) '-');
        } else if (c > 0) {
          int[] before = chunks.get(c - 1);
          ranges.add(before[before.length - 1]);
          ranges.add(chunk[0]);
          from = 1;
        }
        if (c < chunks.size() - 1 && chunk.length > 0) {
          to--; // the range start of the next hyphen
        }
        for (int k = from; k < to; k++) {
          ranges.add(chunk[k]);
          ranges.add(chunk[k]);
        }
      }
      return new CharClass(negated, ranges.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int find(int[] pat, int c, int from, int to) {
      for (int k = from; k < to; k++) {
        if (pat[k] == c) {
          return k;
        }
      }
      return -1;
    }
  }
}
