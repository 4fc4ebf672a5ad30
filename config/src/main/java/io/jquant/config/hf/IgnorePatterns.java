package io.jquant.config.hf;

import java.util.ArrayList;
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
    FnmatchGlob glob = FnmatchGlob.of(entry);
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
}
