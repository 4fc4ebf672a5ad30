package io.jquant.runtime.quant.activation;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;

/**
 * Quantizes activations {@code x [M, K]} at run time, the way the reference kernels do before a quantized
 * GEMM. Implementations are immutable values (equal when their parameters are) and safe to share between
 * threads.
 *
 * <p>None refuses NaN or ±Inf: the row or block holding one dequantizes to NaN and no other does (see
 * {@link io.jquant.runtime.quant.activation}).
 */
public interface ActivationQuantizer {
  /** NVFP4's block size along K. */
  int NVFP4_BLOCK = 16;

  /** The MX block size along K. */
  int MX_BLOCK = 32;

  /** Block-scaled FP8's activation block size along K (DeepSeek-V3's 1x128). */
  int FP8_BLOCK = 128;

  /** The codes and per-group scales of {@code x}. */
  QuantizedActivations quantize(FloatMatrix x);

  /** The element and scale encodings this quantizer produces. */
  ActivationFormat format();

  /**
   * FP8 E4M3 with a static {@code input_scale}: {@code q = E4M3(x / input_scale)}, one scale for the tensor.
   * A row holding NaN or Inf gets NaN codes (0x7F).
   *
   * @throws IllegalArgumentException unless inputScale is positive and finite with a finite reciprocal
   */
  static ActivationQuantizer fp8Static(float inputScale) {
    return new Fp8StaticQuantizer(inputScale);
  }

  /**
   * FP8 E4M3 with one dynamic scale for the tensor: {@code scale = min(amax, ub)/448} over the finite values,
   * {@code q = E4M3(x · 448/min(amax, ub))}, inverse 0 for an all-zero tensor. A row holding NaN or Inf gets
   * NaN codes (0x7F).
   *
   * @param upperBound {@code activation_scale_ub}, or null for none
   */
  static ActivationQuantizer fp8DynamicPerTensor(Float upperBound) {
    return new Fp8TensorQuantizer(upperBound);
  }

  /**
   * FP8 E4M3 with a dynamic scale per token (row), FBGEMM's bound applied: {@code scale = min(amax, ub)/448},
   * {@code q = E4M3(x · 448/min(amax, ub))} saturating at ±448; inverse 0 and zero codes for an all-zero row;
   * a NaN scale for a row holding NaN or Inf. The codes are FBGEMM's; the stored scale is vLLM's and MAX's
   * form, where FBGEMM keeps {@code 1/(448/amax')}, one ulp apart at times.
   *
   * @param upperBound {@code activation_scale_ub}, or null for none
   */
  static ActivationQuantizer fp8DynamicPerToken(Float upperBound) {
    return new DynamicGroupQuantizer(ActivationFormat.FP8_E4M3, 0, upperBound);
  }

  /**
   * FP8 E4M3 with a dynamic scale per {@code 1 x blockCols} block along K (block-scaled FP8 uses 128); each
   * block as {@link #fp8DynamicPerToken} treats a row, a short last block from its real elements.
   *
   * @param upperBound {@code activation_scale_ub}, or null for none
   */
  static ActivationQuantizer fp8DynamicBlocks(int blockCols, Float upperBound) {
    if (blockCols <= 0) {
      throw new IllegalArgumentException("block size along K must be positive, got " + blockCols);
    }
    return new DynamicGroupQuantizer(ActivationFormat.FP8_E4M3, blockCols, upperBound);
  }

  /**
   * Symmetric INT8 with a dynamic scale per token (vLLM's and MAX's W8A8): {@code scale = amax/127},
   * {@code q = rint(x · 127/amax)} saturating to [-128, 127]; inverse 0 and zero codes for an all-zero row; a
   * NaN scale for a row holding NaN or Inf.
   */
  static ActivationQuantizer int8PerToken() {
    return new DynamicGroupQuantizer(ActivationFormat.INT8, 0, null);
  }

  /**
   * NVFP4 with the static {@code input_scale} of a modelopt checkpoint, exactly as MAX's kernel (see
   * {@link Nvfp4ActivationQuantizer}); blocks of 16.
   *
   * @throws IllegalArgumentException unless inputScale is positive and finite with a finite reciprocal
   */
  static ActivationQuantizer nvfp4Static(float inputScale) {
    return new Nvfp4ActivationQuantizer(inputScale, NVFP4_BLOCK);
  }

  /** NVFP4 with a per-call input scale {@code amax/(6·448)} over the finite values, then MAX's kernel. */
  static ActivationQuantizer nvfp4Dynamic() {
    return new Nvfp4ActivationQuantizer(null, NVFP4_BLOCK);
  }

  /**
   * MX activations with blocks of 32: MXFP4 for {@link MxElement#FP4_E2M1}, MXFP8 for
   * {@link MxElement#FP8_E4M3}.
   *
   * @param mode the shared-scale rule: {@link MxScaleMode#RCEIL} is jquant's default, MAX's MXFP4 activations
   * use {@link MxScaleMode#EVEN}
   */
  static ActivationQuantizer mx(MxElement element, MxScaleMode mode) {
    return new MxActivationQuantizer(element, mode, MX_BLOCK);
  }

  /**
   * The activation quantizer {@code config}'s input scale spec prescribes, MX scales chosen by
   * {@link MxScaleMode#RCEIL}; see {@link #forConfig(QuantConfig, Float, MxScaleMode)}.
   */
  static ActivationQuantizer forConfig(QuantConfig config, Float inputScale) {
    return forConfig(config, inputScale, MxScaleMode.RCEIL);
  }

  /**
   * The activation quantizer {@code config}'s input scale spec prescribes:
   *
   * <ul> <li>NVFP4: {@link #nvfp4Static} with the layer's input_scale; {@link #nvfp4Dynamic} for DYNAMIC
   * specs. <li>MXFP4, MXFP8: {@link #mx} with FP4_E2M1 or FP8_E4M3 elements and {@code mxMode}. <li>FP8
   * formats, STATIC: {@link #fp8Static}, whatever the granularity: the checkpoint's input_scale is one
   * scalar, which MAX applies to the whole tensor. <li>FP8 formats, DYNAMIC: TENSOR
   * {@link #fp8DynamicPerTensor}, COLWISE (per token) {@link #fp8DynamicPerToken}, BLOCK
   * {@link #fp8DynamicBlocks} with the spec's K block, all with the spec's {@code activation_scale_ub}.
   * <li>INT8_W8A8: {@link #int8PerToken}. </ul>
   *
   * <p>A QuantConfig has no weight-only form: its input spec is mandatory and every format quantizes
   * activations. A layer that keeps its activations in float (MAX's pre-Blackwell NVFP4 fallback, W4A16) does
   * not ask for an activation quantizer.
   *
   * @param inputScale the layer's {@code input_scale} tensor value: required for STATIC specs, null for
   * DYNAMIC
   * @param mxMode the MX shared-scale rule (ignored by other formats)
   * @throws IllegalArgumentException when a STATIC spec gets no input_scale, a DYNAMIC spec gets one, or the
   * input_scale is not positive and finite
   */
  static ActivationQuantizer forConfig(QuantConfig config, Float inputScale, MxScaleMode mxMode) {
    return ConfigActivationQuantizers.of(config, inputScale, mxMode);
  }
}
