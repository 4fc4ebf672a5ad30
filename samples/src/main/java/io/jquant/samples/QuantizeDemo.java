package io.jquant.samples;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.tensor.StoredTensor;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;

/**
 * Quantizes one weight the way a declaration says, with the quantizer {@link WeightQuantizer#forConfig} picks
 * for its {@code QuantConfig}, and reports the tensors a checkpoint would hold and the error of the round
 * trip. The weight is random (normal, σ 0.02, a fixed seed), because reading real checkpoints comes with the
 * checkpoint support; what is shown is exactly what a real weight goes through.
 */
public final class QuantizeDemo {
  private QuantizeDemo() {}

  /**
   * A [rows, cols] weight of normal values with σ 0.02, the usual initialisation scale, from {@code seed}.
   */
  public static FloatMatrix randomWeight(String name, int rows, int cols, long seed) {
    Random random = new Random(seed);
    float[] values = new float[rows * cols];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 0.02);
    }
    return new FloatMatrix(name, rows, cols, values);
  }

  /** sqrt(Σ(a-b)²/Σa²): the relative RMS error of a round trip. */
  public static double relativeRmsError(FloatMatrix original, FloatMatrix roundTrip) {
    double error = 0;
    double energy = 0;
    for (int i = 0; i < original.values().length; i++) {
      double a = original.values()[i];
      double difference = a - roundTrip.values()[i];
      error += difference * difference;
      energy += a * a;
    }
    return Math.sqrt(error / energy);
  }

  /**
   * Quantizes {@code weight} for {@code config}, prints its tensors and round-trip error, returns the result.
   */
  public static QuantizedWeights run(QuantConfig config, FloatMatrix weight, PrintStream out) {
    QuantizedWeights quantized = WeightQuantizer.forConfig(config).quantize(weight);
    out.println("Quantized " + weight.name() + " " + weight.shapeText() + " to " + config.format().name()
        + "; the checkpoint tensors:");
    long bytes = 0;
    for (StoredTensor tensor : quantized.tensors()) {
      out.println("  " + tensor.name() + "  " + tensor.dtype() + " " + tensor.shape());
      bytes += tensor.bytes().length;
    }
    // Locale.ROOT: a point for the decimals whatever the machine's language.
    out.printf(Locale.ROOT,
        "  %d bytes (%.3f bits per weight, float32 would be 32); relative RMS error %.4f%n",
        bytes, 8.0 * bytes / ((long) weight.rows() * weight.cols()),
        relativeRmsError(weight, quantized.dequantize()));
    return quantized;
  }
}
