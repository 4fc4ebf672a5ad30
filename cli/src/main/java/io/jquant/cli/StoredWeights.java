package io.jquant.cli;

import io.jquant.config.BlockSize;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.tensor.TensorView;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one quantized linear layer's stored tensors back into the runtime's weight records, whose
 * {@code dequantize()} gives the float values. The layouts, by the tensors present:
 *
 * <ul> <li>{@code weight_packed} + {@code weight_global_scale}: compressed-tensors NVFP4;
 * <li>{@code weight_packed} + U8 / F8_E8M0 {@code weight_scale} and no global scale: compressed-tensors
 * MXFP4; <li>U8 {@code weight} + {@code weight_scale_2}: modelopt NVFP4; <li>U8 {@code weight} + U8 / F8_E8M0
 * {@code weight_scale}: MXFP4; F8_E4M3 {@code weight} with those scales: MXFP8; <li>F8_E4M3 {@code weight} +
 * {@code weight_scale_inv}: block FP8 (block from the config, else 128x128); <li>F8_E4M3 {@code weight} + one
 * {@code weight_scale}: tensor-wise FP8; {@code [N, 1]} or {@code [N]}: row-wise FP8; <li>I8 {@code weight} +
 * {@code weight_scale} (one, {@code [N, 1]} or {@code [N]}): INT8. </ul>
 *
 * FP8 and INT8 scales may be F32, BF16 or F16 (compressed-tensors stores the model's dtype); they widen
 * exactly to float32. K of a packed FP4 weight is twice its bytes per row.
 */
final class StoredWeights {
  /** The tensor names of a layer that hold its quantized weight and scales; none survives dequantization. */
  static final Set<String> PARTS = Set.of("weight", "weight_packed", "weight_scale", "weight_scale_2",
      "weight_scale_inv", "weight_global_scale", "input_scale", "input_global_scale", "k_scale", "v_scale");

  /** The most elements a dequantized weight may have: its float32 values are one Java array. */
  static final long MAX_ELEMENTS = TensorView.MAX_ARRAY_LENGTH;

  private StoredWeights() {}

  /**
   * The shape {@code [N, K]} the layer's weight dequantizes to: the stored weight's, with K twice the bytes
   * per row for packed FP4 ({@code weight_packed} or a U8 {@code weight}). It may be empty
   * ({@code [2147483648, 0]} is legal); it is never larger than {@link #MAX_ELEMENTS}.
   *
   * @throws BadInputException naming the tensor and its shape when it is not 2-D or dequantizes to more
   * elements than a float array holds
   */
  static List<Long> dequantizedShape(String module, Map<String, TensorView> parts) {
    boolean compressed = parts.containsKey("weight_packed");
    TensorView weight = matrix(module, parts, compressed ? "weight_packed" : "weight");
    long rows = weight.shape().get(0);
    long cols = weight.shape().get(1);
    boolean packed = compressed || weight.dtype() == StorageDType.U8;
    String tooLarge = "tensor " + weight.name() + ": " + weight.dtype() + " " + weight.shape()
        + " dequantizes to more than the " + MAX_ELEMENTS + " elements a float array holds";
    if (packed && cols > Long.MAX_VALUE / 2) {
      throw new BadInputException(tooLarge);
    }
    long k = packed ? 2 * cols : cols;
    if (rows != 0 && k != 0 && rows > MAX_ELEMENTS / k) {
      throw new BadInputException(tooLarge);
    }
    return List.of(rows, k);
  }

  /** Whether the layer's tensors hold a quantized weight (as opposed to a float one, or none). */
  static boolean isQuantized(Map<String, TensorView> parts) {
    TensorView weight = parts.get("weight");
    return parts.containsKey("weight_packed") || weight != null && switch (weight.dtype()) {
      case U8, I8, F8_E4M3 -> true;
      default -> false;
    };
  }

  /**
   * The layer {@code module}'s weight record.
   *
   * @param parts the layer's tensors by their name relative to the layer ({@code "weight"}, ...)
   * @param fp8Block the block of {@code weight_scale_inv}
   * @throws BadInputException naming the tensor when a part is missing or has the wrong type or shape
   */
  static QuantizedWeights read(String module, Map<String, TensorView> parts, BlockSize fp8Block) {
    String name = module + ".weight";
    List<Long> shape = dequantizedShape(module, parts);
    if (shape.contains(0L)) {
      throw new BadInputException("tensor " + name + ": empty shape " + shape + " has no quantized values");
    }
    // Non-empty and at most MAX_ELEMENTS, so every dimension below fits an int.
    if (parts.containsKey("weight_packed") && !parts.containsKey("weight_global_scale")
        && isE8m0(parts.get("weight_scale"))) {
      // compressed-tensors MXFP4 (mxfp4-pack-quantized): no global scale, E8M0 bytes per 32.
      TensorView packed = matrix(module, parts, "weight_packed");
      return new MxWeights(name, rows(packed), 2 * cols(packed), MxElement.FP4_E2M1, bytes(packed),
          e8m0Bytes(require(module, parts, "weight_scale")));
    }
    if (parts.containsKey("weight_packed")) {
      TensorView packed = matrix(module, parts, "weight_packed");
      return Nvfp4Weights.fromCompressedTensors(name, rows(packed), 2 * cols(packed), bytes(packed),
          bytes(require(module, parts, "weight_scale")),
          FloatTensors.scalar(require(module, parts, "weight_global_scale")));
    }
    TensorView weight = matrix(module, parts, "weight");
    TensorView scale = parts.containsKey("weight_scale_inv")
        ? require(module, parts, "weight_scale_inv")
        : require(module, parts, "weight_scale");
    boolean e8m0 = scale.dtype() == StorageDType.U8 || scale.dtype() == StorageDType.F8_E8M0;
    int rows = rows(weight);
    return switch (weight.dtype()) {
      case U8 -> parts.containsKey("weight_scale_2")
          ? Nvfp4Weights.fromModelopt(name, rows, 2 * cols(weight), bytes(weight), bytes(scale),
              FloatTensors.scalar(require(module, parts, "weight_scale_2")))
          : new MxWeights(name, rows, 2 * cols(weight), MxElement.FP4_E2M1, bytes(weight),
              e8m0Bytes(scale));
      case F8_E4M3 -> {
        int cols = cols(weight);
        if (e8m0) {
          yield new MxWeights(name, rows, cols, MxElement.FP8_E4M3, bytes(weight), bytes(scale));
        }
        float[] scales = floats(scale);
        if (scale.name().endsWith("weight_scale_inv")) {
          yield Fp8Weights.blockwise(name, rows, cols, fp8Block.rows(), fp8Block.cols(), bytes(weight),
              scales);
        }
        yield scales.length == 1 ? Fp8Weights.tensorwise(name, rows, cols, bytes(weight), scales[0])
            : Fp8Weights.rowwise(name, rows, cols, bytes(weight), perRow(scale, scales, rows));
      }
      case I8 -> {
        float[] scales = floats(scale);
        yield new Int8Weights(name, rows, cols(weight), bytes(weight),
            scales.length == 1 ? filled(rows, scales[0]) : perRow(scale, scales, rows));
      }
      default -> throw new BadInputException("tensor " + weight.name() + ": " + weight.dtype()
          + " is not a quantized weight type");
    };
  }

  private static boolean isE8m0(TensorView scale) {
    return scale != null && (scale.dtype() == StorageDType.U8 || scale.dtype() == StorageDType.F8_E8M0);
  }

  private static TensorView require(String module, Map<String, TensorView> parts, String part) {
    TensorView view = parts.get(part);
    if (view == null) {
      TensorView weight = parts.getOrDefault("weight", parts.get("weight_packed"));
      throw new BadInputException("tensor " + module + "." + part + " is missing: "
          + (weight == null ? "the layer" : weight.name() + " (" + weight.dtype() + ")") + " needs it");
    }
    return view;
  }

  private static TensorView matrix(String module, Map<String, TensorView> parts, String part) {
    TensorView view = require(module, parts, part);
    if (view.shape().size() != 2) {
      throw new BadInputException("tensor " + view.name() + ": expected a 2-D weight, got " + view.dtype()
          + " " + view.shape());
    }
    return view;
  }

  private static int rows(TensorView view) {
    return (int) (long) view.shape().get(0);
  }

  private static int cols(TensorView view) {
    return (int) (long) view.shape().get(1);
  }

  private static byte[] bytes(TensorView view) {
    if (view.data().byteSize() > MAX_ELEMENTS) {
      throw new BadInputException("tensor " + view.name() + ": " + view.dtype() + " " + view.shape() + " is "
          + view.data().byteSize() + " bytes, more than a byte array holds (" + MAX_ELEMENTS + ")");
    }
    return FloatTensors.copy(view).bytes();
  }

  private static byte[] e8m0Bytes(TensorView scale) {
    if (scale.dtype() != StorageDType.U8 && scale.dtype() != StorageDType.F8_E8M0) {
      throw new BadInputException("tensor " + scale.name() + ": MXFP4 scales must be U8 or F8_E8M0 (E8M0),"
          + " got " + scale.dtype());
    }
    return bytes(scale);
  }

  private static float[] floats(TensorView scale) {
    return switch (scale.dtype()) {
      case F32, BF16, F16 -> FloatTensors.toFloats(scale);
      default -> throw new BadInputException("tensor " + scale.name() + ": scales must be F32, BF16 or F16,"
          + " got " + scale.dtype());
    };
  }

  private static float[] perRow(TensorView scale, float[] scales, int rows) {
    List<Long> shape = scale.shape();
    boolean perRow = shape.equals(List.of((long) rows, 1L)) || shape.equals(List.of((long) rows));
    if (!perRow) {
      throw new BadInputException("tensor " + scale.name() + ": a weight of " + rows + " rows needs one scale"
          + " or one per row ([" + rows + ", 1]), got " + shape);
    }
    return scales;
  }

  private static float[] filled(int rows, float value) {
    float[] scales = new float[rows];
    java.util.Arrays.fill(scales, value);
    return scales;
  }
}
