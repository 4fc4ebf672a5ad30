package io.jquant.benchmarks;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.Bf16Linear;
import io.jquant.runtime.kernel.Fp32Linear;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.kernel.Kernels;
import io.jquant.runtime.numerics.Bf16Bulk;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The weight formats the kernel benchmarks measure: float32 and bfloat16 as baselines, and every
 * {@link FormatPreset} with its weight quantizer (MX scales by RCEIL) and its activation scheme (used when
 * the benchmark's {@code input} is {@code quantized}), so a format's name means here what it means in
 * {@code jquant quantize} and the samples.
 */
public enum KernelFormat {
  FP32(null),
  BF16(null),
  NVFP4(FormatPreset.NVFP4),
  MXFP4(FormatPreset.MXFP4),
  MXFP8(FormatPreset.MXFP8),
  FP8_TENSOR(FormatPreset.FP8_TENSOR),
  FP8_CHANNEL(FormatPreset.FP8_CHANNEL),
  FP8_BLOCK(FormatPreset.FP8_BLOCK),
  INT8(FormatPreset.INT8);

  private static final MxScaleMode MX_MODE = MxScaleMode.RCEIL;

  private final FormatPreset preset;

  KernelFormat(FormatPreset preset) {
    this.preset = preset;
  }

  /** The preset this format runs, or null for FP32 and BF16. */
  public FormatPreset preset() {
    return preset;
  }

  /** Whether the format stores quantized weights (and so has an activation scheme to pair with). */
  public boolean quantized() {
    return preset != null;
  }

  /** The format's weight: null for FP32 and BF16, whose layers take the float values. */
  QuantizedWeights quantize(FloatMatrix weight) {
    return preset == null ? null : preset.weightQuantizer(MX_MODE).quantize(weight);
  }

  /** Weight-only, or the preset's own (dynamic) activation quantizer when {@code quantizedInput}. */
  InputActivations inputs(boolean quantizedInput) {
    return quantizedInput && preset != null
        ? InputActivations.quantized(ActivationQuantizer.forConfig(preset.builder().build(), null, MX_MODE))
        : InputActivations.weightOnly();
  }

  /**
   * A layer over its own copy of the weight: {@code weight} for FP32/BF16, else a byte-for-byte copy of
   * {@code quantized} (quantizing once and copying makes a cold pool in seconds; identical contents in
   * distinct memory stream the same as distinct contents).
   */
  Linear linear(String name, FloatMatrix weight, QuantizedWeights quantized, boolean quantizedInput) {
    return switch (this) {
      case FP32 -> new Fp32Linear(name, weight.values(), null, weight.rows(), weight.cols());
      case BF16 -> Bf16Linear.create(name, bf16Tensor(name, weight), null);
      default -> Kernels.linear(name, copy(quantized), inputs(quantizedInput), null);
    };
  }

  /** The weight rounded to bfloat16, as a BF16 checkpoint tensor holds it. */
  private static TensorView bf16Tensor(String name, FloatMatrix weight) {
    float[] values = weight.values();
    short[] codes = new short[values.length];
    Bf16Bulk.encode(values, 0, codes, 0, values.length);
    byte[] bytes = new byte[codes.length * 2];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(codes);
    return StoredTensor.of(name, StorageDType.BF16, bytes, weight.rows(), weight.cols()).view();
  }

  /** The same weight in new arrays. */
  static QuantizedWeights copy(QuantizedWeights weights) {
    return switch (weights) {
      case Nvfp4Weights w -> new Nvfp4Weights(w.name(), w.rows(), w.cols(), w.packed().clone(),
          w.blockScales().clone(), w.globalScale(), w.convention());
      case MxWeights w -> new MxWeights(w.name(), w.rows(), w.cols(), w.element(), w.data().clone(),
          w.scales().clone());
      case Fp8Weights w -> new Fp8Weights(w.name(), w.rows(), w.cols(), w.granularity(), w.blockRows(),
          w.blockCols(), w.data().clone(), w.scales().clone());
      case Int8Weights w ->
        new Int8Weights(w.name(), w.rows(), w.cols(), w.data().clone(), w.scales().clone());
      default -> throw new IllegalArgumentException("cannot copy weight " + weights.name() + " of type "
          + weights.getClass().getSimpleName());
    };
  }
}
