package io.jquant.runtime;

import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.kernel.LinearChecks;
import java.util.Objects;

/**
 * The float32 {@link Linear}: weights as float32, activations as given. (Plain loops for now, with float32
 * accumulation in index order; the kernels issue makes it the vectorized baseline.)
 */
public final class Fp32Linear implements Linear {
  private final String name;
  private final float[] weight;
  private final float[] bias;
  private final int in;
  private final int out;

  /**
   * An unnamed layer (named {@code "fp32"} in errors).
   *
   * @param weight row-major {@code [out, in]}, as Hugging Face checkpoints store it
   * @param bias {@code out} values, or null
   */
  public Fp32Linear(float[] weight, float[] bias, int out, int in) {
    this("fp32", weight, bias, out, in);
  }

  /** A named layer; see {@link #Fp32Linear(float[], float[], int, int)}. */
  public Fp32Linear(String name, float[] weight, float[] bias, int out, int in) {
    this.name = Objects.requireNonNull(name, "name");
    LinearChecks.requireShape(name, out, in);
    Objects.requireNonNull(weight, "weight");
    if (weight.length != (long) out * in) {
      throw new IllegalArgumentException("layer " + name + ": weight has " + weight.length + " values, but ["
          + out + ", " + in + "] needs " + (long) out * in);
    }
    LinearChecks.requireBias(name, bias, out);
    this.weight = weight.clone();
    this.bias = bias == null ? null : bias.clone();
    this.in = in;
    this.out = out;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int inFeatures() {
    return in;
  }

  @Override
  public int outFeatures() {
    return out;
  }

  @Override
  public long weightBytes() {
    return (long) weight.length * Float.BYTES;
  }

  @Override
  public void forward(float[] x, float[] y, int rows, KernelThreads threads) {
    LinearChecks.requireForward(name, x, y, rows, in, out);
    threads.forEachChunk(out, 1, (from, to) -> {
      for (int r = 0; r < rows; r++) {
        for (int n = from; n < to; n++) {
          float sum = 0;
          for (int k = 0; k < in; k++) {
            sum += x[r * in + k] * weight[n * in + k];
          }
          y[r * out + n] = bias == null ? sum : sum + bias[n];
        }
      }
    });
  }
}
