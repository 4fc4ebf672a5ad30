package io.jquant.cli;

import io.jquant.config.hf.ModuleNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@link ModuleNames} a float checkpoint's tensors use, so that {@code jquant quantize} decides each
 * layer's MLP and attention as a whole, under the names the readers will look for. Known forms, in order of
 * preference: Llama's ({@link ModuleNames#llama()}: {@code layers.{layer}.mlp.gate_proj}, ...), the fused
 * Phi-3 form ({@code self_attn.qkv_proj}, {@code mlp.gate_up_proj}) and BERT's
 * ({@code encoder.layer.{layer}.attention.self.query}, ..., {@code intermediate.dense},
 * {@code output.dense}). Each is matched below any outer prefix ({@code model.}, {@code bert.} or none); the
 * form that names the most weights wins, the earlier one on a tie.
 *
 * @param names the names, with the checkpoint's own outer prefix, e.g. {@code model.layers.{layer}}
 * @param layerCount one more than the highest layer index of any tensor under the layers' prefix
 */
record CheckpointModuleNames(ModuleNames names, int layerCount) {
  /** Hugging Face BERT (and MiniLM) names below {@code encoder.layer.{layer}}. */
  static final ModuleNames BERT = new ModuleNames("encoder.layer." + ModuleNames.LAYER,
      List.of("intermediate.dense", "output.dense"),
      List.of("attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense"));

  /** Llama's layout with fused projections (Phi-3). */
  static final ModuleNames FUSED = new ModuleNames("model.layers." + ModuleNames.LAYER,
      List.of("mlp.gate_up_proj", "mlp.down_proj"), List.of("self_attn.qkv_proj", "self_attn.o_proj"));

  /** The known forms, most preferred first, each with the outer prefix it is written with. */
  private static final List<Form> FORMS = List.of(new Form(ModuleNames.llama(), "model."),
      new Form(FUSED, "model."), new Form(BERT, ""));

  /**
   * The names {@code tensors} (a checkpoint's, in order) use, or empty when no known form names any of its
   * weights.
   *
   * @param fileOf the file of a tensor, for an error on a layer index beyond jquant's limit
   * @throws BadInputException naming the file and tensor of such an index
   */
  static Optional<CheckpointModuleNames> of(List<String> tensors, Function<String, Path> fileOf) {
    ModuleNames best = null;
    long bestCount = 0;
    for (Form form : FORMS) {
      Pattern weight = form.weightPattern();
      String outer = null;
      long count = 0;
      for (String tensor : tensors) {
        Matcher m = weight.matcher(tensor);
        if (m.matches() && (outer == null || outer.equals(m.group(1)))) {
          outer = m.group(1);
          count++;
        }
      }
      if (count > bestCount) {
        bestCount = count;
        best = form.under(outer);
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    return Optional.of(new CheckpointModuleNames(best, layerCount(best, tensors, fileOf)));
  }

  private static int layerCount(ModuleNames names, List<String> tensors, Function<String, Path> fileOf) {
    Pattern inLayer = Pattern.compile("^" + layerRegex(names.checkpointPrefix()) + "\\.");
    int count = 0;
    for (String tensor : tensors) {
      Matcher m = inLayer.matcher(tensor);
      if (m.find()) {
        count = Math.max(count, LayerIndex.parse(m.group(1), tensor, fileOf.apply(tensor)) + 1);
      }
    }
    return count;
  }

  /** {@code prefix} as a regex whose group 1 is the layer index. */
  private static String layerRegex(String prefix) {
    int at = prefix.indexOf(ModuleNames.LAYER);
    return Pattern.quote(prefix.substring(0, at)) + "(\\d+)"
        + Pattern.quote(prefix.substring(at + ModuleNames.LAYER.length()));
  }

  /** A known form: its names, whose prefix begins with {@code outer}, the part the match may replace. */
  private record Form(ModuleNames names, String outer) {
    /** Group 1 the checkpoint's outer prefix (empty or ending in a dot), then the layer, the projection. */
    Pattern weightPattern() {
      String core = names.checkpointPrefix().substring(outer.length());
      List<String> projections = new ArrayList<>(names.mlp());
      projections.addAll(names.attention());
      return Pattern.compile("^((?:[^.]+\\.)*?)" + layerRegex(core) + "\\.(?:"
          + projections.stream().map(Pattern::quote).collect(Collectors.joining("|"))
          + ")\\.weight(?:_packed)?$"); // _packed: compressed-tensors' FP4 exports, for inspect
    }

    ModuleNames under(String checkpointOuter) {
      String core = names.checkpointPrefix().substring(outer.length());
      return new ModuleNames(checkpointOuter + core, names.mlp(), names.attention());
    }
  }
}
