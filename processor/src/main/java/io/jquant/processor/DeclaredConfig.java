package io.jquant.processor;

import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ModelDeclaration;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;

/**
 * The {@link QuantConfig} a clean declaration stands for, built once through the config module's builder
 * (which checks it again): {@link QuantConfigWriter} prints it into {@code <Model>QuantConfig} and
 * {@link CheckpointCheck} compares it with a checkpoint's, so the two cannot drift apart.
 */
final class DeclaredConfig {
  private DeclaredConfig() {}

  static QuantConfig of(ModelDeclaration model, ModelCheck check) {
    QuantConfig.Builder builder = QuantConfig.builder(check.format())
        .inputScale(InputScaleSpec.fromRuleSpec(check.input()))
        .weightScale(WeightScaleSpec.fromRuleSpec(check.weight()))
        .mlpQuantizedLayers(check.mlpQuantizedLayers())
        .attnQuantizedLayers(check.attnQuantizedLayers())
        .canUseFusedMlp(model.fusedMlp())
        .scalesPreInterleaved(model.scalesPreInterleaved());
    if (model.embeddingOutputDtype() != null) {
      builder.embeddingOutputDtype(model.embeddingOutputDtype());
    }
    if (model.biasDtype() != null) {
      builder.biasDtype(model.biasDtype());
    }
    return builder.build();
  }
}
