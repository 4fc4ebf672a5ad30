package io.jquant.runtime.quant.activation;

import io.jquant.runtime.numerics.AbsMax;
import io.jquant.runtime.numerics.Fp4E2M1Bulk;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.quant.FloatMatrix;

/**
 * NVFP4 activations exactly as MAX's {@code quantize_dynamic_scaled_fp4fp8_kernel} (docs/FORMATS.md §2.3),
 * per block of {@code blockCols} (16) elements along K, in float32 and in this order:
 *
 * <pre> tensor_sf = 1 / input_scale scale = tensor_sf · (amax_b · (1/6)) fp8 = E4M3(scale) RNE, saturating at
 * 448 output_scale = 1 / (float(fp8) · (1 / tensor_sf)) or 0 when amax_b == 0 q = E2M1(x · output_scale) RNE,
 * saturating at ±6 </pre>
 *
 * <p>Decisions where MAX is silent: when {@code fp8} rounds to 0 although {@code amax_b != 0} (a block far
 * below the tensor's range), output_scale is 0 and the block's codes 0: it dequantizes to 0 either way (scale
 * 0), and MAX's {@code recip(0)} would feed Inf and 0·Inf = NaN to the cast. A non-finite output_scale is 0
 * likewise. A block holding NaN or Inf gets the E4M3 NaN scale 0x7F and NaN output_scale (codes 0x7), so it
 * dequantizes to NaN. A block scale above 448 (activations beyond the calibrated range) saturates to 448,
 * where a raw cast would give NaN.
 *
 * <p>With a null {@code inputScale} the scale is dynamic (compressed-tensors' "local" NVFP4 activations; MAX
 * has no such path): {@code input_scale = amax/(6·448)} over the tensor's finite values, or 1 when that is
 * below {@link Float#MIN_NORMAL}, then the same kernel. So an all-zero tensor, and any tensor whose finite
 * values are all below about 3e-35, quantizes to zero codes.
 *
 * @param inputScale the static {@code input_scale} (amax/(6·448) from calibration), or null for dynamic
 * @param blockCols the block size along K, 16 for NVFP4
 */
record Nvfp4ActivationQuantizer(Float inputScale, int blockCols) implements ActivationQuantizer {
  private static final float RECIP_6 = 1.0f / 6.0f;
  private static final float FP4_TIMES_FP8_MAX = 6.0f * 448.0f;
  private static final byte E4M3_NAN = 0x7F;

  Nvfp4ActivationQuantizer {
    if (inputScale != null) {
      StaticScale.check(inputScale);
    }
    if (blockCols <= 0 || blockCols % 2 != 0) {
      throw new IllegalArgumentException("NVFP4 blocks along K must be even and positive, got " + blockCols);
    }
  }

  @Override
  public ActivationFormat format() {
    return ActivationFormat.NVFP4;
  }

  @Override
  public QuantizedActivations quantize(FloatMatrix x) {
    float globalScale = inputScale != null ? inputScale : dynamicInputScale(x.values());
    float tensorSf = 1.0f / globalScale;
    int rows = x.rows();
    int cols = x.cols();
    int groups = Math.ceilDiv(cols, blockCols);
    int rowBytes = format().codeBytesPerRow(cols);
    float[] values = x.values();
    byte[] codes = new byte[rows * rowBytes];
    float[] scales = new float[rows * groups];
    byte[] scaleCodes = new byte[rows * groups];
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < groups; g++) {
        int start = g * blockCols;
        int length = Math.min(blockCols, cols - start);
        float amax = AbsMax.of(values, r * cols + start, length);
        byte fp8;
        float outputScale;
        if (!Float.isFinite(amax)) {
          fp8 = E4M3_NAN;
          outputScale = Float.NaN;
        } else {
          fp8 = Fp8E4M3.encode(tensorSf * (amax * RECIP_6));
          float blockScale = Fp8E4M3.decode(fp8);
          outputScale = amax == 0.0f || blockScale == 0.0f ? 0.0f : 1.0f / (blockScale * (1.0f / tensorSf));
          if (!Float.isFinite(outputScale)) {
            outputScale = 0.0f;
          }
        }
        scaleCodes[r * groups + g] = fp8;
        scales[r * groups + g] = Fp8E4M3.decode(fp8);
        Fp4E2M1Bulk.encodeMultiplied(values, r * cols + start, outputScale, codes, r * rowBytes + start / 2,
            length);
      }
    }
    return new QuantizedActivations(x.name(), format(), rows, cols, 1, blockCols, rows, groups, codes, scales,
        scaleCodes, globalScale);
  }

  private static float dynamicInputScale(float[] values) {
    float scale = FiniteAbsMax.of(values) / FP4_TIMES_FP8_MAX;
    return scale < Float.MIN_NORMAL ? 1.0f : scale;
  }
}
