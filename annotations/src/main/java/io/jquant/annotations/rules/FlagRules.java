package io.jquant.annotations.rules;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E5M2;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The rules on the model-wide {@code QuantConfig} fields: dtypes and flags. */
final class FlagRules {
  private static final Set<DType> EMBEDDING_DTYPES = Set.of(FLOAT32, BFLOAT16, FLOAT16, FLOAT8_E4M3FN,
      FLOAT8_E5M2);
  private static final Set<DType> BIAS_DTYPES = Set.of(FLOAT32, BFLOAT16, FLOAT16);

  private FlagRules() {}

  static List<Violation> check(
      QuantFormat format, DType embeddingOutputDtype, DType biasDtype, boolean fusedMlp,
      boolean preInterleaved) {
    List<Violation> violations = new ArrayList<>();
    if (embeddingOutputDtype != null && !EMBEDDING_DTYPES.contains(embeddingOutputDtype)) {
      violations
          .add(new Violation(RuleId.FLAGS_EMBEDDING_DTYPE, Place.model(Attribute.EMBEDDING_OUTPUT_DTYPE),
              "the embedding output is an activation: " + SpecRules.oneOf(EMBEDDING_DTYPES) + ", not "
                  + embeddingOutputDtype + "."));
    }
    if (biasDtype != null && !BIAS_DTYPES.contains(biasDtype)) {
      violations.add(new Violation(RuleId.FLAGS_BIAS_DTYPE, Place.model(Attribute.BIAS_DTYPE),
          "biases are " + SpecRules.oneOf(BIAS_DTYPES) + ", not " + biasDtype + "."));
    }
    if (preInterleaved && format != QuantFormat.NVFP4) {
      violations
          .add(new Violation(RuleId.FLAGS_PRE_INTERLEAVED, Place.model(Attribute.SCALES_PRE_INTERLEAVED),
              "pre-interleaved (128x4 tiled) weight scales are an NVFP4 checkpoint layout; this model is "
                  + format
                  + ". Remove scalesPreInterleaved."));
    }
    // MAX's MXFP4 parser never enables the fused MLP: the gate and up E8M0 scales are not stacked.
    if (fusedMlp && format == QuantFormat.MXFP4) {
      violations.add(new Violation(RuleId.FLAGS_FUSED_MLP_FORMAT, Place.model(Attribute.FUSED_MLP),
          "MXFP4 gate and up projections cannot run as one fused matmul (MAX never fuses them). Remove"
              + " fusedMlp."));
    }
    return violations;
  }
}
