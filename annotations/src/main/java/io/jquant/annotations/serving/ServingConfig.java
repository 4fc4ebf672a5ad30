package io.jquant.annotations.serving;

import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.annotations.rules.InputSpec;
import io.jquant.annotations.rules.WeightSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving engines' view of a quantization (docs/FORMATS.md §5.1, §5.4): the {@code quantization_config}
 * block each producer writes into {@code config.json}, and modelopt's {@code hf_quant_config.json}. Each
 * format is exported in the convention its readers (vLLM, compressed-tensors under transformers, MAX) take
 * for dense Linear layers:
 *
 * <ul> <li>NVFP4: modelopt ({@code quant_method: modelopt}, static inputs); <li>COMPRESSED_TENSORS_FP8, INT8
 * W8A8: compressed-tensors {@code float-quantized} / {@code int-quantized}; <li>MXFP8, MXFP4:
 * compressed-tensors {@code mxfp8-quantized} / {@code mxfp4-pack-quantized}, 32-element groups with
 * {@code scale_dtype: "torch.uint8"} (E8M0 bytes; without it vLLM finds no MXFP8 scheme and
 * compressed-tensors reads the bytes as float scales); <li>FBGEMM_FP8: {@code fbgemm_fp8} per channel,
 * {@code fp8} without a block per tensor (the only forms MAX files under FBGEMM_FP8); <li>BLOCKSCALED_FP8:
 * {@code fp8} with {@code weight_block_size}. </ul>
 */
public final class ServingConfig {
  /** compressed-tensors' {@code scale_dtype} of MX scales, as its pydantic model serializes torch.uint8. */
  public static final String MX_SCALE_DTYPE = "torch.uint8";

  private ServingConfig() {}

  /** The {@code config.json} {@code quantization_config} block for a model quantized this way. */
  public static Map<String, Object> quantizationConfig(
      QuantFormat format, InputSpec input, WeightSpec weight, List<String> ignore) {
    return switch (format) {
      case NVFP4 -> modeloptNvfp4(input, ignore);
      case COMPRESSED_TENSORS_FP8 -> compressedTensors("float-quantized",
          args(8, "float", weight.granularity() == ScaleGranularity.TENSOR ? "tensor" : "channel", false,
              null),
          args(8, "float", input.granularity() == ScaleGranularity.TENSOR ? "tensor" : "token",
              input.origin() == ScaleOrigin.DYNAMIC, null),
          ignore);
      case INT8_W8A8 -> compressedTensors("int-quantized",
          args(8, "int", "channel", false, null), args(8, "int", "token", true, null), ignore);
      // compressed-tensors' MXFP8 preset; vLLM's _is_mxfp8 requires the uint8 scale_dtype.
      case MXFP8 -> compressedTensors("mxfp8-quantized", mx(8, false), mx(8, true), ignore);
      case FBGEMM_FP8 -> weight.granularity() == ScaleGranularity.TENSOR
          ? tensorwiseFp8(input, ignore)
          : fbgemm(input, ignore);
      case BLOCKSCALED_FP8 -> blockFp8(weight, ignore);
      // compressed-tensors' dense MXFP4 preset (weight_packed + uint8 weight_scale), which vLLM runs as
      // CompressedTensorsW4A4MxFp4; quant_method "mxfp4" is gpt-oss's MoE expert layout.
      case MXFP4 -> compressedTensors("mxfp4-pack-quantized", mx(4, false), mx(4, true), ignore);
    };
  }

  /**
   * modelopt's {@code hf_quant_config.json} for an NVFP4 model, or null for other formats (modelopt writes
   * it; the other producers don't). {@code producer.name} stays "modelopt": MAX reads it as the quant method.
   */
  public static Map<String, Object> hfQuantConfig(QuantFormat format, List<String> ignore) {
    if (format != QuantFormat.NVFP4) {
      return null;
    }
    return ordered(
        "producer", ordered("name", "modelopt", "version", "jquant"),
        "quantization", ordered(
            "quant_algo", "NVFP4",
            "kv_cache_quant_algo", null,
            "group_size", 16,
            "exclude_modules", ignore));
  }

  private static Map<String, Object> modeloptNvfp4(InputSpec input, List<String> ignore) {
    Map<String, Object> group = ordered(
        "input_activations", ordered("dynamic", input.origin() == ScaleOrigin.DYNAMIC, "num_bits", 4,
            "type", "float", "group_size", 16),
        "weights", ordered("dynamic", false, "num_bits", 4, "type", "float", "group_size", 16),
        "targets", List.of("Linear"));
    return ordered(
        "config_groups", ordered("group_0", group),
        "ignore", ignore,
        "quant_algo", "NVFP4",
        "kv_cache_scheme", null,
        "producer", ordered("name", "modelopt", "version", "jquant"),
        "quant_method", "modelopt");
  }

  private static Map<String, Object> compressedTensors(
      String format, Map<String, Object> weights, Map<String, Object> inputs, List<String> ignore) {
    return ordered(
        "quant_method", "compressed-tensors",
        "format", format,
        "quantization_status", "compressed",
        "config_groups", ordered("group_0", ordered(
            "targets", List.of("Linear"), "weights", weights, "input_activations", inputs)),
        "ignore", ignore,
        "kv_cache_scheme", null);
  }

  private static Map<String, Object> args(int bits, String type, String strategy, boolean dynamic,
      Integer groupSize) {
    Map<String, Object> args = ordered("num_bits", bits, "type", type, "symmetric", true, "strategy",
        strategy,
        "dynamic", dynamic);
    if (groupSize != null) {
      args.put("group_size", groupSize);
    }
    return args;
  }

  /** compressed-tensors' MXFP4 / MXFP8 arguments: float groups of 32 with E8M0 scales stored as uint8. */
  private static Map<String, Object> mx(int bits, boolean dynamic) {
    Map<String, Object> args = args(bits, "float", "group", dynamic, 32);
    args.put("scale_dtype", MX_SCALE_DTYPE);
    return args;
  }

  private static Map<String, Object> fbgemm(InputSpec input, List<String> ignore) {
    Double ub = input.activationUpperBound();
    return ordered("quant_method", "fbgemm_fp8", "activation_scale_ub", ub == null ? 1200.0 : ub,
        "modules_to_not_convert", ignore);
  }

  private static Map<String, Object> tensorwiseFp8(InputSpec input, List<String> ignore) {
    return ordered("quant_method", "fp8", "activation_scheme", input.origin().wireName(),
        "modules_to_not_convert", ignore);
  }

  private static Map<String, Object> blockFp8(WeightSpec weight, List<String> ignore) {
    return ordered("quant_method", "fp8", "activation_scheme", "dynamic", "fmt", "e4m3",
        "weight_block_size", weight.block(), "modules_to_not_convert", ignore);
  }

  /** A map in the given key order; values may be null (written as JSON null). */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
