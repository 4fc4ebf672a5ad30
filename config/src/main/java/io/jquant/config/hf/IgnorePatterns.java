package io.jquant.config.hf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An ignore / exclude list ({@code ignore}, {@code exclude_modules}, {@code modules_to_not_convert}): the
 * modules a checkpoint leaves unquantized. Each entry is one of:
 *
 * <ul>
 *   <li>{@code re:<regex>} (compressed-tensors): the regex matches the start of the module name, as
 *       Python's {@code re.match} does (not necessarily the whole name);
 *   <li>an fnmatch pattern, when it holds {@code *}, {@code ?} or {@code [} (modelopt, gpt-oss): it matches
 *       the whole module name or the name of one of its parent modules ({@code *} also crosses dots, as in
 *       Python's {@code fnmatch});
 *   <li>an exact name: the module itself or one of its parents ({@code model.layers.3.self_attn} ignores
 *       {@code model.layers.3.self_attn.q_proj}).
 * </ul>
 *
 * <p>MAX compares exact projection names only; every list MAX accepts means the same here. The parent rule
 * is what vLLM's modelopt matcher ({@code prefix*} becomes {@code prefix} and {@code prefix.*}) and
 * transformers' {@code modules_to_not_convert} do.
 */
public final class IgnorePatterns {
  private static final IgnorePatterns NONE = new IgnorePatterns(List.of(), List.of());

  private final List<String> entries;
  private final List<Predicate<String>> matchers;

  private IgnorePatterns(List<String> entries, List<Predicate<String>> matchers) {
    this.entries = entries;
    this.matchers = matchers;
  }

  /** The empty list: nothing is ignored. */
  public static IgnorePatterns none() {
    return NONE;
  }

  /**
   * The patterns of {@code entries}.
   *
   * @throws IllegalArgumentException naming the entry if a {@code re:} regex or an fnmatch bracket is malformed
   */
  public static IgnorePatterns of(List<String> entries) {
    List<Predicate<String>> matchers = new ArrayList<>();
    for (String entry : entries) {
      Objects.requireNonNull(entry, "an ignore list holds a null entry");
      matchers.add(matcher(entry));
    }
    return new IgnorePatterns(List.copyOf(entries), List.copyOf(matchers));
  }

  /** The entries as given. */
  public List<String> entries() {
    return entries;
  }

  /** Whether no entry was given. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Whether {@code moduleName} (e.g. {@code model.layers.0.mlp.gate_proj}) is left unquantized. */
  public boolean matches(String moduleName) {
    Objects.requireNonNull(moduleName, "moduleName");
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

  private static Predicate<String> matcher(String entry) {
    if (entry.startsWith("re:")) {
      Pattern regex = compile(entry, entry.substring(3));
      return name -> regex.matcher(name).lookingAt();
    }
    if (entry.indexOf('*') >= 0 || entry.indexOf('?') >= 0 || entry.indexOf('[') >= 0) {
      Pattern glob = compile(entry, fnmatchRegex(entry));
      return name -> selfOrParent(name, n -> glob.matcher(n).matches());
    }
    return name -> selfOrParent(name, entry::equals);
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

  /** Python's {@code fnmatch.translate}: * any run, ? one char, [seq] / [!seq] a class; the rest literal. */
  static String fnmatchRegex(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    int n = glob.length();
    while (i < n) {
      char c = glob.charAt(i++);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[') {
        int j = i;
        if (j < n && glob.charAt(j) == '!') {
          j++;
        }
        if (j < n && glob.charAt(j) == ']') {
          j++;
        }
        while (j < n && glob.charAt(j) != ']') {
          j++;
        }
        if (j >= n) {
          re.append("\\["); // an unclosed bracket is a literal, as in fnmatch
        } else {
          String body = glob.substring(i, j).replace("\\", "\\\\");
          i = j + 1;
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          } else if (body.startsWith("^")) {
            body = "\\" + body;
          }
          re.append('[').append(body.replace("[", "\\[").replace("&&", "&\\&")).append(']');
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
