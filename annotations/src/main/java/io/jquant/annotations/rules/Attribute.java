package io.jquant.annotations.rules;

/** The annotation member (or {@code QuantConfig} field) a violation is about. */
public enum Attribute {
  FORMAT("Quantized", "format"),
  LAYERS("Quantized", "layers"),
  ROLE("Quantized", "role"),
  INPUT_GRANULARITY("InputScale", "granularity"),
  INPUT_ORIGIN("InputScale", "origin"),
  INPUT_DTYPE("InputScale", "dtype"),
  INPUT_BLOCK("InputScale", "block"),
  INPUT_UPPER_BOUND("InputScale", "activationUpperBound"),
  WEIGHT_GRANULARITY("WeightScale", "granularity"),
  WEIGHT_DTYPE("WeightScale", "dtype"),
  WEIGHT_BLOCK("WeightScale", "block"),
  PROJECTION("Projection", "value"),
  PROJECTION_KIND("Projection", "kind"),
  MODEL_NAME("QuantizedModel", "name"),
  NUM_LAYERS("QuantizedModel", "numLayers"),
  CHECKPOINT_PREFIX("QuantizedModel", "checkpointPrefix"),
  LAYER_CLASSES("QuantizedModel", "layerClasses"),
  EMBEDDING_OUTPUT_DTYPE("QuantizedModel", "embeddingOutputDtype"),
  BIAS_DTYPE("QuantizedModel", "biasDtype"),
  FUSED_MLP("QuantizedModel", "fusedMlp"),
  SCALES_PRE_INTERLEAVED("QuantizedModel", "scalesPreInterleaved"),
  /** {@code QuantConfig.mlpQuantizedLayers}; no annotation member (a model derives it from layer classes). */
  MLP_LAYERS("QuantConfig", "mlpQuantizedLayers"),
  /** {@code QuantConfig.attnQuantizedLayers}. */
  ATTN_LAYERS("QuantConfig", "attnQuantizedLayers"),
  FUSED_SWIGLU("QuantConfig", "canUseFusedSwiglu"),
  PRESHUFFLED_B("QuantConfig", "blockScaledPreshuffledB"),
  SHARED_EXPERTS_DTYPE("QuantConfig", "sharedExpertsWeightDtype");

  private final String annotation;
  private final String member;

  Attribute(String annotation, String member) {
    this.annotation = annotation;
    this.member = member;
  }

  /** The simple name of the annotation that has this member, e.g. {@code "WeightScale"}. */
  public String annotation() {
    return annotation;
  }

  /** The member's name, e.g. {@code "block"}. */
  public String member() {
    return member;
  }

  @Override
  public String toString() {
    return "@" + annotation + "(" + member + ")";
  }
}
