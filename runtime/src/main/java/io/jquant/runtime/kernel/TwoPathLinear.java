package io.jquant.runtime.kernel;

/**
 * A kernel {@link PackedLinear} with the two paths every format has: up to
 * {@link StreamedWeights#gemvMaxRows()} activation rows stream the weight once per call (GEMV, memory bound);
 * more rows are packed once and run {@link PanelGemm} over the format's decoded panels (compute bound).
 */
abstract class TwoPathLinear extends PackedLinear {
  TwoPathLinear(String name, int out, int in, float[] bias, InputActivations activations) {
    super(name, out, in, bias, activations);
  }

  /** The format's packed weight. */
  abstract StreamedWeights weights();

  @Override
  Object prepare(float[] x, int rows) {
    float[] values = (float[]) super.prepare(x, rows);
    return rows <= weights().gemvMaxRows() ? values : PanelGemm.pack(values, rows, inFeatures());
  }

  @Override
  void computeColumns(Object prepared, int rows, int from, int to, float[] y, int yOffset,
      int yStride) {
    if (prepared instanceof PanelGemm.Packed packed) {
      PanelGemm.multiply(weights(), packed, from, to, y, yOffset, yStride);
    } else {
      weights().gemv((float[]) prepared, rows, from, to, y, yOffset, yStride);
    }
  }
}
