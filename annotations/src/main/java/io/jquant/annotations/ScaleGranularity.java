package io.jquant.annotations;

/**
 * How many values share one scale, named as MAX's {@code ScaleGranularity}.
 *
 * <p>MAX's naming, which jquant keeps: for a weight {@code [N, K]}, {@link #ROWWISE} is one scale per output
 * channel; for activations {@code [M, K]}, one scale per token is {@link #COLWISE}.
 */
public enum ScaleGranularity {
  TENSOR("tensor"),
  ROWWISE("rowwise"),
  COLWISE("colwise"),
  BLOCK("block");

  private final String wireName;

  ScaleGranularity(String wireName) {
    this.wireName = wireName;
  }

  /** The name MAX writes, e.g. {@code "rowwise"}. */
  public String wireName() {
    return wireName;
  }

  /** The granularity whose {@link #wireName()} is {@code name}. */
  public static ScaleGranularity fromWireName(String name) {
    for (ScaleGranularity granularity : values()) {
      if (granularity.wireName.equals(name)) {
        return granularity;
      }
    }
    throw new IllegalArgumentException("unknown scale granularity '" + name + "'");
  }
}
