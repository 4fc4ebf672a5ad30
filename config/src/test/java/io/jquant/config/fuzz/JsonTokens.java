package io.jquant.config.fuzz;

import java.util.ArrayList;
import java.util.List;

/** Splits JSON text into tokens (strings, bare words and numbers, punctuation) for token mutations. */
final class JsonTokens {
  private JsonTokens() {}

  /** The tokens of {@code json} without the whitespace between them; malformed text splits all the same. */
  static List<String> split(String json) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    int n = json.length();
    while (i < n) {
      char c = json.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        int end = i + 1;
        while (end < n && json.charAt(end) != '"') {
          end += json.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(n, end + 1);
        tokens.add(json.substring(i, end));
        i = end;
      } else if (Character.isLetterOrDigit(c) || c == '-' || c == '+' || c == '.') {
        int end = i + 1;
        while (end < n
            && (Character.isLetterOrDigit(json.charAt(end)) || "-+.".indexOf(json.charAt(end)) >= 0)) {
          end++;
        }
        tokens.add(json.substring(i, end));
        i = end;
      } else {
        tokens.add(String.valueOf(c));
        i++;
      }
    }
    return tokens;
  }
}
