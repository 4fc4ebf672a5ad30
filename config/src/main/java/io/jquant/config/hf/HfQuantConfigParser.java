package io.jquant.config.hf;

import io.jquant.annotations.rules.LayerRanges;
import io.jquant.config.QuantConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Hugging Face checkpoint's quantization config into MAX's {@link QuantConfig}: MAX's
 * {@code parse_quant_config} (docs/FORMATS.md §5.2) field for field, with jquant's choices where
 * docs/FORMATS.md makes them.
 *
 * <p>Sources: {@code config.json}'s {@code quantization_config}; modelopt's {@code hf_quant_config.json} only
 * when {@code config.json} has none (MAX's {@code _resolve_quant_config}: config.json wins); and, with
 * neither, a {@code weight_scale_2} tensor means modelopt NVFP4. The number of layers is
 * {@code text_config.num_hidden_layers}, else {@code num_hidden_layers}, at most {@link #MAX_LAYERS}.
 *
 * <p>Formats (MAX's values unless said otherwise): <ul> <li>modelopt NVFP4 ({@code quant_method: modelopt},
 * {@code quant_algo: NVFP4}): input {@code BLOCK STATIC float32 (1,16)}, weight
 * {@code BLOCK float8_e4m3fn (1,16)}, {@code embedding_output_dtype} bfloat16. modelopt FP8
 * ({@code quant_algo: FP8}) is tensor-wise FP8 with static inputs (jquant: MAX refuses it);
 * <li>compressed-tensors FP8: strategies tensor / channel / token mapped to TENSOR / ROWWISE / COLWISE,
 * dtypes from the {@code input_scale} / {@code weight_scale} tensors; jquant also reads INT8 W8A8, FP8_BLOCK,
 * NVFP4 ({@code nvfp4-pack-quantized}), MXFP8 and MXFP4 schemes, which MAX does not; <li>{@code fbgemm_fp8}:
 * input {@code COLWISE DYNAMIC float8_e4m3fn} with {@code activation_scale_ub}, weight ROWWISE with the dtype
 * of the {@code [N, 1]} weight scales; <li>{@code fp8} with {@code weight_block_size [128, 128]}: input
 * {@code BLOCK DYNAMIC (1,128)}, weight {@code BLOCK (128,128)}, both of the weight-scale dtype,
 * {@code embedding_output_dtype} bfloat16; <li>{@code fp8} without a block size: TENSOR input (origin from
 * {@code activation_scheme}) and weight, labelled FBGEMM_FP8 as MAX does; <li>{@code mxfp4} (gpt-oss) and
 * {@code quark} fp4/e8m0: input {@code BLOCK DYNAMIC float32 (1,32)}, weight
 * {@code BLOCK float8_e8m0fnu (1,32)}, no fused MLP, {@code embedding_output_dtype} bfloat16. </ul>
 *
 * <p>Layer sets: layer {@code i}'s MLP is quantized unless all its MLP projections are ignored, its attention
 * unless all its attention projections are; a layer with some of its projections ignored is an error naming
 * the layer and the projections. The module names are the model's {@link ModuleNames} where an overload takes
 * them (a declared model's layout), else {@link ModuleNames#llama()}, MAX's:
 * {@code model.layers.i.mlp.{gate,up,down}_proj} and {@code model.layers.i.self_attn.{q,k,v,o}_proj}. Unlike
 * MAX, the ignore list is read through {@link IgnorePatterns} (wildcards and {@code re:} regexes) and it is
 * honoured for NVFP4, block FP8 and MXFP4 too (MAX treats every layer as quantized there, which loses real
 * excluded layers).
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the file and the JSON key path, e.g.
 * {@code config.json: quantization_config.config_groups.group_0.weights.strategy: "tensor_group" is not
 * supported for ...}. An error found in the tensors (a scale dtype the format refuses, mixed bias dtypes)
 * leads with the quantization it was checked against: {@code config.json: quantization_config: ...},
 * {@code hf_quant_config.json: quantization: ...}, or {@code tensors: ...} when only a {@code weight_scale_2}
 * tensor made the checkpoint NVFP4.
 */
public final class HfQuantConfigParser {
  /** The model config file name. */
  public static final String CONFIG_JSON = "config.json";
  /** modelopt's standalone quantization config file name. */
  public static final String HF_QUANT_CONFIG_JSON = "hf_quant_config.json";
  /**
   * The most decoder layers a checkpoint may declare ({@code num_hidden_layers}) or be given: the compiler's
   * {@link LayerRanges#MAX_LAYERS} (4,096), far above any real model (hundreds). The layer sets list every
   * layer, so a count read from a hostile file would otherwise cost time and memory in proportion to it; a
   * larger count is refused, naming the file and the key.
   */
  public static final int MAX_LAYERS = LayerRanges.MAX_LAYERS;

  /**
   * The module prefix the ignore lists of a Llama-named model use: MAX's {@code ignored_modules_prefix}
   * ({@link ModuleNames#llama()}'s).
   */
  public static final String MODULE_PREFIX = "model.";

  private HfQuantConfigParser() {}

  /**
   * The quantization of the checkpoint in {@code directory}: reads {@code config.json} and, when present,
   * {@code hf_quant_config.json}; the layer count comes from {@code config.json}.
   *
   * @param tensors the checkpoint's tensors (from the safetensors headers), or
   * {@link CheckpointTensors#none()}
   * @return empty when the checkpoint is not quantized
   * @throws java.io.UncheckedIOException if a file cannot be read
   * @throws IllegalArgumentException for malformed JSON or an unsupported quantization, naming file and key
   */
  public static Optional<HfQuantization> parse(Path directory, CheckpointTensors tensors) {
    return HfParse.directory(directory, null, tensors, ModuleNames.llama());
  }

  /**
   * Like {@link #parse(Path, CheckpointTensors)}, reading the ignore list and the state dict with the model's
   * module {@code names} (e.g. BERT's {@code encoder.layer.<i>.intermediate.dense}) instead of Llama's.
   */
  public static Optional<HfQuantization> parse(Path directory, CheckpointTensors tensors, ModuleNames names) {
    return HfParse.directory(directory, null, tensors, names);
  }

  /** Like {@link #parse(Path, CheckpointTensors)} with the layer count given (it overrides config.json's). */
  public static Optional<HfQuantization> parse(Path directory, int numLayers, CheckpointTensors tensors) {
    return HfParse.directory(directory, numLayers, tensors, ModuleNames.llama());
  }

  /**
   * Like {@link #parse(Path, int, CheckpointTensors)}, reading the ignore list with the model's module
   * {@code names} (from its declared layout) instead of Llama's.
   */
  public static Optional<HfQuantization> parse(Path directory, int numLayers, CheckpointTensors tensors,
      ModuleNames names) {
    return HfParse.directory(directory, numLayers, tensors, names);
  }

  /**
   * The quantization that in-memory JSON describes.
   *
   * @param config the parsed {@code config.json}
   * @param hfQuantConfig the parsed {@code hf_quant_config.json}, or null when the checkpoint has none
   * @param numLayers the number of decoder layers ({@link #numHiddenLayers(Map)} reads config.json's)
   * @param tensors the checkpoint's tensors, or {@link CheckpointTensors#none()}
   * @return empty when the checkpoint is not quantized
   */
  public static Optional<HfQuantization> parse(
      Map<String, Object> config, Map<String, Object> hfQuantConfig, int numLayers,
      CheckpointTensors tensors) {
    return HfParse.maps(config, hfQuantConfig, numLayers, tensors, ModuleNames.llama());
  }

  /**
   * Like {@link #parse(Map, Map, int, CheckpointTensors)}, reading the ignore list with the model's module
   * {@code names} (from its declared layout) instead of Llama's.
   */
  public static Optional<HfQuantization> parse(
      Map<String, Object> config, Map<String, Object> hfQuantConfig, int numLayers,
      CheckpointTensors tensors, ModuleNames names) {
    return HfParse.maps(config, hfQuantConfig, numLayers, tensors, names);
  }

  /** {@link #parse(Map, Map, int, CheckpointTensors)}'s config alone: empty when not quantized. */
  public static Optional<QuantConfig> parseConfig(
      Map<String, Object> config, Map<String, Object> hfQuantConfig, int numLayers,
      CheckpointTensors tensors) {
    return parse(config, hfQuantConfig, numLayers, tensors).map(HfQuantization::config);
  }

  /**
   * MAX's {@code _get_num_hidden_layers}: {@code text_config.num_hidden_layers} when there is a
   * {@code text_config}, else {@code num_hidden_layers}.
   *
   * @throws IllegalArgumentException naming the key if it is missing, not a positive integer or above
   * {@link #MAX_LAYERS}
   */
  public static int numHiddenLayers(Map<String, Object> config) {
    return HfParse.numHiddenLayers(config);
  }

  /**
   * A JSON file's text as maps, lists, strings, numbers, booleans and nulls (object key order kept).
   *
   * @throws IllegalArgumentException naming {@code fileName}, the line and column if it is not one JSON
   * object
   */
  public static Map<String, Object> readJson(String fileName, String json) {
    return HfJson.readObject(fileName, json);
  }
}
