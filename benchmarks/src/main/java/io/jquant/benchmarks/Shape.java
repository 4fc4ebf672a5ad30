package io.jquant.benchmarks;

/** A weight matrix shape [N, K] as a benchmark parameter writes it: {@code "4096x4096"}. */
record Shape(int rows, int cols) {
  /**
   * Reads {@code NxK}.
   *
   * @throws IllegalArgumentException naming the text unless it is two positive integers joined by {@code x}
   */
  static Shape parse(String text) {
    int x = text.indexOf('x');
    try {
      if (x > 0) {
        Shape shape = new Shape(Integer.parseInt(text.substring(0, x)),
            Integer.parseInt(text.substring(x + 1)));
        if (shape.rows > 0 && shape.cols > 0) {
          return shape;
        }
      }
    } catch (NumberFormatException e) {
      // reported below with the expected form
    }
    throw new IllegalArgumentException(
        "shape " + text + ": expected NxK with positive N and K, e.g. 4096x4096");
  }

  long floats() {
    return (long) rows * cols;
  }
}
