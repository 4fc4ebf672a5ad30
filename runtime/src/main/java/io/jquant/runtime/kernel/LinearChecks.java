package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.tensor.TensorView;
import java.util.Arrays;
import java.util.List;

/**
 * The construction- and call-time checks every {@link io.jquant.runtime.Linear} shares, with one wording.
 * Only the call-time check is public: {@code model.PaddedLinear} runs it; the rest serve this package's
 * layers.
 */
public final class LinearChecks {
  private LinearChecks() {}

  /** Refuses a non-positive shape. */
  static void requireShape(String layer, int out, int in) {
    if (out <= 0 || in <= 0) {
      throw new IllegalArgumentException(
          "layer " + layer + ": a linear layer has positive dimensions, not [" + out + ", " + in + "]");
    }
  }

  /** Refuses K that is not a multiple of the format's block along K. */
  static void requireBlockMultiple(String layer, String format, int in, int block) {
    if (in % block != 0) {
      throw new IllegalArgumentException(
          "layer " + layer + ": " + format + " needs in_features to be a multiple of "
              + block + ", got " + in);
    }
  }

  /** Refuses a tensor of another storage type or shape, naming the layer, the tensor and both shapes. */
  static void requireTensor(String layer, TensorView tensor, StorageDType dtype, long... shape) {
    List<Long> expected = Arrays.stream(shape).boxed().toList();
    if (tensor.dtype() != dtype || !tensor.shape().equals(expected)) {
      throw new IllegalArgumentException(
          "layer " + layer + ": tensor " + tensor.name() + " is " + tensor.dtype()
              + " " + tensor.shape() + ", expected " + dtype + " " + expected);
    }
  }

  /**
   * Refuses a weight that is not a non-empty {@code [out_features, in_features]} matrix of {@code dtype},
   * naming the layer, the tensor and its type and shape.
   */
  static void requireMatrix(String layer, TensorView tensor, StorageDType dtype) {
    List<Long> shape = tensor.shape();
    boolean matrix = shape.size() == 2 && shape.get(0) > 0 && shape.get(1) > 0
        && shape.get(0) <= Integer.MAX_VALUE && shape.get(1) <= Integer.MAX_VALUE;
    if (tensor.dtype() != dtype || !matrix) {
      throw new IllegalArgumentException(
          "layer " + layer + ": tensor " + tensor.name() + " is " + tensor.dtype()
              + " " + shape + ", expected a matrix " + dtype + " [out_features, in_features]");
    }
  }

  /** Refuses a bias of the wrong length. */
  static void requireBias(String layer, float[] bias, int out) {
    if (bias != null && bias.length != out) {
      throw new IllegalArgumentException(
          "layer " + layer + ": bias has " + bias.length + " values, but the layer has " + out + " outputs");
    }
  }

  /** Refuses x or y arrays too short for {@code rows} rows. */
  public static void requireForward(String layer, float[] x, float[] y, int rows, int in, int out) {
    if (rows < 0 || x.length < (long) rows * in || y.length < (long) rows * out) {
      throw new IllegalArgumentException("layer " + layer + ": forward of " + rows + " rows needs x of "
          + (long) rows * in + " and y of " + (long) rows * out + " values; got " + x.length + " and "
          + y.length);
    }
  }
}
