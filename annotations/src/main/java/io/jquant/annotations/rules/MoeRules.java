package io.jquant.annotations.rules;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The rules on {@code QuantConfig}'s MoE fields, which only a config built at run time sets. */
final class MoeRules {
  /** MAX's fused grouped matmul + SwiGLU kernel quantizes its output to these formats. */
  private static final Set<QuantFormat> FUSED_SWIGLU_FORMATS = EnumSet.of(QuantFormat.NVFP4,
      QuantFormat.MXFP4, QuantFormat.MXFP8);

  private MoeRules() {}

  static List<Violation> check(ConfigDeclaration config) {
    List<Violation> violations = new ArrayList<>();
    if (config.fusedSwiglu() && !FUSED_SWIGLU_FORMATS.contains(config.format())) {
      violations.add(new Violation(RuleId.FLAGS_FUSED_SWIGLU_FORMAT, Place.model(Attribute.FUSED_SWIGLU),
          "the fused MoE gate/up + SwiGLU kernel exists for " + SpecRules.oneOf(FUSED_SWIGLU_FORMATS)
              + "; this config is " + config.format() + ". Leave canUseFusedSwiglu false."));
    }
    if (config.blockScaledPreshuffledB() && config.format() != QuantFormat.MXFP4) {
      violations.add(new Violation(RuleId.FLAGS_PRESHUFFLED_B_FORMAT, Place.model(Attribute.PRESHUFFLED_B),
          "preshuffled B is a layout of MXFP4 expert weights; this config is " + config.format()
              + ". Leave blockScaledPreshuffledB false."));
    }
    DType shared = config.sharedExpertsWeightDtype();
    if (shared == DType.FLOAT8_E8M0FNU) {
      violations.add(new Violation(RuleId.FLAGS_SHARED_EXPERTS_DTYPE,
          Place.model(Attribute.SHARED_EXPERTS_DTYPE),
          "shared experts store weights, and FLOAT8_E8M0FNU is a scale-only dtype (powers of two, no zero); "
              + "use BFLOAT16 for unquantized shared experts."));
    }
    return violations;
  }
}
