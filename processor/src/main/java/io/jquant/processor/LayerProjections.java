package io.jquant.processor;

import io.jquant.annotations.Role;
import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ModelDeclaration;
import io.jquant.annotations.rules.PartDeclaration;
import io.jquant.annotations.rules.ProjectionDeclaration;
import io.jquant.config.hf.ModuleNames;
import java.util.List;

/**
 * The projection names of a layer's MLP and attention, from the first layer class of each role; a role no
 * class declares keeps the Hugging Face Llama names.
 */
record LayerProjections(List<String> mlp, List<String> attention) {
  static LayerProjections of(ModelDeclaration model, ModelCheck check) {
    List<String> mlp = ModuleNames.llama().mlp();
    List<String> attention = ModuleNames.llama().attention();
    boolean mlpFound = false;
    boolean attentionFound = false;
    for (int i = 0; i < model.layerClasses().size(); i++) {
      PartDeclaration part = model.layerClasses().get(i);
      List<String> names = part.projections().stream().map(ProjectionDeclaration::name).toList();
      if (names.isEmpty()) {
        continue; // the role rules report such a class; the ignore list keeps the fallback names
      }
      if (check.roles().get(i) == Role.MLP && !mlpFound) {
        mlp = names;
        mlpFound = true;
      } else if (check.roles().get(i) == Role.ATTENTION && !attentionFound) {
        attention = names;
        attentionFound = true;
      }
    }
    return new LayerProjections(mlp, attention);
  }

  /**
   * The module names of {@code model}'s layers: its declared checkpoint prefix and these projections. The
   * serving resources' ignore list is written with them and a checkpoint's is read with them, so the two
   * agree for any layout, not only Llama's.
   */
  static ModuleNames moduleNames(ModelDeclaration model, ModelCheck check) {
    LayerProjections projections = of(model, check);
    return new ModuleNames(model.checkpointPrefix(), projections.mlp(), projections.attention());
  }
}
