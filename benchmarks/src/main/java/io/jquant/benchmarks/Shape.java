package io.jquant.benchmarks;

/** A weight matrix shape [N, K] as a benchmark parameter writes it: {@code "4096x4096"}. */
record Shape(int rows, int cols) {
  static Shape parse(String text) {
    int x = text.indexOf('x');
    if (x < 0) {
      throw new IllegalArgumentException("shape " + text + ": expected NxK, e.g. 4096x4096");
    }
    return new Shape(Integer.parseInt(text.substring(0, x)), Integer.parseInt(text.substring(x + 1)));
  }

  long floats() {
    return (long) rows * cols;
  }
}
