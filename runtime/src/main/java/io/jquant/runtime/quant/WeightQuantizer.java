package io.jquant.runtime.quant;

import io.jquant.annotations.DType;
import io.jquant.config.BlockSize;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import java.util.Objects;

/** Turns a float32 weight {@code [N, K]} into the tensors of one quantized checkpoint format, offline. */
public interface WeightQuantizer {
  /**
   * Quantizes {@code weight}. Every implementation refuses an empty shape and non-finite values, naming the
   * tensor (and for a bad value its {@code [row, col]} and index), before it returns anything: it returns
   * only fully built weights.
   *
   * @throws IllegalArgumentException for an empty or non-finite weight
   */
  QuantizedWeights quantize(FloatMatrix weight);

  /** {@link #forConfig(QuantConfig, MxScaleMode)} with the default MX scale rule, RCEIL. */
  static WeightQuantizer forConfig(QuantConfig config) {
    return forConfig(config, MxScaleMode.RCEIL);
  }

  /**
   * The quantizer that writes {@code config}'s weights:
   *
   * <ul> <li>NVFP4: {@link Nvfp4Quantizer} (modelopt); <li>MXFP4 / MXFP8: {@link MxQuantizer} with FP4 E2M1 /
   * FP8 E4M3 elements and {@code mxMode}; <li>compressed-tensors FP8 and FBGEMM FP8: {@link Fp8Quantizer} per
   * tensor or per row as the weight granularity says (MAX files Hugging Face's tensor-wise {@code fp8} under
   * FBGEMM_FP8); <li>block-scaled FP8: {@link Fp8Quantizer#blockwise(int, int)} with the weight block size;
   * <li>INT8 W8A8: {@link Int8Quantizer}, per row. </ul>
   *
   * @param mxMode the MX shared-scale rule; only MX formats use it
   * @throws IllegalArgumentException when the FP8 or INT8 weight scales are not float32: the quantizers write
   * float32 scales, and a bf16 or fp16 checkpoint would need its scales rounded before quantizing
   */
  static WeightQuantizer forConfig(QuantConfig config, MxScaleMode mxMode) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(mxMode, "mxMode");
    WeightScaleSpec spec = config.weightScale();
    return switch (config.format()) {
      case NVFP4 -> {
        requireBlock(config, 1, Nvfp4Weights.BLOCK);
        yield new Nvfp4Quantizer();
      }
      case MXFP4 -> {
        requireBlock(config, 1, MxWeights.BLOCK);
        yield new MxQuantizer(MxElement.FP4_E2M1, mxMode);
      }
      case MXFP8 -> {
        requireBlock(config, 1, MxWeights.BLOCK);
        yield new MxQuantizer(MxElement.FP8_E4M3, mxMode);
      }
      case COMPRESSED_TENSORS_FP8, FBGEMM_FP8 -> {
        requireFloat32Scales(config);
        yield switch (spec.granularity()) {
          case TENSOR -> Fp8Quantizer.tensorwise();
          case ROWWISE -> Fp8Quantizer.rowwise();
          default -> throw new IllegalArgumentException(config.format().wireName()
              + ": no FP8 weight quantizer for " + spec.granularity() + " weight scales");
        };
      }
      case BLOCKSCALED_FP8 -> {
        requireFloat32Scales(config);
        BlockSize block = spec.blockSize();
        yield Fp8Quantizer.blockwise(block.rows(), block.cols());
      }
      case INT8_W8A8 -> {
        requireFloat32Scales(config);
        yield new Int8Quantizer();
      }
    };
  }

  private static void requireBlock(QuantConfig config, int rows, int cols) {
    BlockSize block = config.weightScale().blockSize();
    if (!config.weightScale().isBlock() || block.rows() != rows || block.cols() != cols) {
      throw new IllegalArgumentException(config.format().wireName() + ": weight scales must be BLOCK (" + rows
          + ", " + cols + "), got " + config.weightScale());
    }
  }

  private static void requireFloat32Scales(QuantConfig config) {
    DType dtype = config.weightScale().dtype();
    if (dtype != DType.FLOAT32) {
      throw new IllegalArgumentException(config.format().wireName() + ": weight scales of dtype "
          + dtype.wireName() + " are not supported; the weight quantizers write float32 scales");
    }
  }
}
