package io.jquant.runtime.layout;

import io.jquant.config.BlockSize;
import io.jquant.config.layout.StoredModule;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.Fp8Linear;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.kernel.Int8Linear;
import io.jquant.runtime.kernel.Mxfp4Linear;
import io.jquant.runtime.kernel.Mxfp8Linear;
import io.jquant.runtime.kernel.Nvfp4Linear;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Each {@link io.jquant.config.layout.StoredLayout}'s kernel over a layer's tensors: the weight bytes stay
 * where they are (a mapped checkpoint), float scales are handed over widened to F32.
 */
final class LayerKernels {
  private LayerKernels() {}

  static Linear kernel(StoredLayer layer, InputActivations activations, float[] bias) {
    StoredModule m = layer.module();
    String name = m.module();
    BlockSize block = m.block();
    return switch (m.layout()) {
      case MODELOPT_NVFP4 -> Nvfp4Linear.create(name, layer.view("weight"), layer.checkedView("weight_scale"),
          layer.floats("weight_scale_2")[0], activations, bias);
      // Through modelopt's form: weight_scale_2 = 1/weight_global_scale when that is exact.
      case COMPRESSED_TENSORS_NVFP4 -> Nvfp4Linear.of(name, (Nvfp4Weights) layer.read(), activations, bias);
      case COMPRESSED_TENSORS_MXFP4 -> Mxfp4Linear.create(name, layer.view("weight_packed"),
          layer.checkedView("weight_scale"), activations, bias);
      case MXFP4 ->
        Mxfp4Linear.create(name, layer.view("weight"), layer.checkedView("weight_scale"), activations,
            bias);
      case MXFP8 ->
        Mxfp8Linear.create(name, layer.view("weight"), layer.checkedView("weight_scale"), activations,
            bias);
      case FP8_BLOCK_SCALE_INV -> Fp8Linear.blockwise(name, layer.view("weight"),
          f32(layer, "weight_scale_inv"), block.rows(), block.cols(), activations, bias);
      case FP8_BLOCK -> Fp8Linear.blockwise(name, layer.view("weight"), f32(layer, "weight_scale"),
          block.rows(), block.cols(), activations, bias);
      case FP8_CHANNEL -> Fp8Linear.rowwise(name, layer.view("weight"), f32(layer, "weight_scale"),
          activations, bias);
      case FP8_TENSOR -> Fp8Linear.tensorwise(name, layer.view("weight"), f32(layer, "weight_scale"),
          activations, bias);
      case INT8 -> {
        int rows = Math.toIntExact(m.rows());
        float[] scales = LayerWeights.perRow(layer.floats("weight_scale"), rows);
        yield Int8Linear.create(name, layer.view("weight"),
            f32(layer.view("weight_scale").name(), scales, List.of((long) rows, 1L)), activations, bias);
      }
    };
  }

  /** Float scale {@code part} as an F32 tensor of its shape (already F32: as stored; else widened). */
  private static TensorView f32(StoredLayer layer, String part) {
    TensorView view = layer.view(part);
    float[] values = layer.floats(part);
    return view.dtype() == StorageDType.F32 ? view : f32(view.name(), values, view.shape());
  }

  private static TensorView f32(String name, float[] values, List<Long> shape) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putFloat(v);
    }
    return new TensorView(name, StorageDType.F32, shape, MemorySegment.ofArray(bytes.array()));
  }
}
