package io.jquant.config.hf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
