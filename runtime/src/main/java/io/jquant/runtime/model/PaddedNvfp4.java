package io.jquant.runtime.model;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.QuantConfig;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.kernel.Nvfp4Linear;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A modelopt NVFP4 module stored with a K that is not a multiple of 16 (stories260K's {@code down_proj}, K =
 * 172): {@code weight} U8 {@code [N, K/2]} and {@code weight_scale} F8_E4M3 {@code [N, ceil(K/16)]}, the last
 * block short, as jquant's quantizer writes it. The kernel needs whole blocks, so the stored rows are copied
 * once with zero bytes appended up to the next multiple of 16 (code 0 is +0: the block scales and every real
 * element stay as stored) and the kernel runs in a {@link PaddedLinear}. That is exactly the kernel
 * {@link OnTheFly} builds for the float weight, which it pads before quantizing. K is read as twice the
 * packed columns: an odd K cannot be told from the next even one.
 */
final class PaddedNvfp4 {
  private PaddedNvfp4() {}

  /** The kernel of {@code module} when it is such a weight; empty for every other module or format. */
  static Optional<Linear> linear(TensorSource source, String module, QuantConfig config,
      InputActivations activations, Supplier<float[]> bias) {
    if (config.format() != QuantFormat.NVFP4) {
      return Optional.empty();
    }
    Optional<TensorView> found = source.find(module + ".weight");
    if (found.isEmpty() || found.get().dtype() != StorageDType.U8 || found.get().shape().size() != 2
        || source.find(module + ".weight_scale_2").isEmpty()) {
      return Optional.empty();
    }
    TensorView weight = found.get();
    long k = 2 * weight.shape().get(1);
    if (k % Nvfp4Weights.BLOCK == 0 || k > Integer.MAX_VALUE - Nvfp4Weights.BLOCK
        || weight.shape().get(0) > Integer.MAX_VALUE) {
      return Optional.empty(); // whole blocks, or too large for the arrays: the usual loader's case
    }
    int rows = Math.toIntExact(weight.shape().get(0));
    int cols = (int) k;
    Nvfp4Weights stored;
    try {
      TensorView scale = require(source, module + ".weight_scale", StorageDType.F8_E4M3,
          List.of((long) rows, (long) Math.ceilDiv(cols, Nvfp4Weights.BLOCK)));
      TensorView scale2 = require(source, module + ".weight_scale_2", StorageDType.F32, null);
      float[] global = FloatTensors.widen(source.description(), scale2);
      if (global.length != 1) {
        throw new IllegalArgumentException("tensor " + scale2.name() + ": expected one value, got shape "
            + scale2.shape());
      }
      stored = Nvfp4Weights.fromModelopt(module + ".weight", rows, cols, bytes(weight), bytes(scale),
          global[0]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source.description() + ": " + e.getMessage(), e);
    }
    int padded = Math.ceilDiv(cols, Nvfp4Weights.BLOCK) * Nvfp4Weights.BLOCK;
    Linear kernel = Nvfp4Linear.of(module, pad(stored, padded), activations, bias.get());
    return Optional.of(new PaddedLinear(kernel, cols));
  }

  /** {@code weights} with each packed row extended by zero bytes to {@code cols} elements. */
  static Nvfp4Weights pad(Nvfp4Weights weights, int cols) {
    int from = Nvfp4Weights.packedCols(weights.cols());
    int to = Nvfp4Weights.packedCols(cols);
    byte[] packed = new byte[Math.multiplyExact(weights.rows(), to)];
    for (int r = 0; r < weights.rows(); r++) {
      System.arraycopy(weights.packed(), r * from, packed, r * to, from);
    }
    // ceil(K/16) scales per row either way: the padding completes the last block.
    return new Nvfp4Weights(weights.name(), weights.rows(), cols, packed, weights.blockScales(),
        weights.globalScale(), weights.convention());
  }

  /** {@code name}, which must have this dtype and (when not null) this shape. */
  private static TensorView require(TensorSource source, String name, StorageDType dtype, List<Long> shape) {
    TensorView view = source.tensor(name);
    if (view.dtype() != dtype || shape != null && !shape.equals(view.shape())) {
      throw new IllegalArgumentException("tensor " + name + ": a modelopt NVFP4 weight with a short last"
          + " block needs " + dtype + (shape == null ? "" : " " + shape) + ", got " + view.dtype() + " "
          + view.shape());
    }
    return view;
  }

  private static byte[] bytes(TensorView view) {
    return view.data().toArray(ValueLayout.JAVA_BYTE);
  }
}
