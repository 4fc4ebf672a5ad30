package io.jquant.annotations.rules;

import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Warnings, not errors: where a serving engine reads the exported config of a correct declaration otherwise
 * than declared (docs/FORMATS.md §5.4). The sources are MAX's {@code pipelines/lib/quant.py} (a0626853 and a
 * 2026 version), vLLM's {@code compressed_tensors.py}, and transformers' fp8 and fbgemm quantizers. A warning
 * is silenced with {@code @SuppressWarnings("jquant:<id>")} on the model or the layer class it points at.
 */
public final class ServingRules {
  private ServingRules() {}

  /** The warnings for a model that passed ModelRules; empty when every engine reads it as declared. */
  public static List<Violation> check(ModelCheck check, int numLayers) {
    if (!check.isClean()) {
      return List.of();
    }
    List<Violation> found = new ArrayList<>();
    Set<Integer> all = new TreeSet<>();
    for (int i = 0; i < numLayers; i++) {
      all.add(i);
    }
    Set<Integer> floatMlp = missing(all, check.mlpQuantizedLayers());
    Set<Integer> floatAttn = missing(all, check.attnQuantizedLayers());
    QuantFormat format = check.format();
    if (format == QuantFormat.NVFP4 && check.input().origin() == ScaleOrigin.DYNAMIC) {
      found.add(new Violation(RuleId.SERVING_ENGINE_FORMAT, inputOriginPlaces(check),
          "NVFP4 is exported as modelopt NVFP4, which vLLM and MAX read with STATIC input scales whatever the"
              + " config says: a checkpoint without calibrated input_scale tensors does not load there as"
              + " declared with DYNAMIC inputs."));
    }
    switch (format) {
      case NVFP4, BLOCKSCALED_FP8 -> {
        if (!floatMlp.isEmpty() || !floatAttn.isEmpty()) {
          String parser = format == QuantFormat.NVFP4
              ? "MAX's modelopt NVFP4 parser (a0626853) skips the exclude list; newer versions honour only"
                  + " the subtree globs jquant adds for Llama names (model.layers.N.mlp*,"
                  + " model.layers.N.self_attn*)"
              : "MAX's block FP8 parser skips modules_to_not_convert";
          found.add(new Violation(RuleId.SERVING_MAX_LAYER_SETS, floatPlaces(check, floatMlp, floatAttn),
              parser + " and reads every layer as " + format + ", so it would quantize "
                  + described(floatMlp, floatAttn)
                  + ", which this model leaves float. vLLM and transformers honour the list."));
        }
      }
      case MXFP4 -> {
        if (!floatMlp.isEmpty() || !check.attnQuantizedLayers().isEmpty()) {
          found.add(new Violation(RuleId.SERVING_MAX_LAYER_SETS, mxfp4Places(check, floatMlp),
              "MAX reads compressed-tensors MXFP4 as gpt-oss's MoE layout (_parse_mxfp4_config): the MLP of"
                  + " every layer quantized and no attention, whatever the ignore list says; this model"
                  + " quantizes " + quantized(check) + ". vLLM and compressed-tensors honour the list."));
        }
      }
      case MXFP8 -> found.add(new Violation(RuleId.SERVING_ENGINE_FORMAT, formatPlace(check),
          "MAX has no parser for compressed-tensors MXFP8 (its compressed-tensors FP8 parser refuses strategy"
              + " \"group\"; it reads MXFP8 only as quant_method \"mxfp8\"); vLLM and compressed-tensors read"
              + " the export."));
      case FBGEMM_FP8 -> found.add(new Violation(RuleId.SERVING_ENGINE_FORMAT, formatPlace(check),
          (check.weight().granularity() == ScaleGranularity.TENSOR
              ? "tensor-wise FBGEMM_FP8 is exported as quant_method \"fp8\" without weight_block_size"
                  + " (MAX's only FBGEMM_FP8 form of it), which transformers reads as 128x128 blocks and"
                  + " loads wrong"
              : "vLLM has deprecated fbgemm_fp8 and transformers runs it on CUDA only")
              + "; COMPRESSED_TENSORS_FP8 with the same scales is read alike by vLLM, transformers and"
              + " MAX."));
      default -> {}
    }
    return found;
  }

  private static Set<Integer> missing(Set<Integer> all, Set<Integer> quantized) {
    Set<Integer> missing = new TreeSet<>(all);
    missing.removeAll(quantized);
    return missing;
  }

  private static String described(Set<Integer> floatMlp, Set<Integer> floatAttn) {
    List<String> parts = new ArrayList<>();
    if (!floatMlp.isEmpty()) {
      parts.add("the MLP of " + layers(floatMlp));
    }
    if (!floatAttn.isEmpty()) {
      parts.add("the attention of " + layers(floatAttn));
    }
    return String.join(" and ", parts);
  }

  private static String layers(Set<Integer> layers) {
    return (layers.size() == 1 ? "layer " : "layers ") + LayerRanges.describe(layers);
  }

  private static String quantized(ModelCheck check) {
    String mlp = check.mlpQuantizedLayers().isEmpty() ? "no MLP"
        : "the MLP of " + layers(check.mlpQuantizedLayers());
    String attn = check.attnQuantizedLayers().isEmpty() ? "no attention"
        : "the attention of " + layers(check.attnQuantizedLayers());
    return mlp + " and " + attn;
  }

  /** The layers value of each class of a role left partly float, then the model's layer classes. */
  private static List<Place> floatPlaces(ModelCheck check, Set<Integer> floatMlp, Set<Integer> floatAttn) {
    List<Place> places = new ArrayList<>();
    for (int i = 0; i < check.roles().size(); i++) {
      Role role = check.roles().get(i);
      if (role == Role.MLP && !floatMlp.isEmpty() || role == Role.ATTENTION && !floatAttn.isEmpty()) {
        places.add(Place.of(i, Attribute.LAYERS));
      }
    }
    places.add(Place.model(Attribute.LAYER_CLASSES));
    return places;
  }

  /** The attention classes' format (MAX reads no attention), else the MLP classes' layers. */
  private static List<Place> mxfp4Places(ModelCheck check, Set<Integer> floatMlp) {
    List<Place> places = new ArrayList<>();
    for (int i = 0; i < check.roles().size(); i++) {
      Role role = check.roles().get(i);
      if (role == Role.ATTENTION) {
        places.add(Place.of(i, Attribute.FORMAT));
      } else if (role == Role.MLP && !floatMlp.isEmpty()) {
        places.add(Place.of(i, Attribute.LAYERS));
      }
    }
    places.add(Place.model(Attribute.LAYER_CLASSES));
    return places;
  }

  /** Each class's input origin, where one was written, else the format. */
  private static List<Place> inputOriginPlaces(ModelCheck check) {
    List<Place> places = new ArrayList<>();
    for (int i = 0; i < check.roles().size(); i++) {
      places.add(Place.of(i, Attribute.INPUT_ORIGIN));
    }
    places.add(formatPlace(check));
    return places;
  }

  private static Place formatPlace(ModelCheck check) {
    return check.roles().isEmpty() ? Place.model(Attribute.LAYER_CLASSES) : Place.of(0, Attribute.FORMAT);
  }
}
