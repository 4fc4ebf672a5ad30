package io.jquant.samples.llama;

import java.util.Objects;

/**
 * The keys (after RoPE) and values of every position seen so far, per layer,
 * {@code [position, kvHeads · headDim]} row-major: a generation step computes attention for its new tokens
 * only.
 */
public final class KvCache {
  private final int width;
  private final int capacity;
  private final float[][] keys;
  private final float[][] values;
  private int length;

  /** An empty cache for {@code config}'s layers with room for {@code capacity} positions. */
  public KvCache(LlamaConfig config, int capacity) {
    Objects.requireNonNull(config, "config");
    if (capacity < 1 || capacity > config.maxPositions()) {
      throw new IllegalArgumentException("a KV cache holds 1 to " + config.maxPositions() + " positions, not "
          + capacity);
    }
    this.width = config.kvWidth();
    this.capacity = capacity;
    this.keys = new float[config.layers()][capacity * width];
    this.values = new float[config.layers()][capacity * width];
  }

  /** Positions cached so far; the next token's position. */
  public int length() {
    return length;
  }

  /** Positions the cache can hold. */
  public int capacity() {
    return capacity;
  }

  /** Layer {@code layer}'s keys; rows past {@link #length()} are being written by the current step. */
  float[] keys(int layer) {
    return keys[layer];
  }

  /** Layer {@code layer}'s values. */
  float[] values(int layer) {
    return values[layer];
  }

  /** Throws unless {@code rows} more positions fit. */
  void requireRoom(int rows) {
    if (length + rows > capacity) {
      throw new IllegalArgumentException(
          "KV cache full: " + length + " positions cached, " + rows + " more do not"
              + " fit in " + capacity);
    }
  }

  /** Counts {@code rows} new positions as cached, once every layer wrote them. */
  void advance(int rows) {
    requireRoom(rows);
    length += rows;
  }
}
