package io.jquant.config;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E8M0FNU;
import static io.jquant.annotations.DType.UINT8;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;
import static io.jquant.config.ScalesLayout.PLAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.QuantFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each derived property against MAX's {@code quant_config.py} (docs/FORMATS.md §5.3). */
class QuantConfigPropertiesTest {

  @Test
  void staticAndDynamicFollowTheInputOrigin() {
    assertTrue(MaxConfigs.nvfp4().isStatic());
    assertFalse(MaxConfigs.nvfp4().isDynamic());
    assertTrue(MaxConfigs.tensorwiseFp8().isStatic());
    assertTrue(MaxConfigs.fbgemm().isDynamic());
    assertFalse(MaxConfigs.fbgemm().isStatic());
    assertTrue(MaxConfigs.blockscaledFp8().isDynamic());
  }

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void formatPredicatesTestTheFormat(QuantFormat format) {
    QuantConfig c = MaxConfigs.forFormat(format);
    assertEquals(format == QuantFormat.NVFP4, c.isNvfp4());
    assertEquals(format == QuantFormat.MXFP4, c.isMxfp4());
    assertEquals(format == QuantFormat.MXFP8, c.isMxfp8());
    assertEquals(format == QuantFormat.NVFP4 || format == QuantFormat.MXFP4, c.isFp4());
    assertEquals(format == QuantFormat.INT8_W8A8, c.isInt8W8a8());
  }

  @Test
  void scalesGranularityMnkMatchesMaxExamples() {
    assertEquals(new ScalesGranularityMnk(1, 128, 128), MaxConfigs.blockscaledFp8().scalesGranularityMnk());
    assertEquals(new ScalesGranularityMnk(1, 1, 16), MaxConfigs.nvfp4().scalesGranularityMnk());
    assertEquals(new ScalesGranularityMnk(1, 1, -1), MaxConfigs.fbgemm().scalesGranularityMnk());
    assertEquals(new ScalesGranularityMnk(-1, -1, -1), MaxConfigs.tensorwiseFp8().scalesGranularityMnk());
    assertEquals(new ScalesGranularityMnk(1, 1, 32), MaxConfigs.mxfp4().scalesGranularityMnk());
    assertEquals(new ScalesGranularityMnk(1, 1, 32), MaxConfigs.mxfp8().scalesGranularityMnk());
    assertEquals(new ScalesGranularityMnk(1, 1, -1), MaxConfigs.int8W8a8().scalesGranularityMnk());
  }

  @Test
  void scalesGranularityMnkRefusesRowwiseInputs() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScalesGranularityMnk.of(
        new InputScaleSpec(ROWWISE, DYNAMIC, FLOAT32), new WeightScaleSpec(ROWWISE, FLOAT32)));
    assertEquals("unsupported input scale granularity ROWWISE (one scale per token is COLWISE)",
        e.getMessage());
  }

  @Test
  void scalesGranularityMnkRefusesColwiseWeights() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScalesGranularityMnk.of(
        new InputScaleSpec(COLWISE, DYNAMIC, FLOAT32), new WeightScaleSpec(COLWISE, FLOAT32)));
    assertEquals("unsupported weight scale granularity COLWISE (one scale per output channel is ROWWISE)",
        e.getMessage());
  }

  @Test
  void scalesGranularityMnkRefusesDisagreeingK() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ScalesGranularityMnk.of(
        InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 128), new WeightScaleSpec(ROWWISE, FLOAT32)));
    assertEquals("k_input_granularity and k_weight_granularity must be the same, got input 128 and weight -1",
        e.getMessage());
  }

  @Test
  void nvfp4ScalesAreInterleavedE4m3PerSixtyFourLogicalK() {
    // M=300 rows pad to 3 tiles of 128; K=112 gives 7 scale columns, padded to 2 groups of 4.
    assertEquals(TensorType.of(FLOAT8_E4M3FN, 3, 2, 32, 4, 4),
        MaxConfigs.nvfp4().quantizedScalesType(300, 7 * 16));
    assertEquals(TensorType.of(FLOAT8_E4M3FN, 1, 1, 32, 4, 4),
        MaxConfigs.nvfp4().quantizedScalesType(128, 64));
    assertEquals(TensorType.of(FLOAT8_E4M3FN, 2, 2, 32, 4, 4),
        MaxConfigs.nvfp4().quantizedScalesType(129, 65));
    assertEquals(TensorType.of(FLOAT8_E4M3FN, 1, 64, 32, 4, 4),
        MaxConfigs.nvfp4().quantizedScalesType(1, 4096));
  }

  @Test
  void interleavedLayoutHoldsThePaddedScaleMatrix() {
    // docs/FORMATS.md §2.5: the flattened length is R'·C' with R' = ceil(R/128)·128 and C' = ceil(C/4)·4.
    TensorType t = MaxConfigs.nvfp4().quantizedScalesType(300, 7 * 16);
    assertEquals(384L * 8L, t.elementCount());
    assertEquals(5, t.rank());
  }

  @Test
  void mxScalesAreInterleavedE8m0PerOneTwentyEightLogicalK() {
    assertEquals(TensorType.of(FLOAT8_E8M0FNU, 3, 2, 32, 4, 4),
        MaxConfigs.mxfp4().quantizedScalesType(300, 7 * 32));
    assertEquals(TensorType.of(FLOAT8_E8M0FNU, 1, 32, 32, 4, 4),
        MaxConfigs.mxfp8().quantizedScalesType(1, 4096));
    assertEquals(TensorType.of(FLOAT8_E8M0FNU, 3, 1, 32, 4, 4),
        MaxConfigs.mxfp8().quantizedScalesType(300, 100));
  }

  @Test
  void plainMxScalesAreMaxsHipLayout() {
    assertEquals(TensorType.of(FLOAT8_E8M0FNU, 300, 7),
        MaxConfigs.mxfp4().quantizedScalesType(300, 7 * 32, PLAIN));
    assertEquals(TensorType.of(FLOAT8_E8M0FNU, 300, 4),
        MaxConfigs.mxfp8().quantizedScalesType(300, 100, PLAIN));
  }

  @Test
  void plainNvfp4ScalesAreTheCheckpointLayout() {
    assertEquals(TensorType.of(FLOAT8_E4M3FN, 300, 7),
        MaxConfigs.nvfp4().quantizedScalesType(300, 7 * 16, PLAIN));
    assertEquals(TensorType.of(FLOAT8_E4M3FN, 5, 2), MaxConfigs.nvfp4().quantizedScalesType(5, 17, PLAIN));
  }

  @Test
  void blockwiseFp8ScalesAreFloat32Transposed() {
    QuantConfig c = MaxConfigs.blockscaledFp8();
    assertEquals(TensorType.of(FLOAT32, 56, 300), c.quantizedScalesType(300, 7168));
    assertEquals(TensorType.of(FLOAT32, 1, 300), c.quantizedScalesType(300, 7 * 16));
    assertEquals(TensorType.of(FLOAT32, 2, 3), c.quantizedScalesType(3, 129));
    // The layout does not apply to the blockwise path.
    assertEquals(c.quantizedScalesType(300, 7168), c.quantizedScalesType(300, 7168, PLAIN));
  }

  @Test
  void otherConfigsHaveNoQuantizedScalesType() {
    for (QuantConfig c : List.of(MaxConfigs.fbgemm(), MaxConfigs.tensorwiseFp8(),
        MaxConfigs.compressedTensorsFp8(),
        MaxConfigs.int8W8a8())) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.quantizedScalesType(4, 64));
      assertTrue(e.getMessage().startsWith("Can not determine the quantized scales type for " + c.format()),
          e.getMessage());
    }
  }

  @Test
  void quantizedScalesTypeRefusesEmptyOrNegativeShapes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MaxConfigs.nvfp4().quantizedScalesType(0, 64));
    assertEquals("a quantized tensor has positive dimensions [M, K], got [0, 64]", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> MaxConfigs.blockscaledFp8().quantizedScalesType(4, -128));
  }

  @Test
  void fp4PackedKHalvesKForFp4Only() {
    assertEquals(2048, MaxConfigs.nvfp4().fp4PackedK(4096));
    assertEquals(1440, MaxConfigs.mxfp4().fp4PackedK(2880));
    assertEquals(4096, MaxConfigs.mxfp8().fp4PackedK(4096));
    assertEquals(7168, MaxConfigs.blockscaledFp8().fp4PackedK(7168));
    assertEquals(7, QuantConfig.fp4PackedK(7, null));
    assertEquals(8, QuantConfig.fp4PackedK(16, MaxConfigs.nvfp4()));
    assertEquals(7, QuantConfig.fp4PackedK(7, MaxConfigs.fbgemm()));
  }

  @Test
  void fp4PackedKRefusesDimsItCannotPack() {
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> MaxConfigs.nvfp4().fp4PackedK(7));
    assertEquals("FP4 packs two elements per byte, so in_dim must be even, got 7", odd.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> QuantConfig.fp4PackedK(0, null));
    assertEquals("in_dim must be positive, got 0", zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MaxConfigs.fbgemm().fp4PackedK(-2));
  }

  @Test
  void sharedExpertsFollowTheRoutedDtypeUnlessSet() {
    QuantConfig plain = MaxConfigs.nvfp4();
    assertEquals(UINT8, plain.sharedExpertsDtype(UINT8));
    assertTrue(plain.sharedExpertsUseQuant(UINT8));
    QuantConfig mixed = plain.toBuilder().sharedExpertsWeightDtype(BFLOAT16).build();
    assertEquals(BFLOAT16, mixed.sharedExpertsDtype(UINT8));
    assertFalse(mixed.sharedExpertsUseQuant(UINT8));
    assertTrue(mixed.sharedExpertsUseQuant(BFLOAT16));
  }

  @Test
  void tensorTypeCopiesAndChecksItsShape() {
    TensorType t = TensorType.of(FLOAT32, 2, 3);
    assertEquals(List.of(2L, 3L), t.shape());
    assertEquals(6, t.elementCount());
    assertThrows(UnsupportedOperationException.class, () -> t.shape().set(0, 9L));
    assertThrows(IllegalArgumentException.class, () -> TensorType.of(FLOAT32, 2, -1));
    assertThrows(ArithmeticException.class, () -> TensorType.of(FLOAT32, Long.MAX_VALUE, 2).elementCount());
  }

  @Test
  void tensorwiseFp8MayBeStaticOrDynamic() {
    QuantConfig dynamicTensorwise = MaxConfigs.tensorwiseFp8().toBuilder()
        .inputScale(new InputScaleSpec(TENSOR, DYNAMIC, FLOAT32)).build();
    assertTrue(dynamicTensorwise.isDynamic());
    assertEquals(STATIC, MaxConfigs.tensorwiseFp8().inputScale().origin());
  }
}
