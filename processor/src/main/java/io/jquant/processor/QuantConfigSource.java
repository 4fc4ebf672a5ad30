package io.jquant.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.annotations.rules.LayerRanges;
import io.jquant.config.BlockSize;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link QuantConfig} as Java source: the builder calls that rebuild it, through the specs' named factories
 * ({@code InputScaleSpec.block(...)}), naming only what differs from a fresh builder's defaults.
 */
final class QuantConfigSource {
  private static final ClassName QUANT_CONFIG = ClassName.get(QuantConfig.class);
  private static final ClassName INPUT_SCALE_SPEC = ClassName.get(InputScaleSpec.class);
  private static final ClassName WEIGHT_SCALE_SPEC = ClassName.get(WeightScaleSpec.class);

  private QuantConfigSource() {}

  /** {@code QuantConfig.builder(format)...build()}, one call per line. */
  static CodeBlock expression(QuantConfig config) {
    CodeBlock.Builder code = CodeBlock.builder()
        .add("$T.builder($T.$L)\n", QUANT_CONFIG, QuantFormat.class, config.format().name())
        .indent().indent()
        .add(".inputScale($L)\n", inputSpec(config.inputScale()))
        .add(".weightScale($L)\n", weightSpec(config.weightScale()))
        .add(".mlpQuantizedLayers($L)\n", layers(config.mlpQuantizedLayers()))
        .add(".attnQuantizedLayers($L)\n", layers(config.attnQuantizedLayers()));
    dtype(code, "embeddingOutputDtype", config.embeddingOutputDtype());
    dtype(code, "sharedExpertsWeightDtype", config.sharedExpertsWeightDtype());
    dtype(code, "biasDtype", config.biasDtype());
    flag(code, "canUseFusedMlp", config.canUseFusedMlp());
    flag(code, "canUseFusedSwiglu", config.canUseFusedSwiglu());
    flag(code, "scalesPreInterleaved", config.scalesPreInterleaved());
    flag(code, "blockScaledPreshuffledB", config.blockScaledPreshuffledB());
    return code.add(".build()").unindent().unindent().build();
  }

  private static CodeBlock inputSpec(InputScaleSpec spec) {
    CodeBlock factory = spec.isBlock()
        ? CodeBlock.of("$T.block($T.$L, $T.$L, $L)", INPUT_SCALE_SPEC, ScaleOrigin.class,
            spec.origin().name(),
            DType.class, spec.dtype().name(), block(spec.blockSize()))
        : CodeBlock.of("$T.$L($T.$L, $T.$L)", INPUT_SCALE_SPEC, factoryName(spec.granularity().name()),
            ScaleOrigin.class, spec.origin().name(), DType.class, spec.dtype().name());
    return spec.activationScaleUb() == null
        ? factory
        : CodeBlock.of("$L$Z.withActivationScaleUb($L)", factory, Double.toString(spec.activationScaleUb()));
  }

  private static CodeBlock weightSpec(WeightScaleSpec spec) {
    return spec.isBlock()
        ? CodeBlock.of("$T.block($T.$L, $L)", WEIGHT_SCALE_SPEC, DType.class, spec.dtype().name(),
            block(spec.blockSize()))
        : CodeBlock.of("$T.$L($T.$L)", WEIGHT_SCALE_SPEC, factoryName(spec.granularity().name()),
            DType.class, spec.dtype().name());
  }

  /**
   * TENSOR, ROWWISE and COLWISE name the specs' factories {@code tensor}, {@code rowwise}, {@code colwise}.
   */
  private static String factoryName(String granularity) {
    return granularity.toLowerCase(Locale.ROOT);
  }

  private static CodeBlock block(BlockSize block) {
    return CodeBlock.of("$L, $L", block.rows(), block.cols());
  }

  /** As ranges ("0-13, 15"): a set of thousands of layers would not fit in a class initializer. */
  private static CodeBlock layers(Set<Integer> layers) {
    return CodeBlock.of("$T.of($S)", LayerRanges.class, LayerRanges.describe(layers));
  }

  private static void dtype(CodeBlock.Builder code, String setter, DType value) {
    if (value != null) {
      code.add(".$L($T.$L)\n", setter, DType.class, value.name());
    }
  }

  private static void flag(CodeBlock.Builder code, String setter, boolean value) {
    if (value) {
      code.add(".$L(true)\n", setter);
    }
  }
}
