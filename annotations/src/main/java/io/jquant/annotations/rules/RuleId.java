package io.jquant.annotations.rules;

/** Every rule, with a stable id ({@code Layers.OutOfRange}) and a one-line summary for the docs. */
public enum RuleId {
  FORMAT_WEIGHT_GRANULARITY("Format.WeightGranularity", "the format prescribes the weight scale granularity"),
  FORMAT_WEIGHT_DTYPE("Format.WeightDType", "the format prescribes the weight scale dtype"),
  FORMAT_WEIGHT_BLOCK("Format.WeightBlock", "the format prescribes the weight scale block size"),
  FORMAT_INPUT_GRANULARITY("Format.InputGranularity", "the format prescribes the input scale granularity"),
  FORMAT_INPUT_ORIGIN("Format.InputOrigin", "the format prescribes static or dynamic input scales"),
  FORMAT_INPUT_DTYPE("Format.InputDType", "the format prescribes the input scale dtype"),
  FORMAT_SCALE_PAIRING("Format.ScalePairing",
      "FBGEMM_FP8 pairs ROWWISE weights with COLWISE DYNAMIC inputs, TENSOR with TENSOR"),

  SCALES_BLOCK_MISSING("Scales.BlockMissing", "BLOCK granularity needs a block size"),
  SCALES_BLOCK_UNEXPECTED("Scales.BlockUnexpected", "a block size is only for BLOCK granularity"),
  SCALES_BLOCK_SHAPE("Scales.BlockShape", "a block size is two positive integers"),
  SCALES_INPUT_BLOCK_ROWS("Scales.InputBlockRows", "an input scale block spans one token: (1, k)"),
  SCALES_K_MISMATCH("Scales.KMismatch", "input and weight scales agree on the K granularity"),
  SCALES_ROWWISE_INPUT("Scales.RowwiseInput", "ROWWISE input scales are refused (per token is COLWISE)"),
  SCALES_COLWISE_WEIGHT("Scales.ColwiseWeight", "COLWISE weight scales are refused (per channel is ROWWISE)"),
  SCALES_UPPER_BOUND_STATIC("Scales.UpperBoundStatic",
      "an activation upper bound needs DYNAMIC input scales"),
  SCALES_UPPER_BOUND_NOT_POSITIVE("Scales.UpperBoundNotPositive",
      "an activation upper bound is positive and finite"),

  FLAGS_PRE_INTERLEAVED("Flags.PreInterleaved", "pre-interleaved scales exist only for NVFP4"),
  FLAGS_FUSED_MLP_FORMAT("Flags.FusedMlpFormat", "the format's scales do not allow a fused MLP"),
  FLAGS_FUSED_MLP_NEEDS_GATE_UP("Flags.FusedMlpNeedsGateUp",
      "a fused MLP needs an MLP class with gate and up projections"),
  FLAGS_FUSED_SWIGLU_FORMAT("Flags.FusedSwigluFormat",
      "the fused MoE SwiGLU kernel exists for NVFP4, MXFP4 and MXFP8"),
  FLAGS_PRESHUFFLED_B_FORMAT("Flags.PreshuffledBFormat", "preshuffled B weights exist only for MXFP4"),
  FLAGS_SHARED_EXPERTS_DTYPE("Flags.SharedExpertsDType", "shared experts store weights in a weight dtype"),
  FLAGS_EMBEDDING_DTYPE("Flags.EmbeddingDType", "the embedding output is a float activation dtype"),
  FLAGS_BIAS_DTYPE("Flags.BiasDType", "biases are float32, bfloat16 or float16"),

  LAYERS_SYNTAX("Layers.Syntax", "a layers entry is an index \"7\" or an inclusive range \"0-15\""),
  LAYERS_NEGATIVE("Layers.Negative", "layer indices are not negative"),
  LAYERS_REVERSED("Layers.Reversed", "a range runs from low to high"),
  LAYERS_OUT_OF_RANGE("Layers.OutOfRange", "layer indices are below the model's layer count"),
  LAYERS_OVERLAP("Layers.Overlap", "the entries of one layers array do not repeat or overlap"),
  LAYERS_EMPTY("Layers.Empty", "an explicit layers array is not empty"),
  LAYERS_CLAIMED_TWICE("Layers.ClaimedTwice", "two layer classes of one role never claim the same layer"),

  MODEL_NAME("Model.Name", "a model has a name"),
  MODEL_NUM_LAYERS("Model.NumLayers", "a model has at least one layer (and at most LayerRanges.MAX_LAYERS)"),
  MODEL_CHECKPOINT_PREFIX("Model.CheckpointPrefix",
      "the checkpoint prefix is a dotted name with one {layer}"),
  MODEL_NO_LAYER_CLASSES("Model.NoLayerClasses", "a model lists its quantized layer classes"),
  MODEL_DUPLICATE_LAYER_CLASS("Model.DuplicateLayerClass", "a layer class is listed once"),
  MODEL_NOT_QUANTIZED("Model.NotQuantized", "every listed layer class carries @Quantized"),
  MODEL_UNRESOLVED_LAYER_CLASS("Model.UnresolvedLayerClass", "every listed layer class resolves to a type"),
  MODEL_MIXED_FORMATS("Model.MixedFormats", "one format per model"),
  MODEL_MIXED_SCALES("Model.MixedScales", "one input and one weight scale spec per model"),

  ROLE_NO_PROJECTIONS("Role.NoProjections", "a layer class has @Projection members to infer its role from"),
  ROLE_MIXED("Role.Mixed", "a layer class is an MLP or attention, not both"),
  ROLE_MLP_PROJECTIONS("Role.MlpProjections", "an MLP has exactly gate/up/down or up/down"),
  ROLE_ATTENTION_PROJECTIONS("Role.AttentionProjections", "attention has exactly q/k/v/o or qkv/o"),
  PROJECTION_UNKNOWN_KIND("Projection.UnknownKind",
      "a projection's kind is declared or follows from its name"),
  PROJECTION_NAME("Projection.Name", "a projection name is a dotted checkpoint path"),
  PROJECTION_DUPLICATE("Projection.Duplicate", "a projection name appears once per layer class"),

  SETUP_GENERATED_NAME_CLASH("Setup.GeneratedNameClash",
      "two models never generate classes of the same name"),
  SETUP_INTERNAL("Setup.Internal",
      "the processor does not fail; when it does, its error carries the trace to report"),
  SETUP_RUNTIME_MISSING("Setup.RuntimeMissing",
      "jquant-runtime is on the class path of code that uses the annotations"),

  WIRING_NO_CONSTRUCTOR("Wiring.NoConstructor",
      "a layer class has one accessible constructor taking exactly its @Projection Linears"),
  WIRING_PARAMETER_TYPE("Wiring.ParameterType", "a @Projection constructor parameter accepts a Linear"),

  CHECKPOINT_UNREADABLE("Checkpoint.Unreadable",
      "the checkpoint config named by -Ajquant.checkpoint exists and parses"),
  CHECKPOINT_DISAGREEMENT("Checkpoint.Disagreement",
      "the checkpoint's quantization config agrees with the declaration"),

  CONFIG_LAYER_NEGATIVE("Config.LayerNegative", "QuantConfig layer sets hold non-negative indices"),

  SERVING_MAX_LAYER_SETS("Serving.MaxLayerSets",
      "warning: MAX's parser of the format reads the declared layer sets as they are"),
  SERVING_ENGINE_FORMAT("Serving.EngineFormat",
      "warning: vLLM, transformers and MAX each read the format's export");

  private final String id;
  private final String summary;

  RuleId(String id, String summary) {
    this.id = id;
    this.summary = summary;
  }

  /** The stable id, e.g. {@code "Layers.OutOfRange"}. */
  public String id() {
    return id;
  }

  /** The id as printed in messages: {@code "jquant:Layers.OutOfRange"}. */
  public String tag() {
    return "jquant:" + id;
  }

  /** What the rule requires, in one line. */
  public String summary() {
    return summary;
  }
}
