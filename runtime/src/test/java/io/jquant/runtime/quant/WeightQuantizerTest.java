package io.jquant.runtime.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import org.junit.jupiter.api.Test;

class WeightQuantizerTest {
  private static QuantConfig config(QuantFormat format) {
    return QuantConfig.builder(format).build();
  }

  private static QuantConfig config(QuantFormat format, WeightScaleSpec weight) {
    return QuantConfig.builder(format).weightScale(weight).build();
  }

  /** Tensor-wise FP8 as MAX parses it: TENSOR weights with static TENSOR inputs. */
  private static QuantConfig tensorwise(QuantFormat format) {
    return QuantConfig.builder(format)
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.STATIC, DType.FLOAT32))
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32))
        .build();
  }

  @Test
  void fp4FormatsGetTheirQuantizers() {
    assertInstanceOf(Nvfp4Quantizer.class, WeightQuantizer.forConfig(config(QuantFormat.NVFP4)));
    MxQuantizer mxfp4 = assertInstanceOf(MxQuantizer.class,
        WeightQuantizer.forConfig(config(QuantFormat.MXFP4), MxScaleMode.FLOOR));
    assertEquals(MxElement.FP4_E2M1, mxfp4.element());
    assertEquals(MxScaleMode.FLOOR, mxfp4.mode());
    MxQuantizer mxfp8 = assertInstanceOf(MxQuantizer.class,
        WeightQuantizer.forConfig(config(QuantFormat.MXFP8)));
    assertEquals(MxElement.FP8_E4M3, mxfp8.element());
    assertEquals(MxScaleMode.RCEIL, mxfp8.mode());
  }

  @Test
  void fp8FormatsFollowTheWeightGranularity() {
    assertEquals(Fp8Granularity.ROW, fp8(config(QuantFormat.COMPRESSED_TENSORS_FP8)).granularity());
    assertEquals(Fp8Granularity.TENSOR,
        fp8(tensorwise(QuantFormat.COMPRESSED_TENSORS_FP8)).granularity());
    assertEquals(Fp8Granularity.ROW, fp8(config(QuantFormat.FBGEMM_FP8)).granularity());
    // MAX files Hugging Face's tensor-wise fp8 checkpoints as FBGEMM_FP8 with TENSOR weight scales.
    assertEquals(Fp8Granularity.TENSOR, fp8(tensorwise(QuantFormat.FBGEMM_FP8)).granularity());
    Fp8Weights block = fp8(config(QuantFormat.BLOCKSCALED_FP8))
        .quantize(new FloatMatrix("w", 129, 2, new float[258]));
    assertEquals(Fp8Granularity.BLOCK, block.granularity());
    assertEquals(128, block.blockRows());
    assertEquals(128, block.blockCols());
  }

  @Test
  void int8GetsTheRowQuantizer() {
    assertInstanceOf(Int8Quantizer.class, WeightQuantizer.forConfig(config(QuantFormat.INT8_W8A8)));
  }

  @Test
  void refusesScaleDtypesTheQuantizersDoNotWrite() {
    QuantConfig bf16 = config(QuantFormat.BLOCKSCALED_FP8, WeightScaleSpec.block(DType.BFLOAT16, 128, 128));
    assertEquals("blockscaled-fp8: weight scales of dtype bfloat16 are not supported; the weight quantizers"
        + " write float32 scales",
        assertThrows(IllegalArgumentException.class, () -> WeightQuantizer.forConfig(bf16)).getMessage());
  }

  private static Fp8Quantizer fp8(QuantConfig config) {
    return assertInstanceOf(Fp8Quantizer.class, WeightQuantizer.forConfig(config));
  }
}
