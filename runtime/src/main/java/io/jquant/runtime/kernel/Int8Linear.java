package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.util.List;
import java.util.Objects;

/**
 * A linear layer over a symmetric INT8 weight {@code [N, K]} with one float32 scale per row (docs/FORMATS.md
 * §4.5, W8A8 with {@link InputActivations} quantizing per token, or W8A16): {@code W[n][k] = q · scale[n]}.
 * The weight bytes stay in their segment, never expanded; the scales are copied.
 *
 * <p>Up to {@value KernelPlan#EIGHT_BIT_GEMV_MAX_ROWS} activation rows run a GEMV that streams the weight,
 * two rows per pass, summing {@code q · x} unscaled and scaling once per dot product; more rows decode panels
 * of {@code q · scale} once and run the blocked GEMM. Results equal the reference ({@code dequantize()} then
 * a float32 matmul) up to float32 rounding order; NaN and Inf propagate to the same outputs; the thread count
 * does not change a bit.
 *
 * <p>W8A8 layers (activations {@link InputActivations#isInt8PerToken()}) on the Vector API with {@code K ≤}
 * {@link KernelPlan#INT8_DOT_MAX_COLS} keep the weight as {@code q + 128} bytes and run up to
 * {@link KernelPlan#INT8_DOT_MAX_ROWS} rows on {@link I8DotLanes}' exact integer dot products instead:
 * {@code ((float) Σ q_w·q_x · xScale) · wScale}, within float32 rounding of the reference, the same bits on
 * AVX2 and AVX-512 and for any thread count. More rows run the float GEMM on decoded panels, which does 16
 * multiply-adds per instruction where the integer lanes do about 5.
 */
public final class Int8Linear extends TwoPathLinear {
  private final I8Matrix weights;
  private final long weightBytes;

  private Int8Linear(String name, int out, int in, TensorView weight, TensorView scale,
      InputActivations activations, float[] bias) {
    super(name, out, in, bias, activations);
    boolean integer = KernelPlan.current().int8DotLanes() && activations.isInt8PerToken()
        && in <= KernelPlan.INT8_DOT_MAX_COLS
        && !"false".equals(System.getProperty(KernelPlan.INT8_DOT_PROPERTY));
    this.weights = new I8Matrix(weight.data(), out, in, EightBitScales.floats(scale), EightBitScales.VECTOR,
        integer);
    this.weightBytes = EightBitScales.bytes(weight, scale);
  }

  /**
   * The layer over checkpoint tensors.
   *
   * @param weight I8 {@code [N, K]}
   * @param scale {@code weight_scale} F32 {@code [N, 1]} (or {@code [N]})
   * @param bias N values, or null
   * @throws IllegalArgumentException naming the layer, the tensor and both shapes when a tensor does not fit
   */
  public static Int8Linear create(String layer, TensorView weight, TensorView scale,
      InputActivations activations,
      float[] bias) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(activations, "activations");
    LinearChecks.requireMatrix(layer, weight, StorageDType.I8);
    int n = Math.toIntExact(weight.shape().get(0));
    int k = Math.toIntExact(weight.shape().get(1));
    EightBitScales.requireScale(layer, scale, StorageDType.F32,
        List.of(List.of((long) n, 1L), List.of((long) n)));
    LinearChecks.requireBias(layer, bias, n);
    return new Int8Linear(layer, n, k, weight, scale, activations, bias);
  }

  /** The layer over an INT8 weight's tensors (shared, not copied). */
  public static Int8Linear of(String layer, Int8Weights weights, InputActivations activations, float[] bias) {
    List<StoredTensor> tensors = weights.tensors();
    return create(layer, tensors.get(0).view(), tensors.get(1).view(), activations, bias);
  }

  @Override
  public long weightBytes() {
    return weightBytes;
  }

  @Override
  StreamedWeights weights() {
    return weights;
  }

  /** Whether this layer runs the integer GEMV (W8A8 on the Vector API). */
  boolean integerDot() {
    return weights.integer();
  }

  /**
   * Also only between two layers on the same kernel: the integer one prepares codes, the float one values.
   */
  @Override
  boolean sharesPrepareWith(PackedLinear other) {
    return super.sharesPrepareWith(other) && other instanceof Int8Linear int8
        && int8.integerDot() == integerDot();
  }

  @Override
  Object prepare(float[] x, int rows) {
    if (weights.integer() && rows <= KernelPlan.INT8_DOT_MAX_ROWS) {
      return Int8Rows.of(activations().quantize(name(), x, rows, inFeatures()));
    }
    return super.prepare(x, rows);
  }

  @Override
  void computeColumns(Object prepared, int rows, int from, int to, float[] y, int yOffset, int yStride) {
    if (prepared instanceof Int8Rows codes) {
      weights.dot(codes, from, to, y, yOffset, yStride);
    } else {
      super.computeColumns(prepared, rows, from, to, y, yOffset, yStride);
    }
  }
}
