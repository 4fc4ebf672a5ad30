package io.jquant.processor;

import io.jquant.annotations.Role;
import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ModelDeclaration;
import io.jquant.annotations.rules.PartDeclaration;
import io.jquant.annotations.rules.ProjectionDeclaration;
import io.jquant.annotations.serving.IgnoreList;
import java.util.List;

/**
 * The projection names of a layer's MLP and attention, from the first layer class of each role; a role no
 * class declares keeps the Hugging Face Llama names.
 */
record LayerProjections(List<String> mlp, List<String> attention) {
  static LayerProjections of(ModelDeclaration model, ModelCheck check) {
    List<String> mlp = IgnoreList.LLAMA_MLP;
    List<String> attention = IgnoreList.LLAMA_ATTENTION;
    boolean mlpFound = false;
    boolean attentionFound = false;
    for (int i = 0; i < model.layerClasses().size(); i++) {
      PartDeclaration part = model.layerClasses().get(i);
      List<String> names = part.projections().stream().map(ProjectionDeclaration::name).toList();
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
}
