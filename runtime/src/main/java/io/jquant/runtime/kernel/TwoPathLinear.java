package io.jquant.runtime.kernel;

/**
 * A kernel {@link PackedLinear} with the two paths every format has: up to {@link #gemvMaxRows()} activation
 * rows stream the weight once per call (GEMV, memory bound); more rows are packed once and run
 * {@link PanelGemm} over the format's decoded panels (compute bound). Formats supply the GEMV and the panels.
 */
abstract class TwoPathLinear extends PackedLinear {
  TwoPathLinear(String name, int out, int in, float[] bias, InputActivations activations) {
    super(name, out, in, bias, activations);
  }

  /** The most rows the GEMV takes: above it, decoding a panel once and reusing it across rows wins. */
  abstract int gemvMaxRows();

  /** The weight's decoded tiles for {@link PanelGemm}. */
  abstract WeightPanels panels();

  /** The raw sums of {@code rows ≤ gemvMaxRows()} rows of {@code x}, as {@link #computeColumns} writes them. */
  abstract void gemv(float[] x, int rows, int from, int to, float[] y, int yOffset, int yStride);

  @Override
  final Object prepare(float[] x, int rows) {
    float[] values = (float[]) super.prepare(x, rows);
    return rows <= gemvMaxRows() ? values : PanelGemm.pack(values, rows, inFeatures());
  }

  @Override
  final void computeColumns(Object prepared, int rows, int from, int to, float[] y, int yOffset, int yStride) {
    if (prepared instanceof PanelGemm.Packed packed) {
      PanelGemm.multiply(panels(), packed, from, to, y, yOffset, yStride);
    } else {
      gemv((float[]) prepared, rows, from, to, y, yOffset, yStride);
    }
  }
}
