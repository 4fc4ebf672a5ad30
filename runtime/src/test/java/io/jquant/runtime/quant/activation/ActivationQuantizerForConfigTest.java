package io.jquant.runtime.quant.activation;

import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.MaxConfigs;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import org.junit.jupiter.api.Test;

/** {@link ActivationQuantizer#forConfig} on the configs MAX's parsers build. */
class ActivationQuantizerForConfigTest {

  @Test
  void nvfp4TakesTheStaticInputScale() {
    assertEquals(ActivationQuantizer.nvfp4Static(0.0015f),
        ActivationQuantizer.forConfig(MaxConfigs.nvfp4(), 0.0015f));
  }

  @Test
  void nvfp4WithoutInputScaleIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ActivationQuantizer.forConfig(MaxConfigs.nvfp4(), null));
    assertEquals(
        "QuantConfig nvfp4 with BLOCK STATIC FLOAT32 (1, 16) input scales needs the layer's input_scale"
            + " to quantize activations, and none was given",
        e.getMessage());
  }

  @Test
  void dynamicNvfp4ComputesItsGlobalScale() {
    QuantConfig config = QuantConfig.builder(QuantFormat.NVFP4)
        .inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 16)).allLayers(2).build();
    assertEquals(ActivationQuantizer.nvfp4Dynamic(), ActivationQuantizer.forConfig(config, null));
  }

  @Test
  void mxFormatsUseRceilUnlessTold() {
    assertEquals(ActivationQuantizer.mx(MxElement.FP4_E2M1, MxScaleMode.RCEIL),
        ActivationQuantizer.forConfig(MaxConfigs.mxfp4(), null));
    assertEquals(ActivationQuantizer.mx(MxElement.FP4_E2M1, MxScaleMode.EVEN),
        ActivationQuantizer.forConfig(MaxConfigs.mxfp4(), null, MxScaleMode.EVEN));
    assertEquals(ActivationQuantizer.mx(MxElement.FP8_E4M3, MxScaleMode.RCEIL),
        ActivationQuantizer.forConfig(MaxConfigs.mxfp8(), null));
  }

  @Test
  void blockscaledFp8QuantizesDynamic1x128Blocks() {
    assertEquals(ActivationQuantizer.fp8DynamicBlocks(128, null),
        ActivationQuantizer.forConfig(MaxConfigs.blockscaledFp8(), null));
  }

  @Test
  void fbgemmQuantizesPerTokenUnderItsUpperBound() {
    assertEquals(ActivationQuantizer.fp8DynamicPerToken(1200.0f),
        ActivationQuantizer.forConfig(MaxConfigs.fbgemm(), null));
  }

  @Test
  void tensorwiseStaticFp8DividesByTheInputScale() {
    assertEquals(ActivationQuantizer.fp8Static(0.02f),
        ActivationQuantizer.forConfig(MaxConfigs.tensorwiseFp8(), 0.02f));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ActivationQuantizer.forConfig(MaxConfigs.tensorwiseFp8(), null));
    assertEquals(
        "QuantConfig fbgemm-fp8 with TENSOR STATIC FLOAT32 input scales needs the layer's input_scale"
            + " to quantize activations, and none was given",
        e.getMessage());
  }

  @Test
  void tensorwiseDynamicFp8HasOneScalePerTensor() {
    QuantConfig config = QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(TENSOR, DYNAMIC, FLOAT32))
        .weightScale(new WeightScaleSpec(TENSOR, FLOAT32))
        .allLayers(2)
        .build();
    assertEquals(ActivationQuantizer.fp8DynamicPerTensor(null), ActivationQuantizer.forConfig(config, null));
  }

  @Test
  void compressedTensorsFp8QuantizesPerTokenWithoutBound() {
    assertEquals(ActivationQuantizer.fp8DynamicPerToken(null),
        ActivationQuantizer.forConfig(MaxConfigs.compressedTensorsFp8(), null));
  }

  @Test
  void int8W8a8QuantizesPerToken() {
    assertEquals(ActivationQuantizer.int8PerToken(),
        ActivationQuantizer.forConfig(MaxConfigs.int8W8a8(), null));
  }

  @Test
  void dynamicSpecsRefuseAnInputScale() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ActivationQuantizer.forConfig(MaxConfigs.fbgemm(), 0.5f));
    assertEquals(
        "QuantConfig fbgemm-fp8 with COLWISE DYNAMIC FLOAT8_E4M3FN ub 1200.0 input scales computes scales"
            + " from each input; got an input_scale of 0.5, which only STATIC specs take",
        e.getMessage());
  }

  @Test
  void badStaticInputScaleIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ActivationQuantizer.forConfig(MaxConfigs.nvfp4(), 0.0f));
    assertEquals("input_scale must be positive and finite with a finite reciprocal, got 0.0", e.getMessage());
  }

  @Test
  void everyFormatGetsAQuantizerOfItsOwnEncoding() {
    for (QuantFormat format : QuantFormat.values()) {
      QuantConfig config = MaxConfigs.forFormat(format);
      ActivationQuantizer quantizer = ActivationQuantizer.forConfig(config, config.isStatic() ? 0.01f : null);
      ActivationFormat expected = switch (format) {
        case NVFP4 -> ActivationFormat.NVFP4;
        case MXFP4 -> ActivationFormat.MXFP4;
        case MXFP8 -> ActivationFormat.MXFP8;
        case INT8_W8A8 -> ActivationFormat.INT8;
        case COMPRESSED_TENSORS_FP8, FBGEMM_FP8, BLOCKSCALED_FP8 -> ActivationFormat.FP8_E4M3;
      };
      assertEquals(expected, quantizer.format(), format.wireName());
    }
  }
}
