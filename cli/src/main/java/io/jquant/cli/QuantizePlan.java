package io.jquant.cli;

import io.jquant.annotations.serving.IgnoreList;
import io.jquant.config.hf.HfQuantConfigWriter;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.tensor.TensorView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What {@code jquant quantize} does with each tensor of a checkpoint: quantize it, or copy it and why.
 *
 * <p>A layer's MLP and its attention are each quantized all or nothing, as QuantConfig's
 * {@code mlpQuantizedLayers} / {@code attnQuantizedLayers} and every reader's ignore-list parsing model them:
 * when one projection of a role cannot be quantized (K off the format's block, excluded by {@code --exclude},
 * not float, empty), the whole role of that layer stays float, with a warning naming the projection and why.
 * The roles' projections are those of the {@link CheckpointModuleNames} the checkpoint's tensors use
 * (Llama's, fused Phi-3's or BERT's); other tensors are decided one by one.
 *
 * @param quantized the weights to quantize, in checkpoint order
 * @param skipped 2-D float {@code .weight} tensors left as they are, each with its reason
 * @param warnings the layers' roles kept float by one of their projections, then tensors outside a role the
 * format cannot hold (K not a multiple of its block), left as they are
 * @param ignore the modules a loader must leave unquantized: every skipped 2-D weight's module except
 * embedding tables (they are not linear layers) in checkpoint order, then every other projection name of a
 * role kept float (a name the checkpoint lacks too, so that the list reads back as the whole role), then, for
 * a checkpoint with an {@code embed_tokens} or {@code lm_head} weight, {@code lm_head} when it is not among
 * them (a tied one too: compressed-tensors quantizes every Linear it does not ignore, and transformers builds
 * an {@code lm_head} Linear for a tied model); for NVFP4 followed by modelopt's subtree globs
 * ({@link HfQuantConfigWriter#withFormatPatterns})
 * @param mlpLayers layers whose MLP is quantized (it has a projection, and every one it has is quantized)
 * @param attnLayers layers whose attention is quantized, likewise
 * @param layerCount the layers the checkpoint's module names hold (0 when no known naming matches)
 */
record QuantizePlan(Set<String> quantized, List<Skip> skipped, List<String> warnings, List<String> ignore,
    SortedSet<Integer> mlpLayers, SortedSet<Integer> attnLayers, int layerCount) {

  /** A weight that stays as it is. */
  record Skip(String name, String reason) {}

  /** The plan for {@code checkpoint}'s tensors. */
  static QuantizePlan of(Checkpoint checkpoint, TensorSelection selection, FormatPreset format) {
    List<String> names = checkpoint.tensorNames();
    Map<String, Optional<Obstacle>> own = new HashMap<>();
    for (String name : names) {
      own.put(name, obstacle(name, checkpoint.tensor(name), selection, format));
    }
    Optional<CheckpointModuleNames> layout = CheckpointModuleNames.of(names, checkpoint::fileOf);
    RolePlan roles = layout.map(l -> RolePlan.of(l, own)).orElseGet(RolePlan::none);

    Set<String> quantized = new LinkedHashSet<>();
    List<Skip> skipped = new ArrayList<>();
    List<String> warnings = new ArrayList<>(roles.warnings());
    Set<String> ignore = new LinkedHashSet<>();
    for (String name : names) {
      Optional<Obstacle> obstacle = own.get(name);
      String roleReason = roles.floatReasons().get(name);
      if (obstacle.isEmpty() && roleReason == null) {
        quantized.add(name);
        continue;
      }
      if (obstacle.isPresent() && obstacle.get().offBlock() && !roles.inRole(name)) {
        warnings.add(name + ": " + obstacle.get().reason()
            + "; left unquantized and added to the ignore list");
      }
      TensorView view = checkpoint.tensor(name);
      if (name.endsWith(".weight") && view.shape().size() == 2) {
        skipped.add(new Skip(name, obstacle.map(Obstacle::reason).orElse(roleReason)));
        String module = TensorSelection.moduleOf(name);
        if (!module.contains("embed")) {
          ignore.add(module);
        }
      }
    }
    ignore.addAll(roles.floatModules());
    blockFp8EdgeWarning(checkpoint, quantized, format).ifPresent(warnings::add);
    // A causal LM's lm_head, tied or not, is a Linear to the readers. Without an embedding or lm_head tensor
    // MAX could not tell the embedding dtype of an ignored lm_head, and refuses such a checkpoint.
    boolean causalLm = names.stream()
        .anyMatch(n -> isNamed(n, "embed_tokens.weight") || isNamed(n, "lm_head.weight"));
    if (causalLm) {
      ignore.add(IgnoreList.LM_HEAD);
    }
    List<String> ignoreList = List.copyOf(ignore);
    if (layout.isPresent() && layout.get().layerCount() > 0) {
      ignoreList = HfQuantConfigWriter.withFormatPatterns(format.format(), ignoreList,
          layout.get().layerCount(), layout.get().names());
    }
    return new QuantizePlan(Collections.unmodifiableSet(quantized), List.copyOf(skipped),
        List.copyOf(warnings), List.copyOf(ignoreList), roles.mlp(), roles.attn(),
        layout.map(CheckpointModuleNames::layerCount).orElse(0));
  }

  /**
   * Why one tensor cannot be quantized on its own, or empty when it can.
   *
   * @param reason e.g. {@code K = 172 is not a multiple of mxfp4's block of 32}
   * @param predicate the same said of the projection, e.g. {@code has K = 172, not a multiple of ...}
   * @param offBlock whether the reason is the format's block (a warning outside a role)
   * @param excluded whether the reason is {@code --exclude} (asked for: no warning when a whole role is)
   */
  record Obstacle(String reason, String predicate, boolean offBlock, boolean excluded) {}

  private static Optional<Obstacle> obstacle(String name, TensorView view, TensorSelection selection,
      FormatPreset format) {
    Optional<String> reason = selection.skipReason(name, view.dtype(), view.shape());
    if (reason.isPresent()) {
      boolean excluded = reason.get().equals(TensorSelection.EXCLUDED);
      return Optional.of(new Obstacle(reason.get(), "is " + reason.get(), false, excluded));
    }
    long k = view.shape().get(1);
    if (k % format.kBlock() != 0) {
      String block = format + "'s block of " + format.kBlock();
      return Optional.of(new Obstacle("K = " + k + " is not a multiple of " + block,
          "has K = " + k + ", not a multiple of " + block, true, false));
    }
    return Optional.empty();
  }

  /**
   * Block FP8 weights whose rows or columns are not a multiple of 128: jquant, MAX and compressed-tensors
   * read the short edge blocks, but vLLM refuses a layer whose output partition is not a multiple of its
   * 128-row block (vLLM's fp8.py validate_fp8_block_shape), and transformers' CPU dequantization spreads the
   * scale grid evenly over the rows, giving a short edge block's rows the wrong scale. Written anyway, with
   * this warning, since MAX and jquant read it as written (docs/FORMATS.md §5.4).
   */
  static Optional<String> blockFp8EdgeWarning(Checkpoint checkpoint, Set<String> quantized,
      FormatPreset format) {
    if (format != FormatPreset.FP8_BLOCK) {
      return Optional.empty();
    }
    List<String> ragged = new ArrayList<>();
    for (String name : quantized) {
      List<Long> shape = checkpoint.tensor(name).shape();
      if (shape.get(0) % FP8_BLOCK != 0 || shape.get(1) % FP8_BLOCK != 0) {
        ragged.add(name + " " + shape);
      }
    }
    if (ragged.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ragged.size() + " fp8-block weight(s) have a dimension that is not a multiple of 128"
        + " (first: " + ragged.get(0) + "): vLLM refuses such layers and transformers' CPU dequantization"
        + " reads their last blocks with other scales; jquant and MAX read the short edge blocks as written");
  }

  private static final long FP8_BLOCK = 128;

  private static boolean isNamed(String tensor, String name) {
    return tensor.equals(name) || tensor.endsWith("." + name);
  }
}
