package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.Fp8Quantizer;
import io.jquant.runtime.quant.Int8Quantizer;
import io.jquant.runtime.quant.MxQuantizer;
import io.jquant.runtime.quant.Nvfp4Quantizer;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every kernel on fixed data, one line per layer and row count with the outputs' bits: run by
 * {@link NoVectorKernelsTest} in this JVM and in a child JVM without the Vector API module.
 */
public final class NoVectorKernelsMain {
  static final int N = 40;
  static final int K = 256;
  static final int[] ROWS = { 1, 9 };

  /** A layer and the float32 weight its output must match. */
  record Case(String name, Linear linear, float[] weight) {}

  private NoVectorKernelsMain() {}

  public static void main(String[] args) {
    for (String line : run()) {
      System.out.println(line);
    }
  }

  /** One line per case and row count: the name, the rows, then each output's float bits in hex. */
  static List<String> run() {
    List<String> lines = new ArrayList<>();
    for (Case c : cases()) {
      for (int rows : ROWS) {
        float[] y = new float[rows * N];
        c.linear().forward(x(rows), y, rows);
        StringBuilder line = new StringBuilder(c.name()).append(' ').append(rows);
        for (float v : y) {
          line.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(v)));
        }
        lines.add(line.toString());
      }
    }
    return lines;
  }

  static List<Case> cases() {
    FloatMatrix w = weight();
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("FP32", new Fp32Linear("fp32", w.values(), null, N, K), w.values()));
    float[] bf16 = new float[N * K];
    byte[] bytes = new byte[N * K * 2];
    for (int i = 0; i < bf16.length; i++) {
      short code = Bf16.encode(w.values()[i]);
      bf16[i] = Bf16.decode(code);
      bytes[2 * i] = (byte) code;
      bytes[2 * i + 1] = (byte) (code >> 8);
    }
    cases.add(new Case("BF16",
        Bf16Linear.create("bf16", StoredTensor.of("weight", StorageDType.BF16, bytes, N, K).view(), null),
        bf16));
    Map<String, WeightQuantizer> quantizers = new LinkedHashMap<>();
    quantizers.put("NVFP4", new Nvfp4Quantizer());
    quantizers.put("MXFP4", new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.RCEIL));
    quantizers.put("MXFP8", new MxQuantizer(MxElement.FP8_E4M3, MxScaleMode.RCEIL));
    quantizers.put("FP8_TENSOR", Fp8Quantizer.tensorwise());
    quantizers.put("FP8_ROW", Fp8Quantizer.rowwise());
    quantizers.put("FP8_BLOCK", Fp8Quantizer.blockwise(128, 128));
    quantizers.put("INT8", new Int8Quantizer());
    quantizers.forEach((name, quantizer) -> {
      QuantizedWeights q = quantizer.quantize(w);
      cases.add(new Case(name, Kernels.linear(name, q, InputActivations.weightOnly(), null),
          q.dequantize().values()));
    });
    return cases;
  }

  static float[] x(int rows) {
    Random random = new Random(rows);
    float[] x = new float[rows * K];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  private static FloatMatrix weight() {
    Random random = new Random(7);
    float[] values = new float[N * K];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 0.02f;
    }
    return new FloatMatrix("w", N, K, values);
  }
}
