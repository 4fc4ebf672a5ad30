package io.jquant.benchmarks;

import java.util.Locale;

/**
 * Where the weights come from. The machine's last-level cache (32 to 260 MiB on the CPUs seen so far) holds
 * at most one weight matrix, never a model, so both matter: {@link #HOT} is one buffer read again and again
 * (it stays in the cache when it fits), {@link #COLD} cycles through distinct buffers totalling more than
 * {@link #COLD_BYTES}, one per operation, as a model's decode step does, so every operation reads from
 * memory.
 */
enum Regime {
  HOT,
  COLD;

  /** A cold pool is larger than this: four times the largest last-level cache we have met. */
  static final long COLD_BYTES = 1L << 30;

  /** The benchmark parameter's spelling: {@code hot} or {@code cold}. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Regime parse(String text) {
    for (Regime regime : values()) {
      if (regime.label().equals(text)) {
        return regime;
      }
    }
    throw new IllegalArgumentException("regime " + text + ": expected hot or cold");
  }

  /**
   * How many distinct buffers of {@code bytesEach} bytes to cycle through: 1 when hot; when cold the fewest,
   * at least 2, that together exceed {@link #COLD_BYTES}.
   */
  int buffers(long bytesEach) {
    if (bytesEach <= 0) {
      throw new IllegalArgumentException("a buffer needs at least one byte, got " + bytesEach);
    }
    return this == HOT ? 1 : (int) Math.max(2, COLD_BYTES / bytesEach + 1);
  }
}
