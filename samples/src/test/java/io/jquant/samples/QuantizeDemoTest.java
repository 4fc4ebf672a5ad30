package io.jquant.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.samples.llama.LlamaQuantConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class QuantizeDemoTest {
  @Test
  void theDeclaredNvfp4ConfigWritesModeloptTensorsAndPrintsThem() {
    FloatMatrix weight = QuantizeDemo.randomWeight("w", 64, 96, 1);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    QuantizedWeights quantized = QuantizeDemo.run(LlamaQuantConfig.config(), weight,
        new PrintStream(printed, true, StandardCharsets.UTF_8));

    List<StoredTensor> tensors = quantized.tensors();
    assertEquals(List.of("weight", "weight_scale", "weight_scale_2"),
        tensors.stream().map(StoredTensor::name).toList());
    assertEquals(List.of(StorageDType.U8, StorageDType.F8_E4M3, StorageDType.F32),
        tensors.stream().map(StoredTensor::dtype).toList());
    assertEquals(List.of(List.of(64L, 48L), List.of(64L, 6L), List.of()),
        tensors.stream().map(StoredTensor::shape).toList());
    // 64·48 + 64·6 + 4 bytes for 64·96 weights: 4.5 bits per weight plus the scalar.
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("  weight_scale  F8_E4M3 [64, 6]"), text);
    assertTrue(text.contains("3460 bytes (4.505 bits per weight"), text);
  }

  @Test
  void printsTheSameWhateverTheDefaultLocale() {
    FloatMatrix weight = QuantizeDemo.randomWeight("w", 64, 96, 1);
    String root = printed(weight);
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY); // a decimal comma
      assertEquals(root, printed(weight));
    } finally {
      Locale.setDefault(saved);
    }
    assertTrue(root.contains("4.505 bits per weight"), root);
  }

  private static String printed(FloatMatrix weight) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    QuantizeDemo.run(LlamaQuantConfig.config(), weight,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void nvfp4RoundTripErrorOfAGaussianWeightIsThatOfFourBitsWithBlockScales() {
    // E2M1 with a per-16 E4M3 scale keeps a Gaussian weight to a relative RMS error near 0.09; a broken
    // scale or packing order gives errors near 1.
    FloatMatrix weight = QuantizeDemo.randomWeight("w", 128, 256, 2);
    QuantizedWeights quantized = QuantizeDemo.run(LlamaQuantConfig.config(), weight,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    double error = QuantizeDemo.relativeRmsError(weight, quantized.dequantize());
    assertTrue(error > 0.05 && error < 0.13, "relative RMS error " + error);
  }
}
