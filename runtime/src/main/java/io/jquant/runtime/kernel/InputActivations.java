package io.jquant.runtime.kernel;

import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.activation.ActivationFormat;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.quant.activation.QuantizedActivations;
import java.util.Objects;

/**
 * What a layer does to its input before the matmul, as the config's input scale spec says: nothing
 * (weight-only: x stays float32), or quantize it exactly as the serving runtimes do and multiply the values
 * the codes stand for. The second gives a GPU's result up to float32 summation order: the dequantized codes
 * times their block scales are exact in float32 (one rounding per element where NVFP4's global scale is not a
 * power of two), so the kernels' float FMAs add the same products the tensor cores add.
 */
public final class InputActivations {
  private static final InputActivations WEIGHT_ONLY = new InputActivations(null);

  private final ActivationQuantizer quantizer;

  private InputActivations(ActivationQuantizer quantizer) {
    this.quantizer = quantizer;
  }

  /** Activations stay float32 (W4A16, W8A16, ...). */
  public static InputActivations weightOnly() {
    return WEIGHT_ONLY;
  }

  /** Activations are quantized by {@code quantizer} on every call. */
  public static InputActivations quantized(ActivationQuantizer quantizer) {
    return new InputActivations(Objects.requireNonNull(quantizer, "quantizer"));
  }

  /** Whether the activations are quantized. */
  public boolean isQuantized() {
    return quantizer != null;
  }

  /**
   * The {@code rows · in} values the kernel multiplies: {@code x} itself for weight-only layers (not copied),
   * else the dequantized codes of {@code x}'s first {@code rows · in} values.
   */
  public float[] prepare(String layer, float[] x, int rows, int in) {
    if (quantizer == null || rows == 0) {
      return x;
    }
    return quantize(layer, x, rows, in).dequantize().values();
  }

  /** Whether the activations are quantized to INT8 with one dynamic scale per token (W8A8). */
  public boolean isInt8PerToken() {
    return ActivationQuantizer.int8PerToken().equals(quantizer);
  }

  /**
   * Whether the activations are quantized to {@code format} with one scale per {@code block} elements of a
   * row along K (asked of the quantizer's output for one zero row of {@code in} elements, so it is what the
   * quantizer does, not what its name suggests).
   */
  public boolean isBlocks(ActivationFormat format, int block, int in) {
    if (quantizer == null) {
      return false;
    }
    QuantizedActivations probe = quantize("probe", new float[in], 1, in);
    return probe.format() == format && probe.groupRows() == 1 && probe.groupCols() == block;
  }

  /**
   * The codes and scales of {@code x}'s first {@code rows · in} values.
   *
   * @throws IllegalStateException for weight-only activations
   */
  QuantizedActivations quantize(String layer, float[] x, int rows, int in) {
    if (quantizer == null) {
      throw new IllegalStateException("layer " + layer + ": weight-only activations are not quantized");
    }
    float[] head = x.length == rows * in ? x : java.util.Arrays.copyOf(x, rows * in);
    return quantizer.quantize(new FloatMatrix(layer + ".input", rows, in, head));
  }

  @Override
  public String toString() {
    return quantizer == null ? "weight-only" : "quantized " + quantizer;
  }
}
