package io.jquant.cli;

import io.jquant.annotations.serving.IgnoreList;
import io.jquant.config.hf.HfQuantConfigWriter;
import io.jquant.config.hf.ModuleNames;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.tensor.TensorView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code jquant quantize} does with each tensor of a checkpoint: quantize it, or copy it and why.
 *
 * @param quantized the weights to quantize, in checkpoint order
 * @param skipped 2-D float {@code .weight} tensors left as they are, each with its reason
 * @param warnings tensors the format cannot hold (K not a multiple of its block), left as they are
 * @param ignore the modules a loader must leave unquantized: every skipped 2-D weight's module except
 * embedding tables (they are not linear layers), then, for a checkpoint with an {@code embed_tokens} or
 * {@code lm_head} weight, {@code lm_head} when it is not among them (a tied one too: compressed-tensors
 * quantizes every Linear it does not ignore, and transformers builds an {@code lm_head} Linear for a tied
 * model); for NVFP4 followed by modelopt's subtree globs ({@link HfQuantConfigWriter#withFormatPatterns})
 * @param mlpLayers decoder layers ({@code layers.<i>.mlp}) with a quantized projection
 * @param attnLayers decoder layers ({@code layers.<i>.self_attn}) with a quantized projection
 */
record QuantizePlan(Set<String> quantized, List<Skip> skipped, List<String> warnings, List<String> ignore,
    SortedSet<Integer> mlpLayers, SortedSet<Integer> attnLayers) {

  /** A weight that stays as it is. */
  record Skip(String name, String reason) {}

  private static final Pattern LAYER = Pattern.compile("(?:^|\\.)layers\\.(\\d+)\\.(mlp|self_attn)\\.");

  /** The plan for {@code checkpoint}'s tensors. */
  static QuantizePlan of(Checkpoint checkpoint, TensorSelection selection, FormatPreset format) {
    Set<String> quantized = new LinkedHashSet<>();
    List<Skip> skipped = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> ignore = new ArrayList<>();
    SortedSet<Integer> mlp = new TreeSet<>();
    SortedSet<Integer> attn = new TreeSet<>();
    int layerCount = 0;
    for (String name : checkpoint.tensorNames()) {
      Matcher inLayer = LAYER.matcher(name);
      if (inLayer.find()) {
        int layer = LayerIndex.parse(inLayer.group(1), name, checkpoint.fileOf(name));
        layerCount = Math.max(layerCount, layer + 1);
      }
      TensorView view = checkpoint.tensor(name);
      Optional<String> reason = selection.skipReason(name, view.dtype(), view.shape());
      if (reason.isEmpty() && view.shape().get(1) % format.kBlock() != 0) {
        String why = "K = " + view.shape().get(1) + " is not a multiple of " + format + "'s block of "
            + format.kBlock();
        warnings.add(name + ": " + why + "; left unquantized and added to the ignore list");
        reason = Optional.of(why);
      }
      if (reason.isPresent()) {
        boolean linearShaped = name.endsWith(".weight") && view.shape().size() == 2;
        if (linearShaped) {
          skipped.add(new Skip(name, reason.get()));
          String module = TensorSelection.moduleOf(name);
          if (!module.contains("embed")) {
            ignore.add(module);
          }
        }
        continue;
      }
      quantized.add(name);
      Matcher m = LAYER.matcher(name);
      if (m.find()) {
        int layer = LayerIndex.parse(m.group(1), name, checkpoint.fileOf(name));
        (m.group(2).equals("mlp") ? mlp : attn).add(layer);
      }
    }
    // A causal LM's lm_head, tied or not, is a Linear to the readers. Without an embedding or lm_head tensor
    // MAX could not tell the embedding dtype of an ignored lm_head, and refuses such a checkpoint.
    boolean causalLm = checkpoint.tensorNames().stream()
        .anyMatch(n -> isNamed(n, "embed_tokens.weight") || isNamed(n, "lm_head.weight"));
    if (causalLm && !ignore.contains(IgnoreList.LM_HEAD)) {
      ignore.add(IgnoreList.LM_HEAD);
    }
    if (layerCount > 0) {
      ignore = HfQuantConfigWriter.withFormatPatterns(format.format(), ignore, layerCount,
          ModuleNames.llama());
    }
    return new QuantizePlan(Collections.unmodifiableSet(quantized), List.copyOf(skipped),
        List.copyOf(warnings),
        List.copyOf(ignore), mlp, attn);
  }

  private static boolean isNamed(String tensor, String name) {
    return tensor.equals(name) || tensor.endsWith("." + name);
  }

  /** Whether {@code name} is quantized. */
  boolean quantizes(String name) {
    return quantized.contains(name);
  }
}
