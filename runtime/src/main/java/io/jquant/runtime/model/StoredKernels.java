package io.jquant.runtime.model;

import io.jquant.config.BlockSize;
import io.jquant.config.QuantConfig;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.Fp8Linear;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.kernel.Int8Linear;
import io.jquant.runtime.kernel.Mxfp4Linear;
import io.jquant.runtime.kernel.Mxfp8Linear;
import io.jquant.runtime.kernel.Nvfp4Linear;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kernel of a module a checkpoint holds quantized, over its stored tensors (docs/FORMATS.md §2-§4), as
 * the config's format reads them:
 *
 * <ul> <li>NVFP4: modelopt {@code weight} U8, {@code weight_scale} F8_E4M3, {@code weight_scale_2} F32
 * (multiplied); or compressed-tensors {@code weight_packed}, {@code weight_scale},
 * {@code weight_global_scale} (a divisor, taken as its reciprocal when that is exact for every block scale
 * present); <li>MXFP4: {@code weight} or {@code weight_packed} U8 with {@code weight_scale} U8 / F8_E8M0;
 * <li>MXFP8: {@code weight} F8_E4M3 with {@code weight_scale} U8 / F8_E8M0; <li>compressed-tensors and FBGEMM
 * FP8: {@code weight} F8_E4M3 with {@code weight_scale} F32, one value ({@code []} or {@code [1]}:
 * tensor-wise) or one per row ({@code [N, 1]} or {@code [N]}); <li>block FP8: {@code weight} F8_E4M3 with
 * {@code weight_scale_inv} (DeepSeek) or {@code weight_scale} (compressed-tensors FP8_BLOCK), blocks of the
 * config's weight block size; <li>INT8 W8A8: {@code weight} I8 with {@code weight_scale} F32 {@code [N, 1]}.
 * </ul>
 */
final class StoredKernels {
  private StoredKernels() {}

  /**
   * The kernel of {@code module}.
   *
   * @throws IllegalArgumentException naming the module and its tensors when they are not a layout of the
   * config's format, or naming a tensor that is missing or does not fit
   */
  static Linear linear(TensorSource source, String module, QuantConfig config, InputActivations activations,
      float[] bias) {
    Optional<TensorView> weight = source.find(module + ".weight");
    Optional<TensorView> packed = source.find(module + ".weight_packed");
    return switch (config.format()) {
      case NVFP4 -> {
        if (packed.isPresent()) {
          yield compressedNvfp4(source, module, packed.get(), activations, bias);
        }
        TensorView w = require(source, module, config, weight, StorageDType.U8);
        float scale2 = scalar(source, source.tensor(module + ".weight_scale_2"));
        yield Nvfp4Linear.create(module, w, source.tensor(module + ".weight_scale"), scale2, activations,
            bias);
      }
      case MXFP4 -> {
        TensorView w = require(source, module, config, packed.isPresent() ? packed : weight, StorageDType.U8);
        yield Mxfp4Linear.create(module, w, source.tensor(module + ".weight_scale"), activations, bias);
      }
      case MXFP8 -> {
        TensorView w = require(source, module, config, weight, StorageDType.F8_E4M3);
        yield Mxfp8Linear.create(module, w, source.tensor(module + ".weight_scale"), activations, bias);
      }
      case COMPRESSED_TENSORS_FP8, FBGEMM_FP8 -> {
        TensorView w = require(source, module, config, weight, StorageDType.F8_E4M3);
        TensorView scale = source.tensor(module + ".weight_scale");
        yield scale.elementCount() == 1 && scale.shape().size() <= 1
            ? Fp8Linear.tensorwise(module, w, scale, activations, bias)
            : Fp8Linear.rowwise(module, w, scale, activations, bias);
      }
      case BLOCKSCALED_FP8 -> {
        TensorView w = require(source, module, config, weight, StorageDType.F8_E4M3);
        TensorView scale = source.find(module + ".weight_scale_inv")
            .orElseGet(() -> source.tensor(module + ".weight_scale"));
        BlockSize block = config.weightScale().blockSize();
        yield Fp8Linear.blockwise(module, w, scale, block.rows(), block.cols(), activations, bias);
      }
      case INT8_W8A8 -> {
        TensorView w = require(source, module, config, weight, StorageDType.I8);
        yield Int8Linear.create(module, w, source.tensor(module + ".weight_scale"), activations, bias);
      }
    };
  }

  /** compressed-tensors NVFP4, through modelopt's form: {@code weight_scale_2 = 1/weight_global_scale}. */
  private static Linear compressedNvfp4(TensorSource source, String module, TensorView packed,
      InputActivations activations, float[] bias) {
    if (packed.dtype() != StorageDType.U8 || packed.shape().size() != 2) {
      throw notALayout(source, module, "NVFP4");
    }
    int rows = Math.toIntExact(packed.shape().get(0));
    int cols = Math.toIntExact(packed.shape().get(1) * 2);
    Nvfp4Weights weights;
    try {
      weights = Nvfp4Weights.fromCompressedTensors(module + ".weight", rows, cols, stored(packed),
          stored(source.tensor(module + ".weight_scale")),
          stored(source.tensor(module + ".weight_global_scale")));
      return Nvfp4Linear.of(module, weights, activations, bias);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(source.description() + ": " + e.getMessage(), e);
    }
  }

  private static StoredTensor stored(TensorView view) {
    return new StoredTensor(view.name(), view.dtype(), view.shape(),
        view.data().toArray(ValueLayout.JAVA_BYTE));
  }

  /** The module's data tensor, which must be there with the format's dtype. */
  private static TensorView require(TensorSource source, String module, QuantConfig config,
      Optional<TensorView> tensor, StorageDType dtype) {
    if (tensor.isEmpty() || tensor.get().dtype() != dtype) {
      throw notALayout(source, module, config.format().wireName());
    }
    return tensor.get();
  }

  static IllegalArgumentException notALayout(TensorSource source, String module, String format) {
    return new IllegalArgumentException(source.description() + ": module " + module + " is stored as "
        + layout(source, module) + ", which is no " + format
        + " layout jquant reads (docs/FORMATS.md §2-§4)");
  }

  /** The module's tensors as {@code weight F8_E4M3 [4, 32], weight_scale F32 []}. */
  static String layout(TensorSource source, String module) {
    String prefix = module + ".";
    String text = source.tensorNames().stream().filter(n -> n.startsWith(prefix)
        && n.indexOf('.', prefix.length()) < 0)
        .sorted()
        .map(n -> {
          TensorView t = source.tensor(n);
          return n.substring(prefix.length()) + " " + t.dtype() + " " + t.shape();
        })
        .collect(Collectors.joining(", "));
    return text.isEmpty() ? "no tensors" : text;
  }

  /**
   * The value of a one-element F32, BF16 or F16 tensor (a per-tensor scale).
   *
   * @throws IllegalArgumentException naming the tensor unless it holds one float value
   */
  static float scalar(TensorSource source, TensorView tensor) {
    if (tensor.elementCount() != 1 || !tensor.isFloat()) {
      throw new IllegalArgumentException(source.description() + ": tensor '" + tensor.name() + "' is "
          + tensor.dtype() + " " + tensor.shape() + "; expected one float value ([] or [1])");
    }
    return FloatTensors.widen(source.description(), tensor)[0];
  }
}
