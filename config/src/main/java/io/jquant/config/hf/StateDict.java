package io.jquant.config.hf;

import io.jquant.annotations.DType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * MAX's look-ups in the {@code state_dict}, over a {@link CheckpointTensors}, with the model's
 * {@link ModuleNames} where MAX names Llama's modules (Llama's when no declaration gives others).
 */
final class StateDict {
  private StateDict() {}

  /** The MAX dtype a checkpoint dtype is read as. */
  static DType dtype(TensorInfo t) {
    return switch (t.dtype()) {
      case F32 -> DType.FLOAT32;
      case BF16 -> DType.BFLOAT16;
      case F16 -> DType.FLOAT16;
      case F8_E4M3 -> DType.FLOAT8_E4M3FN;
      case F8_E5M2 -> DType.FLOAT8_E5M2;
      case F8_E8M0 -> DType.FLOAT8_E8M0FNU;
      case F4 -> DType.FLOAT4_E2M1FN;
      case U8 -> DType.UINT8;
      case I8 -> DType.INT8;
      default -> throw new IllegalArgumentException("tensor " + t.name() + ": dtype " + t.dtype()
          + " has no MAX counterpart for a quantization config");
    };
  }

  /**
   * The dtype of the scale {@code suffix} ({@code .weight_scale}, {@code .input_scale}): MAX's
   * {@code layers.0.mlp.down_proj<suffix>} when the checkpoint has it, for another model's
   * {@link ModuleNames} layer 0's last MLP projection (MiniLM's {@code encoder.layer.0.output.dense}); else
   * the first tensor with that suffix.
   */
  static Optional<DType> scaleDtype(HfParse.Context cx, String suffix) {
    String probe = (isLlama(cx.names()) ? "layers.0.mlp.down_proj"
        : cx.names().module(0, cx.names().mlp().getLast())) + suffix;
    TensorInfo first = null;
    for (TensorInfo t : cx.tensors().tensors()) {
      if (t.name().endsWith(probe)) {
        return Optional.of(dtype(t));
      }
      if (first == null && t.name().endsWith(suffix)) {
        first = t;
      }
    }
    return Optional.ofNullable(first).map(StateDict::dtype);
  }

  private static boolean isLlama(ModuleNames names) {
    return names.equals(ModuleNames.llama());
  }

  /**
   * The one dtype of every tensor whose name contains {@code weight_scale} (MAX's test), for the {@code fp8}
   * parsers. MAX keeps the last one; jquant insists they agree.
   */
  static Optional<DType> uniformWeightScaleDtype(CheckpointTensors tensors, String what) {
    TensorInfo seen = null;
    for (TensorInfo t : tensors.tensors()) {
      if (!t.name().contains("weight_scale")) {
        continue;
      }
      if (seen != null && seen.dtype() != t.dtype()) {
        throw new IllegalArgumentException(what + ": weight scales of mixed dtypes: " + seen.name() + " is "
            + seen.dtype() + ", " + t.name() + " is " + t.dtype());
      }
      seen = t;
    }
    return Optional.ofNullable(seen).map(StateDict::dtype);
  }

  /** MAX's {@code _weight_scale_dtype} for FBGEMM FP8: every weight scale is [N, 1], all of one dtype. */
  static Optional<DType> rowwiseWeightScaleDtype(CheckpointTensors tensors) {
    TensorInfo seen = null;
    for (TensorInfo t : tensors.tensors()) {
      if (!t.name().contains("weight_scale")) {
        continue;
      }
      if (t.shape().size() != 2 || t.shape().get(1) != 1 || (seen != null && seen.dtype() != t.dtype())) {
        throw new IllegalArgumentException("only row-wise weight quantization with uniform weight scale dtype"
            + " is supported for FBGEMM FP8, but tensor " + t.name() + " is " + t.dtype() + " " + t.shape()
            + (seen == null ? "" : " (" + seen.name() + " is " + seen.dtype() + " " + seen.shape() + ")"));
      }
      seen = t;
    }
    if (seen == null && tensors.isKnown()) {
      throw new IllegalArgumentException(
          "could not find weight scale dtype for FBGEMM FP8 quantized weights");
    }
    return Optional.ofNullable(seen).map(StateDict::dtype);
  }

  /** MAX's {@code _bias_dtype}: the dtype of every {@code *.bias}, null when there is none. */
  static DType biasDtype(CheckpointTensors tensors) {
    TensorInfo seen = null;
    for (TensorInfo t : tensors.tensors()) {
      if (!t.name().endsWith(".bias")) {
        continue;
      }
      if (seen != null && seen.dtype() != t.dtype()) {
        throw new IllegalArgumentException(
            "Inconsistent bias dtypes found: " + dtype(seen).wireName() + " vs "
                + dtype(t).wireName() + " in " + t.name() + " (" + seen.name() + " is "
                + dtype(seen).wireName() + ")");
      }
      seen = t;
    }
    return seen == null ? null : dtype(seen);
  }

  /**
   * MAX's embedding output dtype: {@code embed_tokens.weight}'s, else {@code lm_head.weight}'s; for a model
   * with other {@link ModuleNames} (MiniLM's {@code embeddings.word_embeddings.weight}), else the first float
   * {@code *.weight} whose name holds {@code embed}; else an error when lm_head is ignored, else
   * float8_e4m3fn. Null when no tensors were given.
   */
  static DType embeddingOutputDtype(HfParse.Context cx, IgnorePatterns ignore) {
    CheckpointTensors tensors = cx.tensors();
    if (!tensors.isKnown()) {
      return null;
    }
    Optional<TensorInfo> embed = named(tensors, "embed_tokens.weight");
    if (embed.isPresent()) {
      return dtype(embed.get());
    }
    Optional<TensorInfo> head = named(tensors, "lm_head.weight");
    if (head.isPresent()) {
      return dtype(head.get());
    }
    if (!isLlama(cx.names())) {
      for (TensorInfo t : tensors.tensors()) {
        if (t.name().contains("embed") && t.name().endsWith(".weight") && isFloat(t)) {
          return dtype(t);
        }
      }
    }
    if (ignore.matches("lm_head")) {
      throw new IllegalArgumentException("cannot determine original type from checkpoint: lm_head is ignored,"
          + " but neither embed_tokens.weight nor lm_head.weight is in the checkpoint");
    }
    return DType.FLOAT8_E4M3FN;
  }

  private static boolean isFloat(TensorInfo t) {
    return switch (t.dtype()) {
      case F32, BF16, F16 -> true;
      default -> false;
    };
  }

  private static Optional<TensorInfo> named(CheckpointTensors tensors, String name) {
    for (TensorInfo t : tensors.tensors()) {
      if (t.name().equals(name) || t.name().endsWith("." + name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether any tensor name contains {@code weight_scale_2} (MAX's sign of a config-less NVFP4 checkpoint).
   */
  static boolean hasWeightScale2(CheckpointTensors tensors) {
    return tensors.tensors().stream().anyMatch(t -> t.name().contains("weight_scale_2"));
  }

  /**
   * MAX's {@code can_use_fused_mlp}: every gate projection's scale and its up projection twin concatenate on
   * axis 0, and, unless {@code tensorWise}, one-element scales are equal. The gate and up projections are the
   * {@link ModuleNames}' MLP projections whose last name part holds {@code gate} and {@code up} (Llama's
   * {@code mlp.gate_proj} and {@code mlp.up_proj}); a model without both (MiniLM) has nothing to fuse. A
   * value the tensors do not carry counts as unequal (no fused MLP unless the scales are known to allow it).
   */
  static boolean canUseFusedMlp(HfParse.Context cx, boolean tensorWise) {
    Optional<String> gateProj = projection(cx.names(), "gate", "up");
    Optional<String> upProj = projection(cx.names(), "up", "gate");
    if (gateProj.isEmpty() || upProj.isEmpty()) {
      return true;
    }
    CheckpointTensors tensors = cx.tensors();
    String gateEnd = "." + gateProj.get();
    for (TensorInfo gate : tensors.tensors()) {
      String prefix = scalePrefix(gate.name());
      if (prefix == null || !prefix.endsWith(gateEnd)) {
        continue;
      }
      String upName = prefix.substring(0, prefix.length() - gateProj.get().length()) + upProj.get()
          + gate.name().substring(prefix.length());
      Optional<TensorInfo> up = tensors.get(upName);
      if (up.isEmpty()) {
        continue;
      }
      if (!concatenable(gate.shape(), up.get().shape())) {
        return false;
      }
      if (!tensorWise && gate.isScalar()) {
        OptionalDouble g = tensors.scalar(gate.name());
        OptionalDouble u = tensors.scalar(up.get().name());
        if (g.isEmpty() || u.isEmpty() || g.getAsDouble() != u.getAsDouble()) {
          return false;
        }
      }
    }
    return true;
  }

  /** The MLP projection whose last name part holds {@code word} and not {@code not}, if there is one. */
  private static Optional<String> projection(ModuleNames names, String word, String not) {
    for (String p : names.mlp()) {
      String last = p.substring(p.lastIndexOf('.') + 1);
      if (last.contains(word) && !last.contains(not)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String scalePrefix(String name) {
    for (String suffix : List.of(".weight_scale", ".input_scale", ".weight_scale_2")) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return null;
  }

  private static boolean concatenable(List<Long> a, List<Long> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 1; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
