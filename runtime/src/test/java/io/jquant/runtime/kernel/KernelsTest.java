package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.runtime.Linear;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.Fp8Quantizer;
import io.jquant.runtime.quant.Int8Quantizer;
import io.jquant.runtime.quant.MxQuantizer;
import io.jquant.runtime.quant.Nvfp4Quantizer;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.WeightQuantizer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelsTest {
  private static final int N = 48;
  private static final int K = 256;

  @Test
  void eachFormatRunsOnItsOwnKernelAndAgreesWithItsDequantizedWeight() {
    assertKernel(new Nvfp4Quantizer(), Nvfp4Linear.class);
    assertKernel(new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.RCEIL), Mxfp4Linear.class);
    assertKernel(new MxQuantizer(MxElement.FP8_E4M3, MxScaleMode.RCEIL), Mxfp8Linear.class);
    assertKernel(Fp8Quantizer.tensorwise(), Fp8Linear.class);
    assertKernel(Fp8Quantizer.rowwise(), Fp8Linear.class);
    assertKernel(Fp8Quantizer.blockwise(128, 128), Fp8Linear.class);
    assertKernel(new Int8Quantizer(), Int8Linear.class);
  }

  @Test
  void anMxElementWithoutAKernelIsRefusedNamingTheLayer() {
    QuantizedWeights e5m2 = new MxQuantizer(MxElement.FP8_E5M2, MxScaleMode.RCEIL).quantize(weight());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Kernels.linear("model.layers.0.mlp.up_proj", e5m2, InputActivations.weightOnly(), null));
    assertEquals("layer model.layers.0.mlp.up_proj: no kernel runs " + e5m2, e.getMessage());
  }

  private static void assertKernel(WeightQuantizer quantizer, Class<?> kernel) {
    QuantizedWeights weights = quantizer.quantize(weight());
    Linear linear = Kernels.linear("layer", weights, InputActivations.weightOnly(), null);
    assertEquals(kernel, linear.getClass());
    assertEquals(N, linear.outFeatures());
    assertEquals(K, linear.inFeatures());
    // A one-hot x selects one weight column: every kernel must give it bit for bit, whatever its sum order.
    float[] x = new float[K];
    x[37] = 1;
    float[] y = new float[N];
    linear.forward(x, y, 1);
    float[] expected = new float[N];
    new Fp32Linear(weights.dequantize().values(), null, N, K).forward(x, expected, 1);
    assertArrayEquals(expected, y, 0f, quantizer.toString());
  }

  private static FloatMatrix weight() {
    Random random = new Random(4);
    float[] values = new float[N * K];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 0.02f;
    }
    return new FloatMatrix("w", N, K, values);
  }
}
