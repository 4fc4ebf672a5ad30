package io.jquant.processor;

import io.jquant.annotations.Role;
import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ModelDeclaration;
import io.jquant.annotations.rules.RuleId;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.CheckpointTensors;
import io.jquant.config.hf.ConfigAgreement;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.hf.ModuleNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;

/**
 * The compile-time checkpoint check: {@code -Ajquant.checkpoint=<path>} names a checkpoint's
 * {@code config.json}, its {@code hf_quant_config.json}, or the directory holding them; each model's declared
 * config is compared with the checkpoint's by the same {@link ConfigAgreement} the runtime's loader uses
 * (from the config module), and every disagreement is an error on the annotation value it concerns. The
 * checkpoint's ignore list is read with the model's declared module names (checkpoint prefix and projection
 * names), the ones its generated resources are written with.
 */
final class CheckpointCheck {
  /** The option naming the checkpoint config. */
  static final String OPTION = "jquant.checkpoint";
  /** The option naming the one model to check when a compilation holds several. */
  static final String MODEL_OPTION = "jquant.checkpoint.model";

  private final String option;

  CheckpointCheck(String option) {
    this.option = option;
  }

  /** The errors for {@code model}, whose config is {@code declared}; empty when the checkpoint agrees. */
  List<Problem> check(ModelDeclaration model, ModelCheck check, QuantConfig declared, ModelSource source) {
    List<Problem> problems = new ArrayList<>();
    Location annotation = new Location(source.model(), source.mirror(), null);
    Path path = Path.of(option).toAbsolutePath().normalize();
    String suffix = " (checkpoint: " + path + ")";
    Optional<HfQuantization> parsed;
    try {
      parsed = parse(path, model.numLayers(), LayerProjections.moduleNames(model, check));
    } catch (Unreadable | IllegalArgumentException e) {
      problems.add(new Problem(RuleId.CHECKPOINT_UNREADABLE, e.getMessage() + suffix, annotation));
      return problems;
    }
    LayerAssignment assignment = LayerAssignment.of(model, check);
    for (ConfigAgreement.Disagreement d : ConfigAgreement.compare(declared, parsed, model.numLayers())) {
      for (Location at : locations(d, model, check, source, assignment)) {
        problems.add(new Problem(RuleId.CHECKPOINT_DISAGREEMENT, d.message() + suffix, at));
      }
    }
    return problems;
  }

  private static Optional<HfQuantization> parse(Path path, int numLayers, ModuleNames names) {
    Path config;
    Path hfQuantConfig;
    if (Files.isDirectory(path)) {
      config = path.resolve(HfQuantConfigParser.CONFIG_JSON);
      hfQuantConfig = path.resolve(HfQuantConfigParser.HF_QUANT_CONFIG_JSON);
    } else if (path.getFileName().toString().equals(HfQuantConfigParser.HF_QUANT_CONFIG_JSON)) {
      config = path.resolveSibling(HfQuantConfigParser.CONFIG_JSON);
      hfQuantConfig = path;
    } else {
      config = path;
      hfQuantConfig = path.resolveSibling(HfQuantConfigParser.HF_QUANT_CONFIG_JSON);
    }
    if (!Files.exists(path)) {
      throw new Unreadable("-A" + OPTION + "=" + path + ": no such file or directory");
    }
    if (!Files.isRegularFile(config) && !Files.isRegularFile(hfQuantConfig)) {
      throw new Unreadable("-A" + OPTION + "=" + path + ": the directory holds neither "
          + HfQuantConfigParser.CONFIG_JSON + " nor " + HfQuantConfigParser.HF_QUANT_CONFIG_JSON);
    }
    // A modelopt checkpoint may carry its quantization in hf_quant_config.json alone.
    Map<String, Object> configMap = Files.isRegularFile(config) ? read(config) : Map.of();
    Map<String, Object> hfMap = Files.isRegularFile(hfQuantConfig) ? read(hfQuantConfig) : null;
    return HfQuantConfigParser.parse(configMap, hfMap, numLayers, CheckpointTensors.none(), names);
  }

  private static Map<String, Object> read(Path file) {
    try {
      return HfQuantConfigParser.readJson(file.getFileName().toString(),
          Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Unreadable("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Where a disagreement goes: the value that would have to change to agree. */
  private static List<Location> locations(ConfigAgreement.Disagreement d, ModelDeclaration model,
      ModelCheck check,
      ModelSource source, LayerAssignment assignment) {
    List<Location> all = new ArrayList<>();
    switch (d.field()) {
      case "format" -> {
        for (int i = 0; i < source.parts().size(); i++) {
          all.add(member(source, i, "Quantized", "format"));
        }
      }
      case "input_scale", "weight_scale" -> {
        String annotation = d.field().equals("input_scale") ? "InputScale" : "WeightScale";
        int written = -1;
        for (int i = 0; i < source.parts().size() && written < 0; i++) {
          written = source.parts().get(i).mirrorOf(annotation) != null ? i : -1;
        }
        all.add(written >= 0
            ? classOrListing(source, written, new Location(source.parts().get(written).type(),
                source.parts().get(written).mirrorOf(annotation), null))
            : member(source, 0, "Quantized", "format"));
      }
      case "mlp_quantized_layers", "attn_quantized_layers" -> {
        Role role = d.role() != null ? d.role() : d.field().startsWith("mlp") ? Role.MLP : Role.ATTENTION;
        int part = assignment.classFor(check, role, d.layer());
        all.add(part < 0 ? modelMember(source, "layerClasses") : member(source, part, "Quantized", "layers"));
      }
      case "can_use_fused_mlp" -> all.add(modelMember(source, "fusedMlp"));
      case "embedding_output_dtype" -> all.add(modelMember(source, "embeddingOutputDtype"));
      case "bias_dtype" -> all.add(modelMember(source, "biasDtype"));
      case "scales_pre_interleaved" -> all.add(modelMember(source, "scalesPreInterleaved"));
      default -> all.add(new Location(source.model(), source.mirror(), null));
    }
    return all;
  }

  /** Member {@code member} of layer class {@code part}'s annotation if written, else that annotation. */
  private static Location member(ModelSource source, int part, String annotation, String member) {
    PartSource partSource = source.parts().get(part);
    AnnotationMirror mirror = partSource.mirrorOf(annotation);
    AnnotationValue value = Mirrors.explicit(mirror, member);
    return classOrListing(source, part, new Location(partSource.type(), mirror, value));
  }

  private static Location classOrListing(ModelSource source, int part, Location inClass) {
    return source.parts().get(part).inSource() ? inClass : source.locateClass(part);
  }

  private static Location modelMember(ModelSource source, String member) {
    return new Location(source.model(), source.mirror(), Mirrors.explicit(source.mirror(), member));
  }

  /** A checkpoint path that names nothing readable. */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }
}
