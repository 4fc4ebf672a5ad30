package io.jquant.config.hf;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.util.List;
import java.util.Objects;

/**
 * compressed-tensors {@code quantization_config} (docs/FORMATS.md §4.1). MAX reads FP8 tensor / channel /
 * token schemes from {@code config_groups.group_0} ({@code _parse_compressed_tensors_fp8_config}); jquant
 * reads the same, and also INT8 W8A8, FP8_BLOCK, NVFP4, MXFP8 and MXFP4 schemes. Every group must hold the
 * same scheme and target {@code Linear}: a {@link QuantConfig} has one scheme for all layers.
 */
final class CompressedTensors {
  private CompressedTensors() {}

  /** One {@code QuantizationArgs}, with compressed-tensors' defaults and strategy inference. */
  private record Args(JsonAt at, int numBits, String type, String strategy, Integer groupSize,
      List<?> blockStructure, Object dynamic) {

    static Args of(JsonAt at) {
      at.object();
      Integer bits = at.get("num_bits").optInt();
      String type = at.get("type").optString();
      Integer group = at.get("group_size").optInt();
      String strategy = at.get("strategy").optString();
      if (strategy == null) {
        strategy = group == null ? "tensor" : group == -1 ? "channel" : "group";
      }
      Object block = at.get("block_structure").value();
      return new Args(at, bits == null ? 8 : bits, type == null ? "int" : type, strategy, group,
          block instanceof List<?> l ? l : null, at.get("dynamic").value());
    }

    boolean isDynamic() {
      return Boolean.TRUE.equals(dynamic) || "local".equals(dynamic);
    }

    boolean isFloat(int bits) {
      return type.equals("float") && numBits == bits;
    }

    JsonAt key(String name) {
      return at.get(name);
    }
  }

  static HfQuantization parse(JsonAt q, HfParse.Context cx) {
    JsonAt groups = q.get("config_groups");
    if (!groups.truthy()) {
      throw groups.error("is missing or empty; compressed-tensors configs describe their schemes there");
    }
    JsonAt first = null;
    for (String name : groups.object().keySet()) {
      JsonAt group = groups.get(name);
      group.object();
      JsonAt targets = group.get("targets");
      if (!targets.stringList().contains("Linear")) {
        throw targets
            .error("jquant applies one scheme to every Linear layer, got targets " + targets.shown());
      }
      if (first == null) {
        first = group;
      } else if (!Objects.equals(scheme(first), scheme(group))) {
        throw group.error("differs from " + first.path() + "; jquant (like MAX) applies one scheme to every"
            + " layer");
      }
    }
    JsonAt weightsAt = first.get("weights");
    if (weightsAt.isNull()) {
      throw weightsAt.error("is missing; a scheme without weight quantization is not supported");
    }
    Args w = Args.of(weightsAt);
    JsonAt inputAt = first.get("input_activations");
    Args in = inputAt.isNull() ? null : Args.of(inputAt);
    JsonAt ignoreAt = q.get("ignore");
    IgnorePatterns ignore = HfParse.patterns(ignoreAt);
    LayerSets layers = cx.layers(ignore, ignoreAt);
    String source = HfParse.source(q);

    if (w.type().equals("float") && w.numBits() == 4) {
      return fp4(w, in, inputAt, layers, cx, ignore, source);
    }
    if (w.isFloat(8) && w.strategy().equals("block")) {
      return fp8Block(w, requireInput(in, inputAt, "FP8 block"), layers, cx, ignore, source);
    }
    if (w.isFloat(8) && w.strategy().equals("group")) {
      return mxfp8(w, requireInput(in, inputAt, "MXFP8"), layers, cx, ignore, source);
    }
    if (w.isFloat(8)) {
      return fp8(w, requireInput(in, inputAt, "FP8"), layers, cx, ignore, source);
    }
    if (w.type().equals("int") && w.numBits() == 8) {
      return int8(w, requireInput(in, inputAt, "INT8"), layers, cx, ignore, source);
    }
    throw w.key("num_bits").error(w.numBits() + "-bit " + w.type() + " weights are not supported; jquant"
        + " reads 8-bit float (FP8, MXFP8), 4-bit float (NVFP4, MXFP4) and 8-bit int (W8A8) schemes");
  }

  /** The part of a group that must agree across groups. */
  private static List<Object> scheme(JsonAt group) {
    return java.util.Arrays.asList(group.get("weights").value(), group.get("input_activations").value());
  }

  private static Args requireInput(Args in, JsonAt inputAt, String what) {
    if (in == null) {
      throw inputAt.error("is missing: weight-only " + what + " (no input quantization) is not supported");
    }
    return in;
  }

  /** MAX's FP8 parser: tensor / channel / token strategies, scale dtypes from the tensors. */
  private static HfQuantization fp8(Args w, Args in, LayerSets layers, HfParse.Context cx,
      IgnorePatterns ignore, String source) {
    ScaleGranularity inputG = switch (in.strategy()) {
      case "tensor" -> ScaleGranularity.TENSOR;
      case "token" -> ScaleGranularity.COLWISE;
      case "channel" -> throw in.key("strategy").error("\"channel\" input scales (ROWWISE) are not supported:"
          + " one scale per token is \"token\"");
      default -> throw in.key("strategy").error("unsupported FP8 input activation strategy: \""
          + in.strategy() + "\"; supported: \"tensor\", \"token\"");
    };
    ScaleGranularity weightG = switch (w.strategy()) {
      case "tensor" -> ScaleGranularity.TENSOR;
      case "channel" -> ScaleGranularity.ROWWISE;
      case "token" -> throw w.key("strategy").error("\"token\" weight scales (COLWISE) are not supported:"
          + " one scale per output channel is \"channel\"");
      default -> throw w.key("strategy").error("unsupported FP8 weight strategy: \"" + w.strategy()
          + "\"; supported: \"tensor\", \"channel\" (and \"block\" with block_structure [128, 128])");
    };
    if (w.isDynamic()) {
      throw w.key("dynamic")
          .error("dynamic weight scaling is not supported for compressed-tensors FP8 method");
    }
    if (!in.isFloat(8)) {
      throw in.key("num_bits").error("FP8 weights need 8-bit float input activations, got "
          + in.numBits() + "-bit " + in.type());
    }
    ScaleOrigin origin = in.isDynamic() ? ScaleOrigin.DYNAMIC : ScaleOrigin.STATIC;
    // MAX: the input_scale tensor's dtype, else the model dtype (float8_e4m3fn); the weight_scale tensor's.
    DType inputDtype = StateDict.scaleDtype(cx, ".input_scale").orElse(DType.FLOAT8_E4M3FN);
    DType weightDtype = weightScaleDtype(cx, "compressed-tensors FP8", DType.FLOAT32);
    QuantConfig.Builder b = QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
        .inputScale(new InputScaleSpec(inputG, origin, inputDtype))
        .weightScale(new WeightScaleSpec(weightG, weightDtype))
        .embeddingOutputDtype(StateDict.embeddingOutputDtype(cx, ignore));
    return HfParse.finish(b, layers, cx, ignore, CheckpointFormat.COMPRESSED_TENSORS_FP8, source);
  }

  /** The FP8_BLOCK preset: weights [128, 128] blocks, inputs dynamic groups of 128 (MAX refuses it). */
  private static HfQuantization fp8Block(Args w, Args in, LayerSets layers, HfParse.Context cx,
      IgnorePatterns ignore, String source) {
    if (!List.of(128, 128).equals(w.blockStructure())) {
      throw w.key("block_structure").error("block FP8 weights need [128, 128] blocks, got "
          + w.key("block_structure").shown());
    }
    if (!in.isFloat(8) || !in.isDynamic() || !in.strategy().equals("group")
        || !Integer.valueOf(128).equals(in.groupSize())) {
      throw in.at().error("block FP8 needs dynamic 8-bit float input groups of 128 (strategy \"group\","
          + " group_size 128, dynamic true)");
    }
    DType dtype = weightScaleDtype(cx, "compressed-tensors FP8 block", DType.FLOAT32);
    QuantConfig.Builder b = QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, dtype, 1, 128))
        .weightScale(WeightScaleSpec.block(dtype, 128, 128))
        .embeddingOutputDtype(DType.BFLOAT16);
    return HfParse.finish(b, layers, cx, ignore, CheckpointFormat.COMPRESSED_TENSORS_FP8_BLOCK, source);
  }

  /** 8-bit float groups of 32 with E8M0 scales: MXFP8 (no MAX parser exists). */
  private static HfQuantization mxfp8(Args w, Args in, LayerSets layers, HfParse.Context cx,
      IgnorePatterns ignore, String source) {
    requireGroup(w, 32, "MXFP8");
    requireGroup(in, 32, "MXFP8");
    if (!in.isDynamic()) {
      throw in.key("dynamic").error("MXFP8 input scales are computed per input (dynamic), got "
          + in.key("dynamic").shown());
    }
    QuantConfig.Builder b = QuantConfig.builder(QuantFormat.MXFP8) // the format's prescribed scales
        .embeddingOutputDtype(StateDict.embeddingOutputDtype(cx, ignore));
    return HfParse.finish(b, layers, cx, ignore, CheckpointFormat.COMPRESSED_TENSORS_MXFP8, source);
  }

  /** NVFP4 (tensor_group 16, {@code nvfp4-pack-quantized}) or MXFP4 (group 32). */
  private static HfQuantization fp4(Args w, Args in, JsonAt inputAt, LayerSets layers,
      HfParse.Context cx, IgnorePatterns ignore, String source) {
    if (Integer.valueOf(32).equals(w.groupSize()) && w.strategy().equals("group")) {
      Args input = requireInput(in, inputAt, "MXFP4");
      requireGroup(input, 32, "MXFP4");
      QuantConfig config = HfParse.mxfp4Builder(layers, cx).build();
      return new HfQuantization(config, CheckpointFormat.COMPRESSED_TENSORS_MXFP4, ignore, source);
    }
    if (!w.strategy().equals("tensor_group") || !Integer.valueOf(16).equals(w.groupSize())) {
      throw w.key("strategy").error("\"" + w.strategy() + "\" with group_size " + w.key("group_size").shown()
          + " is not supported for 4-bit float weights; NVFP4 is \"tensor_group\" with group_size 16,"
          + " MXFP4 \"group\" with group_size 32");
    }
    Args input = requireInput(in, inputAt, "NVFP4 (NVFP4A16)");
    if (!input.type().equals("float") || input.numBits() != 4
        || !Integer.valueOf(16).equals(input.groupSize())) {
      throw input.at().error("NVFP4 weights need 4-bit float input activations in groups of 16");
    }
    // "local": per-block scales computed at run time under a calibrated global scale, which is modelopt's
    // static input_scale; dynamic true has no calibrated scale at all.
    ScaleOrigin origin = Boolean.TRUE.equals(input.dynamic()) ? ScaleOrigin.DYNAMIC : ScaleOrigin.STATIC;
    return HfParse.nvfp4(origin, layers, cx, ignore, CheckpointFormat.COMPRESSED_TENSORS_NVFP4, source);
  }

  /** INT8 W8A8: channel weights, dynamic per-token inputs (MAX has no Hugging Face parser for it). */
  private static HfQuantization int8(Args w, Args in, LayerSets layers, HfParse.Context cx,
      IgnorePatterns ignore, String source) {
    if (!w.strategy().equals("channel")) {
      throw w.key("strategy").error("\"" + w.strategy() + "\" is not supported for INT8 weights; W8A8 weights"
          + " have one scale per output channel (\"channel\")");
    }
    if (!in.type().equals("int") || in.numBits() != 8 || !in.strategy().equals("token") || !in.isDynamic()) {
      throw in.at().error("INT8 W8A8 needs dynamic 8-bit int per-token input activations (strategy \"token\","
          + " dynamic true)");
    }
    DType weightDtype = weightScaleDtype(cx, "compressed-tensors INT8", DType.FLOAT32);
    QuantConfig.Builder b = QuantConfig.builder(QuantFormat.INT8_W8A8)
        .inputScale(new InputScaleSpec(ScaleGranularity.COLWISE, ScaleOrigin.DYNAMIC, DType.FLOAT32))
        .weightScale(new WeightScaleSpec(ScaleGranularity.ROWWISE, weightDtype))
        .embeddingOutputDtype(StateDict.embeddingOutputDtype(cx, ignore));
    return HfParse.finish(b, layers, cx, ignore, CheckpointFormat.COMPRESSED_TENSORS_INT8, source);
  }

  private static void requireGroup(Args a, int size, String what) {
    if (!a.strategy().equals("group") || !Integer.valueOf(size).equals(a.groupSize())) {
      throw a.key("group_size").error(what + " needs strategy \"group\" with group_size " + size + ", got \""
          + a.strategy() + "\" with group_size " + a.key("group_size").shown());
    }
  }

  private static DType weightScaleDtype(HfParse.Context cx, String what, DType absent) {
    return StateDict.scaleDtype(cx, ".weight_scale").orElseGet(() -> {
      if (cx.tensors().isKnown()) {
        throw new IllegalArgumentException("could not find weight scale dtype for " + what
            + " quantized weights: no tensor ends with .weight_scale");
      }
      return absent;
    });
  }
}
