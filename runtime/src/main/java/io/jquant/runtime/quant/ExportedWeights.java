package io.jquant.runtime.quant;

import io.jquant.runtime.tensor.StoredTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A quantizer's weights with one tensor renamed or reshaped for an export's readers: the bytes, and the
 * values they stand for, stay the quantizer's.
 */
final class ExportedWeights implements QuantizedWeights {
  private final QuantizedWeights weights;
  private final List<StoredTensor> tensors;

  private ExportedWeights(QuantizedWeights weights, List<StoredTensor> tensors) {
    this.weights = weights;
    this.tensors = List.copyOf(tensors);
  }

  /** {@code weights} with its tensor {@code from} named {@code to}. */
  static QuantizedWeights renamed(QuantizedWeights weights, String from, String to) {
    List<StoredTensor> out = new ArrayList<>();
    for (StoredTensor t : weights.tensors()) {
      out.add(t.name().equals(from) ? new StoredTensor(to, t.dtype(), t.shape(), t.bytes()) : t);
    }
    return new ExportedWeights(weights, out);
  }

  /** {@code weights} with its tensor {@code name} given the shape {@code shape} (same element count). */
  static QuantizedWeights reshaped(QuantizedWeights weights, String name, long... shape) {
    List<StoredTensor> out = new ArrayList<>();
    for (StoredTensor t : weights.tensors()) {
      out.add(t.name().equals(name) ? StoredTensor.of(t.name(), t.dtype(), t.bytes(), shape) : t);
    }
    return new ExportedWeights(weights, out);
  }

  @Override
  public String name() {
    return weights.name();
  }

  @Override
  public int rows() {
    return weights.rows();
  }

  @Override
  public int cols() {
    return weights.cols();
  }

  @Override
  public FloatMatrix dequantize() {
    return weights.dequantize();
  }

  @Override
  public List<StoredTensor> tensors() {
    return tensors;
  }
}
