package io.jquant.config.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs numbered fuzz cases and checks every outcome: a case either parses or throws an exception its
 * {@link Oracle} accepts; anything else (a NullPointerException, an error deep inside, a message that does
 * not name the file) fails the run with the seed, the case number, the mutations and the input's prefix. All
 * cases run under one generous hang guard.
 *
 * <p>System properties, for reproducing and for longer runs: {@code jquant.fuzz.case=N} runs only case N,
 * {@code jquant.fuzz.scale=K} runs K times as many cases, {@code jquant.fuzz.slowest=true} prints the three
 * slowest cases of each run (a hang guard catches only hangs; this shows what is merely slow).
 */
public final class FuzzRun {
  /** The hang guard for one target's whole run: far above its normal time, so it only catches hangs. */
  public static final Duration HANG_GUARD = Duration.ofMinutes(2);

  private static final int SHOWN_FAILURES = 5;

  private FuzzRun() {}

  /** One case: builds its input from the mutator, records it, and reads it. */
  @FunctionalInterface
  public interface Case {
    void run(Mutator mutator, Input input) throws Exception;
  }

  /** Says why {@code thrown} is not an acceptable way for the reader to refuse the input; null if it is. */
  @FunctionalInterface
  public interface Oracle {
    String reject(Throwable thrown, Input input);
  }

  /** The case's input as the case recorded it, for failure messages and oracles. */
  public static final class Input {
    private byte[] bytes = new byte[0];
    private String name = "";

    /** Records the input's bytes and the name the reader sees (file path or label). */
    public void set(String name, byte[] bytes) {
      this.name = name;
      this.bytes = bytes;
    }

    public String name() {
      return name;
    }

    public byte[] bytes() {
      return bytes;
    }

    /** The bytes as UTF-8 text (malformed bytes replaced). */
    public String text() {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** A case's wall time, kept only to print the slowest cases ({@code -Djquant.fuzz.slowest=true}). */
  private record Slow(long nanos, int c, List<String> log) {}

  /** What a run saw, for the callers' sanity checks and the report. */
  public record Tally(int cases, int parsed, int refused) {}

  /**
   * Runs {@code cases} cases (scaled by {@code jquant.fuzz.scale}) of {@code target} with seeds derived from
   * {@code baseSeed} and the case number.
   */
  public static Tally run(String target, long baseSeed, int cases, List<String> dictionary, Case body,
      Oracle oracle) {
    int scale = Integer.getInteger("jquant.fuzz.scale", 1);
    Integer only = Integer.getInteger("jquant.fuzz.case");
    int total = cases * scale;
    return assertTimeoutPreemptively(HANG_GUARD, () -> {
      List<String> failures = new ArrayList<>();
      java.util.PriorityQueue<Slow> slowest = Boolean.getBoolean("jquant.fuzz.slowest")
          ? new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(Slow::nanos))
          : null;
      int failed = 0;
      int parsed = 0;
      int refused = 0;
      for (int c = 0; c < total; c++) {
        if (only != null && only != c) {
          continue;
        }
        long seed = seed(baseSeed, c);
        Mutator mutator = new Mutator(seed, dictionary);
        Input input = new Input();
        String problem;
        Throwable thrown = null;
        long start = System.nanoTime();
        try {
          body.run(mutator, input);
          parsed++;
          problem = null;
        } catch (Throwable t) {
          thrown = t;
          refused++;
          problem = t instanceof VirtualMachineError || t instanceof LinkageError
              ? "a JVM error"
              : oracle.reject(t, input);
        }
        if (slowest != null) {
          slowest.add(new Slow(System.nanoTime() - start, c, mutator.log()));
          while (slowest.size() > 3) {
            slowest.poll();
          }
        }
        if (problem != null) {
          failed++;
          if (failures.size() < SHOWN_FAILURES) {
            failures.add(describe(target, baseSeed, c, seed, mutator, input, problem, thrown));
          }
        }
      }
      if (failed > 0) {
        fail(failed + " of " + total + " " + target + " cases failed (rerun one with -Djquant.fuzz.case=N);"
            + " the first " + failures.size() + ":\n" + String.join("\n\n", failures));
      }
      if (slowest != null) {
        slowest.stream().sorted(java.util.Comparator.comparingLong(Slow::nanos).reversed())
            .forEach(slow -> System.out.printf("%s slow case %d: %.1f ms %s%n", target, slow.c(),
                slow.nanos() / 1e6,
                slow.log()));
      }
      int ran = only == null ? total : 1;
      System.out.printf("%s: %d cases, %d parsed, %d refused as documented%n", target, ran, parsed, refused);
      if (only == null) {
        // Guards the fuzzer itself: mutations that never parse, or never fail, test nothing.
        assertTrue(parsed > 0 && refused > 0,
            target + ": " + parsed + " cases parsed and " + refused + " were refused of " + ran);
      }
      return new Tally(ran, parsed, refused);
    }, target + " fuzz run did not finish within " + HANG_GUARD + ": a reader hangs");
  }

  /** The seed of case {@code c}: a SplitMix step so neighbouring cases differ in every bit. */
  public static long seed(long baseSeed, int c) {
    long z = baseSeed + (c + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static String describe(String target, long baseSeed, int c, long seed, Mutator mutator,
      Input input, String problem, Throwable thrown) {
    StringBuilder s = new StringBuilder()
        .append(target).append(" case ").append(c).append(" (base seed ").append(baseSeed)
        .append(", case seed ").append(seed).append("): ").append(problem)
        .append("\n  mutations: ").append(mutator.log())
        .append("\n  input ").append(input.name()).append(" (").append(input.bytes().length).append(" bytes)")
        .append("\n  text: ").append(Mutator.textPrefix(input.bytes(), 600).replace("\n", "\\n"))
        .append("\n  hex: ").append(Mutator.hexPrefix(input.bytes(), 128));
    if (thrown != null) {
      s.append("\n  thrown: ").append(thrown);
      StackTraceElement[] trace = thrown.getStackTrace();
      for (int i = 0; i < Math.min(6, trace.length); i++) {
        s.append("\n    at ").append(trace[i]);
      }
      // A deep recursion's top frames repeat; the jquant frames say where it started.
      java.util.Arrays.stream(trace).skip(6).filter(f -> f.getClassName().startsWith("io.jquant"))
          .distinct().limit(6).forEach(f -> s.append("\n    ... at ").append(f));
    }
    return s.toString();
  }
}
