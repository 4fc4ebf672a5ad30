package io.jquant.config.layout;

import static io.jquant.config.layout.LayoutPart.E8M0_BYTES;
import static io.jquant.config.layout.LayoutPart.FLOATS;
import static io.jquant.config.layout.StoredLayouts.is;
import static io.jquant.config.layout.StoredLayouts.rank;
import static io.jquant.config.tensor.StorageDType.F8_E4M3;
import static io.jquant.config.tensor.StorageDType.F8_E8M0;
import static io.jquant.config.tensor.StorageDType.I8;
import static io.jquant.config.tensor.StorageDType.U8;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.BlockSize;
import io.jquant.config.hf.CheckpointFormat;
import io.jquant.config.hf.TensorInfo;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The layouts in which checkpoints store one quantized linear layer (docs/FORMATS.md §2-§4): one constant per
 * layout, with how to recognise it from the layer's tensors, the tensors it needs (name, dtypes, shapes from
 * the weight's {@code [N, K]}) and what their values must be. The detector, the loader,
 * {@code jquant dequantize} and {@code jquant inspect} all check a layer here, so they agree on every layout
 * and refuse a malformed one with the same message; the runtime reads the bytes of each constant
 * ({@code io.jquant.runtime.layout.StoredLayer}). Adding a layout is one constant here and one case there.
 *
 * <p>A layer is recognised from its tensors' names and dtypes (and, between FP8 tensor, channel and block
 * scales, the weight_scale's rank and whether it is {@code [N, 1]}): the first constant whose rule matches,
 * in declaration order, is the layout; its tensors are then checked, and any missing tensor, other dtype or
 * other shape is refused. A layer without {@code weight_packed} whose {@code weight} is not U8, F8_E4M3 or I8
 * is not quantized.
 */
public enum StoredLayout {
  /** modelopt NVFP4: U8 {@code weight}, F8_E4M3 {@code weight_scale} per 16, {@code weight_scale_2}. */
  MODELOPT_NVFP4("modelopt NVFP4", CheckpointFormat.MODELOPT_NVFP4, Set.of(QuantFormat.NVFP4), true,
      p -> is(p, "weight", U8) && (p.containsKey("weight_scale_2") || is(p, "weight_scale", F8_E4M3)),
      new LayoutPart("weight", List.of(U8), PartShape.weight(true), ScaleRule.ANY),
      new LayoutPart("weight_scale", List.of(F8_E4M3), PartShape.perGroup(16), ScaleRule.E4M3),
      new LayoutPart("weight_scale_2", FLOATS, PartShape.scalar(), ScaleRule.FINITE_POSITIVE)),
  /** compressed-tensors {@code nvfp4-pack-quantized}: {@code weight_packed}, {@code weight_global_scale}. */
  COMPRESSED_TENSORS_NVFP4("compressed-tensors NVFP4", CheckpointFormat.COMPRESSED_TENSORS_NVFP4,
      Set.of(QuantFormat.NVFP4), true,
      p -> p.containsKey("weight_packed") && p.containsKey("weight_global_scale"),
      new LayoutPart("weight_packed", List.of(U8), PartShape.weight(true), ScaleRule.ANY),
      new LayoutPart("weight_scale", List.of(F8_E4M3), PartShape.perGroup(16), ScaleRule.E4M3),
      new LayoutPart("weight_global_scale", FLOATS, PartShape.scalar(), ScaleRule.FINITE_POSITIVE)),
  /** compressed-tensors {@code mxfp4-pack-quantized}: {@code weight_packed}, E8M0 {@code weight_scale}. */
  COMPRESSED_TENSORS_MXFP4("compressed-tensors MXFP4", CheckpointFormat.COMPRESSED_TENSORS_MXFP4,
      Set.of(QuantFormat.MXFP4), true,
      p -> p.containsKey("weight_packed"),
      new LayoutPart("weight_packed", List.of(U8), PartShape.weight(true), ScaleRule.ANY),
      new LayoutPart("weight_scale", E8M0_BYTES, PartShape.perGroup(32), ScaleRule.E8M0)),
  /** MXFP4 as jquant writes it: U8 {@code weight}, E8M0 {@code weight_scale} per 32. */
  MXFP4("MXFP4", CheckpointFormat.GPT_OSS_MXFP4, Set.of(QuantFormat.MXFP4), true,
      p -> is(p, "weight", U8),
      new LayoutPart("weight", List.of(U8), PartShape.weight(true), ScaleRule.ANY),
      new LayoutPart("weight_scale", E8M0_BYTES, PartShape.perGroup(32), ScaleRule.E8M0)),
  /** compressed-tensors MXFP8: F8_E4M3 {@code weight}, E8M0 {@code weight_scale} per 32. */
  MXFP8("MXFP8", CheckpointFormat.COMPRESSED_TENSORS_MXFP8, Set.of(QuantFormat.MXFP8), false,
      p -> is(p, "weight", F8_E4M3) && !p.containsKey("weight_scale_inv")
          && (is(p, "weight_scale", U8) || is(p, "weight_scale", F8_E8M0)),
      new LayoutPart("weight", List.of(F8_E4M3), PartShape.weight(false), ScaleRule.ANY),
      new LayoutPart("weight_scale", E8M0_BYTES, PartShape.perGroup(32), ScaleRule.E8M0)),
  /** Block FP8 as DeepSeek-V3 stores it ({@code quant_method: fp8}): {@code weight_scale_inv} per block. */
  FP8_BLOCK_SCALE_INV("FP8 block (weight_scale_inv)", CheckpointFormat.FP8_BLOCK,
      Set.of(QuantFormat.BLOCKSCALED_FP8), false,
      p -> is(p, "weight", F8_E4M3) && p.containsKey("weight_scale_inv"),
      new LayoutPart("weight", List.of(F8_E4M3), PartShape.weight(false), ScaleRule.ANY),
      new LayoutPart("weight_scale_inv", FLOATS, PartShape.perBlock(), ScaleRule.FINITE)),
  /**
   * Block FP8 as compressed-tensors stores it (FP8_BLOCK): a 2-D {@code weight_scale} per block, any but
   * {@code [N, 1]} (a weight of at most 128 columns has one column of blocks, {@code [ceil(N/128), 1]}).
   */
  FP8_BLOCK("FP8 block (weight_scale)", CheckpointFormat.COMPRESSED_TENSORS_FP8_BLOCK,
      Set.of(QuantFormat.BLOCKSCALED_FP8), false,
      p -> is(p, "weight", F8_E4M3) && rank(p, "weight_scale") == 2 && !StoredLayouts.isPerRow(p),
      new LayoutPart("weight", List.of(F8_E4M3), PartShape.weight(false), ScaleRule.ANY),
      new LayoutPart("weight_scale", FLOATS, PartShape.perBlock(), ScaleRule.FINITE)),
  /** FP8 per output channel (FBGEMM, compressed-tensors channel): {@code weight_scale [N, 1]} or [N]. */
  FP8_CHANNEL("FP8 per channel", CheckpointFormat.FBGEMM_FP8,
      Set.of(QuantFormat.COMPRESSED_TENSORS_FP8, QuantFormat.FBGEMM_FP8), false,
      p -> is(p, "weight", F8_E4M3) && rank(p, "weight_scale") > 0
          && !p.get("weight_scale").shape().equals(List.of(1L)),
      new LayoutPart("weight", List.of(F8_E4M3), PartShape.weight(false), ScaleRule.ANY),
      new LayoutPart("weight_scale", FLOATS, PartShape.perRow(), ScaleRule.FINITE)),
  /** FP8 per tensor (modelopt FP8, {@code quant_method: fp8}, compressed-tensors tensor): one scale. */
  FP8_TENSOR("FP8 per tensor", CheckpointFormat.FP8_TENSORWISE,
      Set.of(QuantFormat.COMPRESSED_TENSORS_FP8, QuantFormat.FBGEMM_FP8), false,
      p -> is(p, "weight", F8_E4M3),
      new LayoutPart("weight", List.of(F8_E4M3), PartShape.weight(false), ScaleRule.ANY),
      new LayoutPart("weight_scale", FLOATS, PartShape.scalar(), ScaleRule.FINITE)),
  /** INT8 W8A8 (compressed-tensors {@code int-quantized}): I8 {@code weight}, one scale per row or tensor. */
  INT8("INT8", CheckpointFormat.COMPRESSED_TENSORS_INT8, Set.of(QuantFormat.INT8_W8A8), false,
      p -> is(p, "weight", I8),
      new LayoutPart("weight", List.of(I8), PartShape.weight(false), ScaleRule.ANY),
      new LayoutPart("weight_scale", FLOATS, PartShape.perRowOrScalar(), ScaleRule.FINITE));

  /** The FP8 block read when no config names one: DeepSeek-V3's and compressed-tensors' FP8_BLOCK. */
  public static final BlockSize DEFAULT_FP8_BLOCK = new BlockSize(128, 128);

  /** Every tensor name any layout holds, relative to the layer. */
  public static final Set<String> PART_NAMES = Arrays.stream(values())
      .flatMap(l -> l.parts.stream().map(LayoutPart::name))
      .collect(Collectors.toCollection(LinkedHashSet::new));

  private final String description;
  private final CheckpointFormat detected;
  private final Set<QuantFormat> formats;
  private final boolean packed;
  private final Predicate<Map<String, TensorInfo>> recognises;
  private final List<LayoutPart> parts;

  StoredLayout(String description, CheckpointFormat detected, Set<QuantFormat> formats, boolean packed,
      Predicate<Map<String, TensorInfo>> recognises, LayoutPart... parts) {
    this.description = description;
    this.detected = detected;
    this.formats = formats;
    this.packed = packed;
    this.recognises = recognises;
    this.parts = List.of(parts);
  }

  /** A short name for messages, e.g. {@code modelopt NVFP4}. */
  public String description() {
    return description;
  }

  /** The checkpoint format the detector reports for a checkpoint of this layout and no config. */
  public CheckpointFormat detected() {
    return detected;
  }

  /** Whether a layer of a QuantConfig of {@code format} runs from this layout. */
  public boolean runsAs(QuantFormat format) {
    return formats.contains(format);
  }

  /** Whether the weight is FP4 packed two per byte (K is twice the bytes per row). */
  public boolean packed() {
    return packed;
  }

  /** The tensors, the weight first. */
  public List<LayoutPart> parts() {
    return parts;
  }

  /** The weight tensor's part: {@code weight} or {@code weight_packed}. */
  public LayoutPart weight() {
    return parts.get(0);
  }

  /** The part named {@code name}. */
  public LayoutPart part(String name) {
    return parts.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(description + " has no tensor " + name));
  }

  /**
   * The layout the layer's tensors show, or empty when the layer is not quantized.
   *
   * @param parts the layer's tensors by their name relative to the layer ({@code weight}, ...)
   */
  public static Optional<StoredLayout> recognise(Map<String, TensorInfo> parts) {
    for (StoredLayout layout : values()) {
      if (layout.recognises.test(parts)) {
        return Optional.of(layout);
      }
    }
    return Optional.empty();
  }

  /**
   * The layer's layout, its tensors checked: {@link #recognise} then {@link #check}.
   *
   * @throws LayoutException naming the tensor, the layout and both dtypes and shapes when one does not fit
   */
  public static Optional<StoredModule> find(String module, Map<String, TensorInfo> parts, BlockSize block) {
    return recognise(parts).map(layout -> layout.check(module, parts, block));
  }

  /**
   * Checks the layer's tensors against this layout: each is there, with an accepted dtype and shape.
   *
   * @param module the layer's name, for the messages
   * @param parts the layer's tensors by their name relative to the layer
   * @param block the FP8 block (read by the block layouts only)
   * @throws LayoutException naming the tensor, the layout and both dtypes and shapes when one does not fit
   */
  public StoredModule check(String module, Map<String, TensorInfo> parts, BlockSize block) {
    LayoutPart weightPart = weight();
    TensorInfo weight = parts.get(weightPart.name());
    String weightName = StoredLayouts.name(module, weightPart.name());
    if (weight == null) {
      throw new IllegalArgumentException("tensor " + weightName + " is missing: not a " + description
          + " layer");
    }
    if (weight.shape().size() != 2 || !weightPart.dtypes().contains(weight.dtype())) {
      throw new LayoutException(weightName, "tensor " + weightName + ": " + description + " needs a 2-D "
          + weightPart.shownDtypes() + " weight, got " + weight.dtype() + " " + weight.shape());
    }
    long rows = weight.shape().get(0);
    long stored = weight.shape().get(1);
    if (packed && stored > Long.MAX_VALUE / 2) {
      throw new LayoutException(weightName, "tensor " + weightName + ": " + description + " weight "
          + weight.dtype() + " " + weight.shape() + " has more than " + Long.MAX_VALUE + " elements");
    }
    long cols = packed ? 2 * stored : stored;
    for (LayoutPart part : parts()) {
      StoredLayouts.requirePart(this, module, part, parts.get(part.name()), weightName, rows, cols, block);
    }
    return new StoredModule(this, module, rows, cols, block);
  }
}
