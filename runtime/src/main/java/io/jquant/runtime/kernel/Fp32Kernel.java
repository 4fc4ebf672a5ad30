package io.jquant.runtime.kernel;

/**
 * {@link Fp32Linear}'s kernel: float32 weights {@code [N, K]} row-major in a float array. A few rows stream
 * the weight once with several accumulators per row (GEMV); more rows go through {@link PanelGemm}, whose
 * panels are plain copies here.
 */
final class Fp32Kernel extends PlainWeightsLinear {
  private final float[] weight;

  /** Takes {@code weight} as is (callers pass a private copy). */
  Fp32Kernel(String name, float[] weight, float[] bias, int out, int in) {
    super(name, out, in, bias);
    this.weight = weight;
  }

  @Override
  public long weightBytes() {
    return (long) weight.length * Float.BYTES;
  }

  @Override
  public void decode(int n0, int count, int k0, int depth, float[] panel) {
    int in = inFeatures();
    for (int j = 0; j < count; j++) {
      System.arraycopy(weight, (n0 + j) * in + k0, panel, j * depth, depth);
    }
  }

  @Override
  public float[] floats() {
    return weight;
  }

  @Override
  public void gemv(float[] x, int rows, int from, int to, float[] y, int yOffset, int yStride) {
    Gemv.floats(weight, inFeatures(), x, rows, from, to, y, yOffset, yStride);
  }
}
