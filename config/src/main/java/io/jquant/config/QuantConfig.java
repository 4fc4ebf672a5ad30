package io.jquant.config;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.annotations.rules.ConfigDeclaration;
import io.jquant.annotations.rules.ConfigRules;
import io.jquant.annotations.rules.FormatProfile;
import io.jquant.annotations.rules.SpecMessages;
import io.jquant.annotations.rules.Violation;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How a model is quantized: Modular MAX's {@code max.nn.QuantConfig}, field for field, validated.
 *
 * <p>Only {@link Builder#build()} makes one, and it refuses every value the jquant rule set refuses, with the
 * words the annotation processor uses for compile errors. So a {@code QuantConfig} is always consistent:
 * {@link #scalesGranularityMnk()} never throws on one.
 *
 * <pre>{@code
 * QuantConfig nvfp4 = QuantConfig.builder(QuantFormat.NVFP4)   // MAX's NVFP4 specs, pre-filled
 *     .allLayers(16)
 *     .embeddingOutputDtype(DType.BFLOAT16)
 *     .build();
 * }</pre>
 */
public final class QuantConfig {
  private final InputScaleSpec inputScale;
  private final WeightScaleSpec weightScale;
  private final SortedSet<Integer> mlpQuantizedLayers;
  private final SortedSet<Integer> attnQuantizedLayers;
  private final QuantFormat format;
  private final DType embeddingOutputDtype;
  private final DType sharedExpertsWeightDtype;
  private final DType biasDtype;
  private final boolean canUseFusedMlp;
  private final boolean canUseFusedSwiglu;
  private final boolean scalesPreInterleaved;
  private final boolean blockScaledPreshuffledB;

  private QuantConfig(Builder b) {
    this.inputScale = b.inputScale;
    this.weightScale = b.weightScale;
    this.mlpQuantizedLayers = Collections.unmodifiableSortedSet(new TreeSet<>(b.mlpQuantizedLayers));
    this.attnQuantizedLayers = Collections.unmodifiableSortedSet(new TreeSet<>(b.attnQuantizedLayers));
    this.format = b.format;
    this.embeddingOutputDtype = b.embeddingOutputDtype;
    this.sharedExpertsWeightDtype = b.sharedExpertsWeightDtype;
    this.biasDtype = b.biasDtype;
    this.canUseFusedMlp = b.canUseFusedMlp;
    this.canUseFusedSwiglu = b.canUseFusedSwiglu;
    this.scalesPreInterleaved = b.scalesPreInterleaved;
    this.blockScaledPreshuffledB = b.blockScaledPreshuffledB;
  }

  /**
   * A builder pre-filled with the scale specs {@code format} prescribes ({@link FormatProfile}), no layers.
   */
  public static Builder builder(QuantFormat format) {
    return new Builder(format);
  }

  /** A builder holding every value of this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The config that {@code json} describes, in the form {@link #toJson()} writes. Keys MAX's dataclass gives
   * a default ({@code embedding_output_dtype}, the flags, ...) may be left out.
   *
   * @throws IllegalArgumentException for malformed JSON; an unknown or missing key, a wrong type or an
   * unknown enum name, with the field's path ({@code input_scale.granularity: ...}); or a config
   * {@link Builder#build()} refuses
   */
  public static QuantConfig fromJson(String json) {
    return QuantConfigJson.read(json);
  }

  /**
   * This config as pretty-printed JSON with MAX's dataclass field names in MAX's order, enum values as wire
   * names ({@code "block"}, {@code "float8_e4m3fn"}), absent values as {@code null}, block sizes as
   * {@code [1, 16]} and layer sets as sorted arrays.
   */
  public String toJson() {
    return QuantConfigJson.write(this);
  }

  // ---- MAX's fields ----

  /** How input activations are scaled. */
  public InputScaleSpec inputScale() {
    return inputScale;
  }

  /** How weights are scaled. */
  public WeightScaleSpec weightScale() {
    return weightScale;
  }

  /** Layers whose MLP (gate, up and down projections, all or none) is quantized; sorted, unmodifiable. */
  public SortedSet<Integer> mlpQuantizedLayers() {
    return mlpQuantizedLayers;
  }

  /** Layers whose attention (q, k, v and o projections, all or none) is quantized; sorted, unmodifiable. */
  public SortedSet<Integer> attnQuantizedLayers() {
    return attnQuantizedLayers;
  }

  /** The checkpoint format. */
  public QuantFormat format() {
    return format;
  }

  /** The dtype the embedding layer outputs, or null when unspecified. */
  public DType embeddingOutputDtype() {
    return embeddingOutputDtype;
  }

  /** The weight dtype of MoE shared experts when it differs from the routed experts', else null. */
  public DType sharedExpertsWeightDtype() {
    return sharedExpertsWeightDtype;
  }

  /** The dtype of bias weights, or null when unspecified. */
  public DType biasDtype() {
    return biasDtype;
  }

  /** Whether the gate and up projections may run as one fused matmul (their scales allow stacking). */
  public boolean canUseFusedMlp() {
    return canUseFusedMlp;
  }

  /** Whether MoE gate/up may use the fused grouped matmul + SwiGLU + quantize kernel. */
  public boolean canUseFusedSwiglu() {
    return canUseFusedSwiglu;
  }

  /** Whether the checkpoint's weight scales are already in the 128x4 interleaved layout (NVFP4 only). */
  public boolean scalesPreInterleaved() {
    return scalesPreInterleaved;
  }

  /** Whether MXFP4 weight B is preshuffled into the 5-D layout AMD's preb kernel reads. */
  public boolean blockScaledPreshuffledB() {
    return blockScaledPreshuffledB;
  }

  // ---- MAX's derived properties ----

  /** Whether input scales are static (loaded with the weights). */
  public boolean isStatic() {
    return inputScale.origin() == ScaleOrigin.STATIC;
  }

  /** Whether input scales are dynamic (computed from each input). */
  public boolean isDynamic() {
    return inputScale.origin() == ScaleOrigin.DYNAMIC;
  }

  /** Whether the format is NVFP4. */
  public boolean isNvfp4() {
    return format == QuantFormat.NVFP4;
  }

  /** Whether the format is MXFP4. */
  public boolean isMxfp4() {
    return format == QuantFormat.MXFP4;
  }

  /** Whether the format is MXFP8. */
  public boolean isMxfp8() {
    return format == QuantFormat.MXFP8;
  }

  /** Whether weights are FP4 (NVFP4 or MXFP4), two elements per byte. */
  public boolean isFp4() {
    return isNvfp4() || isMxfp4();
  }

  /** Whether the format is symmetric int8 W8A8. */
  public boolean isInt8W8a8() {
    return format == QuantFormat.INT8_W8A8;
  }

  /** The scale granularities along M, N and K; see {@link ScalesGranularityMnk}. */
  public ScalesGranularityMnk scalesGranularityMnk() {
    return ScalesGranularityMnk.of(inputScale, weightScale);
  }

  /**
   * The scales tensor that dynamically quantizing an activation {@code [m, k]} produces, in MAX's CUDA layout
   * ({@link ScalesLayout#INTERLEAVED_128X4}); see {@link #quantizedScalesType(long, long, ScalesLayout)}.
   */
  public TensorType quantizedScalesType(long m, long k) {
    return quantizedScalesType(m, k, ScalesLayout.INTERLEAVED_128X4);
  }

  /**
   * The scales tensor that dynamically quantizing an activation {@code [m, k]} produces: MAX's
   * {@code quantized_scales_type}. {@code k} is the <em>logical</em> K (elements, not packed FP4 bytes), as
   * MAX's callers pass it ({@code [tokens, hidden_size]}).
   *
   * <ul> <li>NVFP4: FLOAT8_E4M3FN {@code (ceil(m/128), ceil(k/64), 32, 4, 4)}, or {@code [m, ceil(k/16)]}
   * when PLAIN (a jquant extension: MAX has no plain NVFP4 layout; this is the checkpoint's own). <li>MXFP4,
   * MXFP8: FLOAT8_E8M0FNU {@code (ceil(m/128), ceil(k/128), 32, 4, 4)}, or when PLAIN (MAX on HIP)
   * {@code [m, ceil(k/32)]}. <li>otherwise, input blocks of (1, 128): FLOAT32 transposed,
   * {@code [ceil(k/128), m]}; the layout does not apply. </ul>
   *
   * @throws IllegalArgumentException if {@code m} or {@code k} is not positive
   * @throws IllegalStateException for any other config, as MAX raises
   */
  public TensorType quantizedScalesType(long m, long k, ScalesLayout layout) {
    Objects.requireNonNull(layout, "layout");
    return QuantizedScalesTypes.of(this, m, k, layout);
  }

  /**
   * The stored K of a weight with {@code inDim} input features: {@code inDim / 2} for FP4 (two elements per
   * byte), else {@code inDim}.
   *
   * @throws IllegalArgumentException if {@code inDim} is not positive, or odd for FP4 (MAX would silently
   * floor it)
   */
  public int fp4PackedK(int inDim) {
    return fp4PackedK(inDim, this);
  }

  /**
   * MAX's module-level {@code fp4_packed_k}: {@link #fp4PackedK(int)}, or {@code inDim} for a null config.
   */
  public static int fp4PackedK(int inDim, QuantConfig configOrNull) {
    if (inDim <= 0) {
      throw new IllegalArgumentException("in_dim must be positive, got " + inDim);
    }
    if (configOrNull == null || !configOrNull.isFp4()) {
      return inDim;
    }
    if (inDim % 2 != 0) {
      throw new IllegalArgumentException(
          "FP4 packs two elements per byte, so in_dim must be even, got " + inDim);
    }
    return inDim / 2;
  }

  /**
   * The weight dtype of MoE shared experts: {@link #sharedExpertsWeightDtype()} if set, else the routed one.
   */
  public DType sharedExpertsDtype(DType routedWeightDtype) {
    Objects.requireNonNull(routedWeightDtype, "routedWeightDtype");
    return sharedExpertsWeightDtype != null ? sharedExpertsWeightDtype : routedWeightDtype;
  }

  /** Whether MoE shared experts are quantized like the routed experts (their dtypes agree). */
  public boolean sharedExpertsUseQuant(DType routedWeightDtype) {
    return sharedExpertsDtype(routedWeightDtype) == routedWeightDtype;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuantConfig c
        && inputScale.equals(c.inputScale)
        && weightScale.equals(c.weightScale)
        && mlpQuantizedLayers.equals(c.mlpQuantizedLayers)
        && attnQuantizedLayers.equals(c.attnQuantizedLayers)
        && format == c.format
        && embeddingOutputDtype == c.embeddingOutputDtype
        && sharedExpertsWeightDtype == c.sharedExpertsWeightDtype
        && biasDtype == c.biasDtype
        && canUseFusedMlp == c.canUseFusedMlp
        && canUseFusedSwiglu == c.canUseFusedSwiglu
        && scalesPreInterleaved == c.scalesPreInterleaved
        && blockScaledPreshuffledB == c.blockScaledPreshuffledB;
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputScale, weightScale, mlpQuantizedLayers, attnQuantizedLayers, format,
        embeddingOutputDtype, sharedExpertsWeightDtype, biasDtype, canUseFusedMlp, canUseFusedSwiglu,
        scalesPreInterleaved, blockScaledPreshuffledB);
  }

  @Override
  public String toString() {
    return "QuantConfig[format=" + format
        + ", inputScale=" + inputScale
        + ", weightScale=" + weightScale
        + ", mlpQuantizedLayers=" + mlpQuantizedLayers
        + ", attnQuantizedLayers=" + attnQuantizedLayers
        + ", embeddingOutputDtype=" + embeddingOutputDtype
        + ", sharedExpertsWeightDtype=" + sharedExpertsWeightDtype
        + ", biasDtype=" + biasDtype
        + ", canUseFusedMlp=" + canUseFusedMlp
        + ", canUseFusedSwiglu=" + canUseFusedSwiglu
        + ", scalesPreInterleaved=" + scalesPreInterleaved
        + ", blockScaledPreshuffledB=" + blockScaledPreshuffledB + "]";
  }

  /**
   * Collects a {@link QuantConfig}'s values; {@link #build()} checks them with the jquant rule set. The
   * format is fixed when the builder is made; the layer sets start empty, the dtypes null, the flags false.
   */
  public static final class Builder {
    private final QuantFormat format;
    private InputScaleSpec inputScale;
    private WeightScaleSpec weightScale;
    private SortedSet<Integer> mlpQuantizedLayers = new TreeSet<>();
    private SortedSet<Integer> attnQuantizedLayers = new TreeSet<>();
    private DType embeddingOutputDtype;
    private DType sharedExpertsWeightDtype;
    private DType biasDtype;
    private boolean canUseFusedMlp;
    private boolean canUseFusedSwiglu;
    private boolean scalesPreInterleaved;
    private boolean blockScaledPreshuffledB;

    private Builder(QuantFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      FormatProfile profile = FormatProfile.of(format);
      this.inputScale = InputScaleSpec.fromRuleSpec(profile.defaultInput());
      this.weightScale = WeightScaleSpec.fromRuleSpec(profile.defaultWeight());
    }

    private Builder(QuantConfig c) {
      this.format = c.format;
      this.inputScale = c.inputScale;
      this.weightScale = c.weightScale;
      this.mlpQuantizedLayers = new TreeSet<>(c.mlpQuantizedLayers);
      this.attnQuantizedLayers = new TreeSet<>(c.attnQuantizedLayers);
      this.embeddingOutputDtype = c.embeddingOutputDtype;
      this.sharedExpertsWeightDtype = c.sharedExpertsWeightDtype;
      this.biasDtype = c.biasDtype;
      this.canUseFusedMlp = c.canUseFusedMlp;
      this.canUseFusedSwiglu = c.canUseFusedSwiglu;
      this.scalesPreInterleaved = c.scalesPreInterleaved;
      this.blockScaledPreshuffledB = c.blockScaledPreshuffledB;
    }

    /** The format this builder was made for. */
    public QuantFormat format() {
      return format;
    }

    /** Replaces the input scale spec. */
    public Builder inputScale(InputScaleSpec spec) {
      this.inputScale = Objects.requireNonNull(spec, "inputScale");
      return this;
    }

    /** Replaces the weight scale spec. */
    public Builder weightScale(WeightScaleSpec spec) {
      this.weightScale = Objects.requireNonNull(spec, "weightScale");
      return this;
    }

    /** Replaces the layers whose MLP is quantized. */
    public Builder mlpQuantizedLayers(Collection<Integer> layers) {
      this.mlpQuantizedLayers = copy(layers, "mlpQuantizedLayers");
      return this;
    }

    /** Replaces the layers whose MLP is quantized. */
    public Builder mlpQuantizedLayers(int... layers) {
      return mlpQuantizedLayers(box(layers));
    }

    /** Replaces the layers whose attention is quantized. */
    public Builder attnQuantizedLayers(Collection<Integer> layers) {
      this.attnQuantizedLayers = copy(layers, "attnQuantizedLayers");
      return this;
    }

    /** Replaces the layers whose attention is quantized. */
    public Builder attnQuantizedLayers(int... layers) {
      return attnQuantizedLayers(box(layers));
    }

    /** Quantizes MLP and attention of layers {@code 0 .. numLayers-1}, as MAX's parsers do for NVFP4. */
    public Builder allLayers(int numLayers) {
      SpecMessages.requireNumLayers(numLayers);
      SortedSet<Integer> all = new TreeSet<>();
      for (int i = 0; i < numLayers; i++) {
        all.add(i);
      }
      this.mlpQuantizedLayers = all;
      this.attnQuantizedLayers = new TreeSet<>(all);
      return this;
    }

    /** Sets the embedding output dtype; null for unspecified. */
    public Builder embeddingOutputDtype(DType dtype) {
      this.embeddingOutputDtype = dtype;
      return this;
    }

    /** Sets the MoE shared-expert weight dtype; null when it is the routed experts'. */
    public Builder sharedExpertsWeightDtype(DType dtype) {
      this.sharedExpertsWeightDtype = dtype;
      return this;
    }

    /** Sets the bias dtype; null for unspecified. */
    public Builder biasDtype(DType dtype) {
      this.biasDtype = dtype;
      return this;
    }

    /** Sets whether gate and up may run as one fused matmul. */
    public Builder canUseFusedMlp(boolean value) {
      this.canUseFusedMlp = value;
      return this;
    }

    /** Sets whether MoE gate/up may use the fused SwiGLU kernel. */
    public Builder canUseFusedSwiglu(boolean value) {
      this.canUseFusedSwiglu = value;
      return this;
    }

    /** Sets whether the checkpoint's weight scales are pre-interleaved (NVFP4 only). */
    public Builder scalesPreInterleaved(boolean value) {
      this.scalesPreInterleaved = value;
      return this;
    }

    /** Sets whether MXFP4 weight B is preshuffled for AMD's preb kernel. */
    public Builder blockScaledPreshuffledB(boolean value) {
      this.blockScaledPreshuffledB = value;
      return this;
    }

    /**
     * The config, checked with {@link ConfigRules}.
     *
     * @throws IllegalArgumentException listing every violation, one {@code [jquant:Rule.Id] message} per line
     * after {@code "invalid QuantConfig:"}
     */
    public QuantConfig build() {
      List<Violation> violations = ConfigRules.check(new ConfigDeclaration(format, inputScale.toRuleSpec(),
          weightScale.toRuleSpec(), mlpQuantizedLayers, attnQuantizedLayers, embeddingOutputDtype, biasDtype,
          canUseFusedMlp, scalesPreInterleaved, canUseFusedSwiglu, blockScaledPreshuffledB,
          sharedExpertsWeightDtype));
      if (!violations.isEmpty()) {
        throw new IllegalArgumentException(violations.stream().map(Violation::render)
            .collect(Collectors.joining("\n", "invalid QuantConfig:\n", "")));
      }
      return new QuantConfig(this);
    }

    private static SortedSet<Integer> copy(Collection<Integer> layers, String field) {
      Objects.requireNonNull(layers, field);
      SortedSet<Integer> copy = new TreeSet<>();
      for (Integer layer : layers) {
        copy.add(Objects.requireNonNull(layer, () -> field + " holds a null layer index"));
      }
      return copy;
    }

    private static List<Integer> box(int[] layers) {
      return Arrays.stream(layers).boxed().toList();
    }
  }
}
