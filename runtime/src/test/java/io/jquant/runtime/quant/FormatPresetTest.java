package io.jquant.runtime.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FormatPresetTest {
  /** Each preset with its names, format, K multiple, scale specs and the quantizer written out by hand. */
  static Stream<Arguments> presets() {
    InputScaleSpec perToken = new InputScaleSpec(ScaleGranularity.COLWISE, ScaleOrigin.DYNAMIC,
        DType.FLOAT32);
    // compressed-tensors' dynamic inputs, with the float8_e4m3fn dtype MAX's parser gives them.
    InputScaleSpec fp8PerToken = new InputScaleSpec(ScaleGranularity.COLWISE, ScaleOrigin.DYNAMIC,
        DType.FLOAT8_E4M3FN);
    return Stream.of(
        Arguments.of(FormatPreset.NVFP4, "nvfp4", "NVFP4", QuantFormat.NVFP4, 16,
            WeightScaleSpec.block(DType.FLOAT8_E4M3FN, 1, 16),
            InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16), new Nvfp4Quantizer()),
        Arguments.of(FormatPreset.MXFP4, "mxfp4", "MXFP4", QuantFormat.MXFP4, 32,
            WeightScaleSpec.block(DType.FLOAT8_E8M0FNU, 1, 32),
            InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 32),
            new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.FLOOR)),
        Arguments.of(FormatPreset.MXFP8, "mxfp8", "MXFP8", QuantFormat.MXFP8, 32,
            WeightScaleSpec.block(DType.FLOAT8_E8M0FNU, 1, 32),
            InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 32),
            new MxQuantizer(MxElement.FP8_E4M3, MxScaleMode.FLOOR)),
        Arguments.of(FormatPreset.FP8_TENSOR, "fp8-tensor", "FP8 tensor", QuantFormat.COMPRESSED_TENSORS_FP8,
            1, new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32),
            new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.DYNAMIC, DType.FLOAT8_E4M3FN),
            Fp8Quantizer.tensorwise()),
        Arguments.of(FormatPreset.FP8_CHANNEL, "fp8-channel", "FP8 channel",
            QuantFormat.COMPRESSED_TENSORS_FP8, 1,
            new WeightScaleSpec(ScaleGranularity.ROWWISE, DType.FLOAT32), fp8PerToken,
            Fp8Quantizer.rowwise()),
        Arguments.of(FormatPreset.FP8_BLOCK, "fp8-block", "FP8 block", QuantFormat.BLOCKSCALED_FP8, 1,
            WeightScaleSpec.block(DType.FLOAT32, 128, 128),
            InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 128),
            Fp8Quantizer.blockwise(128, 128)),
        Arguments.of(FormatPreset.INT8, "int8", "INT8 W8A8", QuantFormat.INT8_W8A8, 1,
            new WeightScaleSpec(ScaleGranularity.ROWWISE, DType.FLOAT32), perToken, new Int8Quantizer()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void eachPresetIsOneFormatWithFixedScales(FormatPreset preset, String option, String displayName,
      QuantFormat format, int kBlock, WeightScaleSpec weight, InputScaleSpec input,
      WeightQuantizer quantizer) {
    assertEquals(option, preset.option());
    assertEquals(option, preset.toString());
    assertSame(preset, FormatPreset.ofOption(option.toUpperCase(Locale.ROOT)));
    assertEquals(displayName, preset.displayName());
    assertEquals(format, preset.format());
    assertEquals(kBlock, preset.kBlock());

    QuantConfig config = preset.config(Set.of(0, 2), Set.of(1));
    assertEquals(format, config.format());
    assertEquals(weight, config.weightScale());
    assertEquals(input, config.inputScale());
    assertEquals(Set.of(0, 2), config.mlpQuantizedLayers());
    assertEquals(Set.of(1), config.attnQuantizedLayers());

    // The preset's quantizer writes the same tensors, bit for bit, as the one named by hand (MX with FLOOR
    // scales, to see that the mode is passed on: these blocks get other MX scales under RCEIL).
    FloatMatrix w = TestData.randomBlocks("w", 4, 64, 8, 3f, 42);
    List<?> expected = quantizer.quantize(w).tensors();
    assertEquals(expected, preset.weightQuantizer(MxScaleMode.FLOOR).quantize(w).tensors());
    if (format == QuantFormat.MXFP4 || format == QuantFormat.MXFP8) {
      assertNotEquals(expected, preset.weightQuantizer(MxScaleMode.RCEIL).quantize(w).tensors());
    }
  }

  /** Each preset's export tensors for a [4, 64] weight: names, dtypes and shapes the readers register. */
  static Stream<Arguments> exports() {
    return Stream.of(
        Arguments.of(FormatPreset.NVFP4,
            "weight U8 [4, 32], weight_scale F8_E4M3 [4, 4], weight_scale_2 F32 []"),
        Arguments.of(FormatPreset.MXFP4, "weight_packed U8 [4, 32], weight_scale U8 [4, 2]"),
        Arguments.of(FormatPreset.MXFP8, "weight F8_E4M3 [4, 64], weight_scale U8 [4, 2]"),
        Arguments.of(FormatPreset.FP8_TENSOR, "weight F8_E4M3 [4, 64], weight_scale F32 [1]"),
        Arguments.of(FormatPreset.FP8_CHANNEL, "weight F8_E4M3 [4, 64], weight_scale F32 [4, 1]"),
        Arguments.of(FormatPreset.FP8_BLOCK, "weight F8_E4M3 [4, 64], weight_scale_inv F32 [1, 1]"),
        Arguments.of(FormatPreset.INT8, "weight I8 [4, 64], weight_scale F32 [4, 1]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exports")
  void theExportNamesAndShapesTheTensorsAsItsReadersDo(FormatPreset preset, String layout) {
    FloatMatrix w = TestData.randomBlocks("w", 4, 64, 8, 3f, 42);
    QuantizedWeights plain = preset.weightQuantizer(MxScaleMode.RCEIL).quantize(w);
    QuantizedWeights exported = preset.exportQuantizer(MxScaleMode.RCEIL).quantize(w);

    assertEquals(layout, String.join(", ", exported.tensors().stream()
        .map(t -> t.name() + " " + t.dtype() + " " + t.shape()).toList()));
    // Renamed or reshaped only: the same bytes in the same order, standing for the same values.
    for (int i = 0; i < plain.tensors().size(); i++) {
      assertArrayEquals(plain.tensors().get(i).bytes(), exported.tensors().get(i).bytes());
    }
    assertArrayEquals(plain.dequantize().values(), exported.dequantize().values());
    assertEquals(List.of(w.name(), 4, 64), List.of(exported.name(), exported.rows(), exported.cols()));
  }

  @Test
  void onlyNvfp4NeedsCalibration() {
    for (FormatPreset preset : FormatPreset.values()) {
      assertEquals(preset == FormatPreset.NVFP4, preset.needsCalibration(), preset.option());
    }
  }

  @Test
  void anUnknownNameListsTheNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FormatPreset.ofOption("fp8-row"));
    assertEquals("unknown format 'fp8-row'; expected one of [nvfp4, mxfp4, mxfp8, fp8-tensor, fp8-channel,"
        + " fp8-block, int8]", e.getMessage());
  }
}
