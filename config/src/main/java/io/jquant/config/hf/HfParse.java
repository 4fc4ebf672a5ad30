package io.jquant.config.hf;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.annotations.rules.SpecMessages;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The implementation of {@link HfQuantConfigParser}: MAX's {@code parse_quant_config} dispatch. */
final class HfParse {
  static final String CONFIG = HfQuantConfigParser.CONFIG_JSON;
  static final String HF_QUANT = HfQuantConfigParser.HF_QUANT_CONFIG_JSON;

  /** MAX's {@code parse_quant_config} accepts these {@code quant_method}s and raises for any other. */
  private static final Set<String> KNOWN_METHODS = Set.of("compressed-tensors", "fbgemm_fp8", "fp8", "gptq",
      "modelopt", "mxfp4", "quark");

  private HfParse() {}

  static Optional<HfQuantization> directory(Path dir, Integer numLayers, CheckpointTensors tensors,
      ModuleNames names) {
    Objects.requireNonNull(dir, "directory");
    Map<String, Object> config = read(dir.resolve(CONFIG), true);
    Map<String, Object> hfQuant = read(dir.resolve(HF_QUANT), false);
    int layers = numLayers != null ? numLayers : numHiddenLayers(config);
    return maps(config, hfQuant, layers, tensors, names);
  }

  private static Map<String, Object> read(Path file, boolean required) {
    if (!Files.exists(file)) {
      if (required) {
        throw new IllegalArgumentException(
            file + ": no such file; a Hugging Face checkpoint has a config.json");
      }
      return null;
    }
    String name = file.getFileName().toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return HfJson.readObject(name, utf8(name, bytes));
  }

  /** The file's text; bytes that are not UTF-8 are malformed JSON (RFC 8259), named with their offset. */
  private static String utf8(String name, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new IllegalArgumentException(name + ": not valid JSON: the bytes are not UTF-8 at byte "
          + in.position());
    }
    return out.flip().toString();
  }

  static int numHiddenLayers(Map<String, Object> config) {
    JsonAt root = JsonAt.root(CONFIG, config);
    JsonAt text = root.get("text_config");
    JsonAt n = text.isNull() ? root.get("num_hidden_layers") : text.get("num_hidden_layers");
    Integer layers = n.optInt();
    if (layers == null || layers < 1) {
      throw n.error(layers == null ? "is missing; the number of decoder layers is needed for the layer sets"
          : "must be positive, got " + layers);
    }
    if (layers > HfQuantConfigParser.MAX_LAYERS) {
      throw n.error(tooManyLayers(layers));
    }
    return layers;
  }

  static Optional<HfQuantization> maps(
      Map<String, Object> config, Map<String, Object> hfQuantConfig, int numLayers,
      CheckpointTensors tensors, ModuleNames names) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(names, "names");
    SpecMessages.requireNumLayers(numLayers);
    Context cx = new Context(numLayers, tensors, names);
    JsonAt q = JsonAt.root(CONFIG, config).get("quantization_config");
    if (q.truthy()) {
      q.object();
      return Optional.of(namingSource(source(q), () -> fromQuantizationConfig(q, cx)));
    }
    if (hfQuantConfig != null) {
      JsonAt root = JsonAt.root(HF_QUANT, hfQuantConfig);
      Optional<HfQuantization> standalone = namingSource(source(root), () -> fromHfQuantConfig(root, cx));
      if (standalone.isPresent()) {
        return standalone;
      }
    }
    if (StateDict.hasWeightScale2(tensors)) {
      // MAX's last resort for FP4 checkpoints: a weight_scale_2 tensor means modelopt NVFP4.
      return Optional.of(namingSource("tensors", () -> nvfp4(ScaleOrigin.STATIC,
          LayerSets.of(numLayers, IgnorePatterns.none(), "tensors", names), cx, IgnorePatterns.none(),
          CheckpointFormat.MODELOPT_NVFP4, "tensors")));
    }
    return Optional.empty();
  }

  static String tooManyLayers(long layers) {
    return layers + " decoder layers is more than jquant reads (at most " + HfQuantConfigParser.MAX_LAYERS
        + ")";
  }

  /** What every format parser needs besides its JSON: the layer count, the tensors and the module names. */
  record Context(int numLayers, CheckpointTensors tensors, ModuleNames names) {
    /** The layer sets the ignore list at {@code ignoreAt} leaves quantized. */
    LayerSets layers(IgnorePatterns ignore, JsonAt ignoreAt) {
      return LayerSets.of(numLayers, ignore, where(ignoreAt), names);
    }
  }

  /**
   * Runs a format parser and leads its errors with {@code source} ({@code config.json: quantization_config})
   * when they do not name a file yet: the tensor look-ups and the config rules do not know which file's
   * quantization they check, and an error that names neither file nor key cannot be acted on.
   */
  private static <T> T namingSource(String source, Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      if (message.startsWith(CONFIG + ": ") || message.startsWith(HF_QUANT + ": ")) {
        throw e;
      }
      throw new IllegalArgumentException(source + ": " + message, e);
    }
  }

  private static HfQuantization fromQuantizationConfig(JsonAt q, Context cx) {
    JsonAt methodAt = q.get("quant_method");
    String method = methodAt.optString();
    String lower = method == null ? "" : method.toLowerCase(Locale.ROOT);
    if (lower.equals("mxfp4")) {
      return mxfp4(q, "modules_to_not_convert", CheckpointFormat.GPT_OSS_MXFP4, false, cx);
    }
    if (lower.equals("quark")) {
      JsonAt weight = q.get("global_quant_config").get("weight");
      if ("e8m0".equals(weight.get("scale_format").optString())
          && "fp4".equals(weight.get("dtype").optString())) {
        return mxfp4(q, "exclude", CheckpointFormat.QUARK_MXFP4, true, cx);
      }
      throw q.get("global_quant_config")
          .error("Quark quantization other than MXFP4 (weight dtype \"fp4\" with"
              + " scale_format \"e8m0\") is not supported, got weight dtype " + weight.get("dtype").shown()
              + " and scale_format " + weight.get("scale_format").shown());
    }
    if (method != null && !method.isEmpty() && !KNOWN_METHODS.contains(method)) {
      throw methodAt.error("Unrecognized quantization config: the `quant_method` field ('" + method
          + "') is provided but not recognized. Supported: compressed-tensors, fbgemm_fp8, fp8, modelopt,"
          + " mxfp4, quark");
    }
    if (method == null || method.isEmpty()) {
      // compressed-tensors may leave quant_method out (MAX accepts a missing one as compressed-tensors).
      if (q.has("config_groups")) {
        return CompressedTensors.parse(q, cx);
      }
      throw methodAt.error("is missing, and there are no config_groups to read as compressed-tensors");
    }
    return switch (method) {
      case "compressed-tensors" -> CompressedTensors.parse(q, cx);
      case "modelopt" -> modelopt(q, q.get("quant_algo"), ignore(q, "ignore", "exclude_modules"), cx);
      case "fbgemm_fp8" -> fbgemm(q, cx);
      case "fp8" -> q.get("weight_block_size").truthy() ? blockFp8(q, cx) : tensorwiseFp8(q, cx);
      default ->
        throw methodAt.error("\"" + method + "\" checkpoints are not scaled-quantized in a way jquant"
            + " reads (MAX accepts the name but builds no QuantConfig for it)");
    };
  }

  /** modelopt's standalone file: MAX maps producer.name to quant_method and quantization.quant_algo. */
  private static Optional<HfQuantization> fromHfQuantConfig(JsonAt root, Context cx) {
    JsonAt producer = root.get("producer");
    JsonAt quantization = root.get("quantization");
    String method = producer.isNull() ? null : producer.get("name").optString();
    String algo = quantization.isNull() ? null : quantization.get("quant_algo").optString();
    if (method == null || method.isEmpty() || algo == null || algo.isEmpty()) {
      return Optional.empty(); // MAX's _load_standalone_quant_config returns None
    }
    if (!method.equals("modelopt")) {
      throw producer.get("name").error("\"" + method + "\" is not supported; hf_quant_config.json is read for"
          + " modelopt checkpoints");
    }
    JsonAt groupSize = quantization.get("group_size");
    if (!groupSize.isNull() && !Integer.valueOf(16).equals(groupSize.optInt())
        && algo.equals("NVFP4")) {
      throw groupSize.error("NVFP4 scales blocks of 16 elements, got " + groupSize.shown());
    }
    return Optional.of(modelopt(root, quantization.get("quant_algo"),
        ignore(quantization, "exclude_modules", null), cx));
  }

  private static HfQuantization modelopt(JsonAt q, JsonAt algoAt, JsonAt ignoreAt, Context cx) {
    String algo = algoAt.optString();
    if (algo == null || algo.isEmpty()) {
      throw algoAt.error("is missing; modelopt checkpoints name their algorithm (\"NVFP4\", \"FP8\")");
    }
    IgnorePatterns ignore = patterns(ignoreAt);
    String source = q.file() + ": " + (q.path().isEmpty() ? "quantization" : q.path());
    JsonAt group = q.has("config_groups") ? q.get("config_groups").get("group_0") : null;
    return switch (algo) {
      case "NVFP4" -> {
        ScaleOrigin origin = ScaleOrigin.STATIC;
        if (group != null && !group.isNull()) {
          JsonAt weights = group.get("weights");
          if (!weights.isNull()) {
            JsonAt gs = weights.get("group_size");
            if (!gs.isNull() && !Integer.valueOf(16).equals(gs.optInt())) {
              throw gs.error("NVFP4 scales blocks of 16 elements, got " + gs.shown());
            }
          }
          // MAX always takes static input scales; jquant reads a dynamic one where the config says so.
          JsonAt input = group.get("input_activations");
          if (!input.isNull() && input.get("dynamic").bool(false)) {
            origin = ScaleOrigin.DYNAMIC;
          }
        }
        yield nvfp4(origin, cx.layers(ignore, ignoreAt), cx, ignore,
            CheckpointFormat.MODELOPT_NVFP4, source);
      }
      case "FP8" ->
        tensorwise(ScaleOrigin.STATIC, ignore, source, CheckpointFormat.MODELOPT_FP8, ignoreAt, cx);
      default ->
        throw algoAt.error("\"" + algo + "\" is not supported; jquant reads modelopt \"NVFP4\" and \"FP8\"");
    };
  }

  /** MAX's {@code _parse_modelopt_float4_config}, with the ignore list honoured. */
  static HfQuantization nvfp4(ScaleOrigin origin, LayerSets layers, Context cx,
      IgnorePatterns ignore, CheckpointFormat format, String source) {
    QuantConfig.Builder b = QuantConfig.builder(QuantFormat.NVFP4)
        .inputScale(InputScaleSpec.block(origin, DType.FLOAT32, 1, 16))
        .weightScale(WeightScaleSpec.block(DType.FLOAT8_E4M3FN, 1, 16))
        .embeddingOutputDtype(DType.BFLOAT16);
    return finish(b, layers, cx, ignore, format, source);
  }

  private static HfQuantization fbgemm(JsonAt q, Context cx) {
    JsonAt ubAt = q.get("activation_scale_ub");
    Double ub = ubAt.optNumber();
    if (ub != null && !(ub > 0 && Double.isFinite(ub))) {
      throw ubAt.error("an activation upper bound is positive and finite, got " + ubAt.shown());
    }
    JsonAt ignoreAt = q.get("modules_to_not_convert");
    IgnorePatterns ignore = patterns(ignoreAt);
    DType weightDtype = StateDict.rowwiseWeightScaleDtype(cx.tensors()).orElse(DType.FLOAT32);
    QuantConfig.Builder b = QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(
            new InputScaleSpec(ScaleGranularity.COLWISE, ScaleOrigin.DYNAMIC, DType.FLOAT8_E4M3FN, ub, null))
        .weightScale(new WeightScaleSpec(ScaleGranularity.ROWWISE, weightDtype))
        .embeddingOutputDtype(StateDict.embeddingOutputDtype(cx, ignore));
    return finish(b, cx.layers(ignore, ignoreAt), cx, ignore,
        CheckpointFormat.FBGEMM_FP8, source(q));
  }

  private static HfQuantization tensorwiseFp8(JsonAt q, Context cx) {
    JsonAt scheme = q.get("activation_scheme");
    String s = scheme.optString();
    ScaleOrigin origin;
    if ("dynamic".equals(s)) {
      origin = ScaleOrigin.DYNAMIC;
    } else if ("static".equals(s)) {
      origin = ScaleOrigin.STATIC;
    } else {
      throw scheme.error("Unsupported activation_scheme for tensorwise FP8: " + scheme.shown()
          + ". Expected 'dynamic' or 'static'.");
    }
    JsonAt ignoreAt = ignore(q, "modules_to_not_convert", "ignored_layers");
    IgnorePatterns ignore = patterns(ignoreAt);
    return tensorwise(origin, ignore, source(q), CheckpointFormat.FP8_TENSORWISE, ignoreAt, cx);
  }

  /**
   * MAX's {@code _parse_tensorwise_fp8_config}: TENSOR scales of the weight-scale dtype, filed as FBGEMM_FP8.
   */
  private static HfQuantization tensorwise(ScaleOrigin origin, IgnorePatterns ignore, String source,
      CheckpointFormat format, JsonAt ignoreAt, Context cx) {
    DType dtype = weightScaleDtype(cx, "tensorwise FP8");
    QuantConfig.Builder b = QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, origin, dtype))
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, dtype))
        .embeddingOutputDtype(StateDict.embeddingOutputDtype(cx, ignore));
    return finish(b, cx.layers(ignore, ignoreAt), cx, ignore, format,
        source);
  }

  private static HfQuantization blockFp8(JsonAt q, Context cx) {
    JsonAt scheme = q.get("activation_scheme");
    if (scheme.isNull()) {
      throw scheme.error("activation_scheme must be specified");
    }
    if (!"dynamic".equals(scheme.optString())) {
      throw scheme.error("activation_scheme must be dynamic for 128x128 block FP8, got " + scheme.shown());
    }
    JsonAt blockAt = q.get("weight_block_size");
    if (!List.of(128, 128).equals(blockAt.value())) {
      throw blockAt.error("weight_block_size must be [128, 128], got " + blockAt.shown());
    }
    JsonAt ignoreAt = q.get("modules_to_not_convert");
    IgnorePatterns ignore = patterns(ignoreAt);
    DType dtype = weightScaleDtype(cx, "FP8");
    QuantConfig.Builder b = QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, dtype, 1, 128))
        .weightScale(WeightScaleSpec.block(dtype, 128, 128))
        .embeddingOutputDtype(DType.BFLOAT16);
    // MAX quantizes every layer here ("modules_to_not_convert only lists layernorms and router gate");
    // jquant honours the list, which gives the same sets for such lists and keeps real excluded layers.
    return finish(b, cx.layers(ignore, ignoreAt), cx, ignore,
        CheckpointFormat.FP8_BLOCK, source(q));
  }

  /**
   * MAX's {@code _parse_mxfp4_config}. Attention stays unquantized for Quark (MAX); gpt-oss's list says so.
   */
  private static HfQuantization mxfp4(JsonAt q, String ignoreKey, CheckpointFormat format,
      boolean noAttention,
      Context cx) {
    JsonAt ignoreAt = q.get(ignoreKey);
    IgnorePatterns ignore = patterns(ignoreAt);
    LayerSets layers = cx.layers(ignore, ignoreAt);
    if (noAttention) {
      layers = new LayerSets(layers.mlp(), new java.util.TreeSet<>());
    }
    QuantConfig config = mxfp4Builder(layers, cx)
        .canUseFusedMlp(false) // MAX returns before its fused-MLP check
        .build();
    return new HfQuantization(config, format, ignore, source(q));
  }

  /** MXFP4 as MAX's parser builds it for these layers (E8M0 per 32 weights, dynamic 1x32 input blocks). */
  static QuantConfig.Builder mxfp4Builder(LayerSets layers, Context cx) {
    return QuantConfig.builder(QuantFormat.MXFP4) // the format's prescribed scales
        .mlpQuantizedLayers(layers.mlp())
        .attnQuantizedLayers(layers.attn())
        .embeddingOutputDtype(DType.BFLOAT16)
        .biasDtype(StateDict.biasDtype(cx.tensors()));
  }

  /** Layer sets, bias dtype and MAX's fused-MLP check, then the build. */
  static HfQuantization finish(QuantConfig.Builder b, LayerSets layers, Context cx,
      IgnorePatterns ignore, CheckpointFormat format, String source) {
    b.mlpQuantizedLayers(layers.mlp()).attnQuantizedLayers(layers.attn())
        .biasDtype(StateDict.biasDtype(cx.tensors()));
    QuantConfig probe = b.build();
    boolean tensorWise = probe.weightScale().isTensor() && probe.inputScale().isTensor() && !probe.isStatic();
    QuantConfig config = b.canUseFusedMlp(StateDict.canUseFusedMlp(cx, tensorWise)).build();
    return new HfQuantization(config, format, ignore, source);
  }

  private static DType weightScaleDtype(Context cx, String what) {
    Optional<DType> dtype = StateDict.uniformWeightScaleDtype(cx.tensors(), what);
    if (dtype.isEmpty() && cx.tensors().isKnown()) {
      throw new IllegalArgumentException(
          "could not find weight scale dtype for " + what + " quantized weights");
    }
    return dtype.orElse(DType.FLOAT32);
  }

  /** The ignore list under {@code key}, else under {@code fallback} (when non-null). */
  private static JsonAt ignore(JsonAt q, String key, String fallback) {
    JsonAt at = q.get(key);
    return at.isNull() && fallback != null && q.has(fallback) ? q.get(fallback) : at;
  }

  /** The patterns of an ignore list; a malformed one is reported at the list's path. */
  static IgnorePatterns patterns(JsonAt ignoreAt) {
    List<String> entries = ignoreAt.stringList();
    try {
      return IgnorePatterns.of(entries, where(ignoreAt));
    } catch (IllegalArgumentException e) {
      throw ignoreAt.error(e.getMessage());
    }
  }

  static String where(JsonAt ignoreAt) {
    return ignoreAt.file() + ": " + ignoreAt.path();
  }

  static String source(JsonAt q) {
    return q.file() + ": " + (q.path().isEmpty() ? "quantization" : q.path());
  }
}
