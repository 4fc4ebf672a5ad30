package io.jquant.annotations;

/** Whether a scale is computed ahead of time (loaded with the weights) or at run time from the data. */
public enum ScaleOrigin {
  STATIC("static"),
  DYNAMIC("dynamic");

  private final String wireName;

  ScaleOrigin(String wireName) {
    this.wireName = wireName;
  }

  /** The name MAX writes, e.g. {@code "static"}. */
  public String wireName() {
    return wireName;
  }

  /** The origin whose {@link #wireName()} is {@code name}. */
  public static ScaleOrigin fromWireName(String name) {
    for (ScaleOrigin origin : values()) {
      if (origin.wireName.equals(name)) {
        return origin;
      }
    }
    throw new IllegalArgumentException("unknown scale origin '" + name + "'");
  }
}
