package io.jquant.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.Fp32Linear;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KernelFormatTest {
  private static final int N = 128;
  private static final int K = 256;
  private static final FloatMatrix WEIGHT = new FloatMatrix("w", N, K, Inputs.gaussian(N * K, 0.02f));
  private static final float[] X = Inputs.gaussian(K, 1.0f);

  @ParameterizedTest
  @EnumSource(value = KernelFormat.class, names = { "FP32", "BF16" }, mode = EnumSource.Mode.EXCLUDE)
  void copiesHoldTheSameBytesInOtherArrays(KernelFormat format) {
    QuantizedWeights original = format.quantize(WEIGHT);
    QuantizedWeights copy = KernelFormat.copy(original);
    assertEquals(original, copy);
    List<StoredTensor> a = original.tensors();
    List<StoredTensor> b = copy.tensors();
    assertEquals(a.size(), b.size());
    for (int t = 0; t < a.size(); t++) {
      assertArrayEquals(a.get(t).bytes(), b.get(t).bytes(), a.get(t).name());
      if (a.get(t).bytes().length > Float.BYTES) { // a scalar scale may be serialised afresh each call
        assertNotSame(a.get(t).bytes(), b.get(t).bytes(), a.get(t).name());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = KernelFormat.class, names = { "FP32", "BF16" }, mode = EnumSource.Mode.EXCLUDE)
  void quantizedLayersMultiplyTheFormatsWeight(KernelFormat format) {
    QuantizedWeights quantized = format.quantize(WEIGHT);
    Linear layer = format.linear("layer", WEIGHT, quantized, false);
    assertEquals(K, layer.inFeatures());
    assertEquals(N, layer.outFeatures());
    float[] expected = forward(new Fp32Linear(quantized.dequantize().values(), null, N, K));
    // The kernels may sum in another order than the reference loop.
    assertArrayEquals(expected, forward(layer), 1e-4f);
    assertTrue(format.inputs(true).isQuantized());
    assertFalse(format.inputs(false).isQuantized());
  }

  @ParameterizedTest
  @EnumSource(value = KernelFormat.class, names = { "FP32", "BF16" })
  void floatFormatsHaveNoQuantizerAndNoActivationScheme(KernelFormat format) {
    assertFalse(format.quantized());
    assertNull(format.quantize(WEIGHT));
    assertFalse(format.inputs(true).isQuantized());
  }

  @ParameterizedTest
  @EnumSource(value = KernelFormat.class, names = { "FP32", "BF16" })
  void floatFormatsMultiplyTheirValues(KernelFormat format) {
    float[] values = WEIGHT.values().clone();
    if (format == KernelFormat.BF16) {
      for (int i = 0; i < values.length; i++) {
        values[i] = Bf16.decode(Bf16.encode(values[i]));
      }
    }
    float[] expected = forward(new Fp32Linear(values, null, N, K));
    assertArrayEquals(expected, forward(format.linear("layer", WEIGHT, null, false)), 1e-4f);
  }

  @Test
  void everyPresetIsMeasuredUnderItsOwnName() {
    List<FormatPreset> presets = Arrays.stream(KernelFormat.values()).filter(KernelFormat::quantized)
        .map(KernelFormat::preset).toList();
    assertEquals(List.of(FormatPreset.values()), presets);
    for (FormatPreset preset : presets) {
      // The bench's --formats name is the preset's: valueOf finds it, and it measures that preset.
      assertSame(preset, KernelFormat.valueOf(preset.name()).preset());
    }
  }

  private static float[] forward(Linear layer) {
    float[] y = new float[N];
    layer.forward(X, y, 1);
    return y;
  }
}
