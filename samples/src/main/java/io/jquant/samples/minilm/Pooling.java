package io.jquant.samples.minilm;

/**
 * langchain4j's pooling, operation for operation ({@code OnnxBertBiEncoder.meanPool} and {@code normalize}):
 * float sums over the tokens in order, a float division by the token count, a float sum of squares, its
 * square root in double rounded to float, a float division. Same hidden states in, same bits out.
 */
final class Pooling {
  private Pooling() {}

  static float[] meanNormalized(float[] hidden, int rows, int width) {
    float[] mean = new float[width];
    for (int t = 0; t < rows; t++) {
      for (int i = 0; i < width; i++) {
        mean[i] += hidden[t * width + i];
      }
    }
    for (int i = 0; i < width; i++) {
      mean[i] /= rows;
    }
    float squares = 0;
    for (float v : mean) {
      squares += v * v;
    }
    float norm = (float) Math.sqrt(squares);
    float[] normalized = new float[width];
    for (int i = 0; i < width; i++) {
      normalized[i] = mean[i] / norm;
    }
    return normalized;
  }
}
