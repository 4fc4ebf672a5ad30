package io.jquant.runtime.layout;

import io.jquant.config.BlockSize;
import io.jquant.config.layout.StoredModule;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.tensor.TensorView;
import java.util.Arrays;

/** Each {@link io.jquant.config.layout.StoredLayout}'s tensors read into the runtime's weight record. */
final class LayerWeights {
  private LayerWeights() {}

  static QuantizedWeights read(StoredLayer layer) {
    StoredModule m = layer.module();
    String name = layer.weightName();
    if (m.rows() > Integer.MAX_VALUE || m.cols() > Integer.MAX_VALUE
        || m.rows() * m.cols() > TensorView.MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException("tensor " + name + ": " + m.layout().description() + " weight ["
          + m.rows() + ", " + m.cols() + "] has more elements than a float array holds ("
          + TensorView.MAX_ARRAY_LENGTH + ")");
    }
    int rows = (int) m.rows();
    int cols = (int) m.cols();
    BlockSize block = m.block();
    return switch (m.layout()) {
      case MODELOPT_NVFP4 -> Nvfp4Weights.fromModelopt(name, rows, cols, layer.bytes("weight"),
          layer.bytes("weight_scale"), layer.floats("weight_scale_2")[0]);
      case COMPRESSED_TENSORS_NVFP4 -> Nvfp4Weights.fromCompressedTensors(name, rows, cols,
          layer.bytes("weight_packed"), layer.bytes("weight_scale"), layer.floats("weight_global_scale")[0]);
      case COMPRESSED_TENSORS_MXFP4 -> new MxWeights(name, rows, cols, MxElement.FP4_E2M1,
          layer.bytes("weight_packed"), layer.bytes("weight_scale"));
      case MXFP4 -> new MxWeights(name, rows, cols, MxElement.FP4_E2M1, layer.bytes("weight"),
          layer.bytes("weight_scale"));
      case MXFP8 -> new MxWeights(name, rows, cols, MxElement.FP8_E4M3, layer.bytes("weight"),
          layer.bytes("weight_scale"));
      case FP8_BLOCK_SCALE_INV -> Fp8Weights.blockwise(name, rows, cols, block.rows(), block.cols(),
          layer.bytes("weight"), layer.floats("weight_scale_inv"));
      case FP8_BLOCK -> Fp8Weights.blockwise(name, rows, cols, block.rows(), block.cols(),
          layer.bytes("weight"), layer.floats("weight_scale"));
      case FP8_CHANNEL -> Fp8Weights.rowwise(name, rows, cols, layer.bytes("weight"),
          layer.floats("weight_scale"));
      case FP8_TENSOR -> Fp8Weights.tensorwise(name, rows, cols, layer.bytes("weight"),
          layer.floats("weight_scale")[0]);
      case INT8 -> new Int8Weights(name, rows, cols, layer.bytes("weight"),
          perRow(layer.floats("weight_scale"), rows));
    };
  }

  /** One scale per row: the row scales, or the one tensor scale repeated (the table allows both). */
  static float[] perRow(float[] scales, int rows) {
    if (scales.length == rows) {
      return scales;
    }
    float[] filled = new float[rows];
    Arrays.fill(filled, scales[0]);
    return filled;
  }
}
