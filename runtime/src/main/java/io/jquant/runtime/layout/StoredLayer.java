package io.jquant.runtime.layout;

import io.jquant.config.BlockSize;
import io.jquant.config.layout.LayoutException;
import io.jquant.config.layout.LayoutPart;
import io.jquant.config.layout.ScaleRule;
import io.jquant.config.layout.StoredLayout;
import io.jquant.config.layout.StoredModule;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.tensor.TensorView;
import io.jquant.runtime.tensor.TensorViews;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One quantized layer of a checkpoint, its tensors checked against its {@link StoredLayout}: read into the
 * runtime's weight record ({@link #read()}) or run by the layout's kernel over its stored bytes
 * ({@link #kernel}). Every refusal names the file of the tensor, the tensor, the layout and both dtypes and
 * shapes, or the value: a scale that is not finite (NaN E4M3 or E8M0 codes, NaN or infinite floats, a
 * per-tensor scale that is not positive) is refused before anything is computed with it. Float scales stored
 * as F32, BF16 or F16 are widened once, exactly, to float32.
 */
public final class StoredLayer {
  private final StoredModule module;
  private final Map<String, TensorView> parts;
  private final Function<String, String> fileOf;

  private StoredLayer(StoredModule module, Map<String, TensorView> parts, Function<String, String> fileOf) {
    this.module = module;
    this.parts = parts;
    this.fileOf = fileOf;
  }

  /** The layout the layer's tensors show, or empty when it is not quantized (the table's rules). */
  public static Optional<StoredLayout> recognise(Map<String, TensorView> parts) {
    return StoredLayout.recognise(infos(parts));
  }

  /**
   * The layer, when its tensors show a layout: {@link #recognise} then {@link #of}.
   *
   * @throws IllegalArgumentException {@code <file>: } and the table's message when a tensor does not fit
   */
  public static Optional<StoredLayer> find(String module, Map<String, TensorView> parts, BlockSize block,
      Function<String, String> fileOf) {
    return recognise(parts).map(layout -> of(layout, module, parts, block, fileOf));
  }

  /**
   * The layer read as {@code layout}, its tensors' dtypes and shapes checked.
   *
   * @param module the layer's name, e.g. {@code model.layers.0.mlp.up_proj}
   * @param parts the layer's tensors by their name relative to the layer ({@code weight}, ...)
   * @param block the FP8 block of the block layouts
   * @param fileOf the file that holds a tensor, by its full name, for the messages
   * @throws IllegalArgumentException {@code <file>: } and the table's message when a tensor does not fit
   */
  public static StoredLayer of(StoredLayout layout, String module, Map<String, TensorView> parts,
      BlockSize block, Function<String, String> fileOf) {
    Objects.requireNonNull(fileOf, "fileOf");
    try {
      return new StoredLayer(layout.check(module, infos(parts), block), Map.copyOf(parts), fileOf);
    } catch (LayoutException e) {
      throw new IllegalArgumentException(fileOf.apply(e.tensor()) + ": " + e.getMessage(), e);
    }
  }

  /** The layer's layout. */
  public StoredLayout layout() {
    return module.layout();
  }

  /** The layer's name, layout and shape. */
  public StoredModule module() {
    return module;
  }

  /**
   * Checks every scale's values against the table's rule, reading only the scales (for a checkpoint-wide
   * check; {@link #read} and {@link #kernel} check each scale as they read it).
   *
   * @throws IllegalArgumentException naming the file, the tensor, the element and its value
   */
  public void checkValues() {
    for (LayoutPart part : layout().parts()) {
      if (part.rule() == ScaleRule.ANY) {
        continue;
      }
      if (part.isFloat()) {
        floats(part.name());
      } else {
        bytes(part.name());
      }
    }
  }

  /**
   * The layer's weight record (its bytes copied to the heap), whose {@code dequantize()} gives the float
   * values; every scale is checked as it is read.
   *
   * @throws IllegalArgumentException naming the file and the tensor when a value is refused or the weight is
   * larger than a Java array holds
   */
  public QuantizedWeights read() {
    try {
      return LayerWeights.read(this);
    } catch (Refused e) {
      throw e; // a scale's refusal, already naming the file
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw refused(storedWeight(), e.getMessage(), e);
    }
  }

  /**
   * The layout's kernel over the layer's tensors (the weight read in place where the kernel can), every scale
   * checked as it is read.
   *
   * @param activations what the layer does to its input
   * @param bias N values, or null
   * @throws IllegalArgumentException naming the file and tensor when a value is refused; the kernel's own
   * limits (K a multiple of the block, ...) name the layer
   */
  public Linear kernel(InputActivations activations, float[] bias) {
    try {
      return LayerKernels.kernel(this, activations, bias);
    } catch (IllegalStateException e) {
      throw refused(storedWeight(), e.getMessage(), e); // a global scale without an exact modelopt form
    }
  }

  /** The layer's tensor {@code part} (one of its layout's, which the check found), or null. */
  public TensorView view(String part) {
    return parts.get(part);
  }

  /** The full name of the stored weight tensor ({@code weight} or {@code weight_packed}), which exists. */
  private String storedWeight() {
    return module.tensor(layout().weight().name());
  }

  /** The name the weight dequantizes to: {@code <module>.weight}. */
  String weightName() {
    return module.tensor("weight");
  }

  /**
   * Tensor {@code part} for a kernel that reads it in place, its values checked first when it holds byte
   * scales (E4M3, E8M0): the kernels take such scales as views, float scales through {@link #floats}.
   */
  TensorView checkedView(String part) {
    if (layout().part(part).rule() != ScaleRule.ANY && !layout().part(part).isFloat()) {
      bytes(part);
    }
    return view(part);
  }

  /** The values of float scale {@code part}, widened to float32 and checked. */
  float[] floats(String part) {
    TensorView view = view(part);
    float[] values = view.toFloats();
    String refusal = layout().part(part).rule().refusal(view.name(), layout().description(), values);
    if (refusal != null) {
      throw refused(view.name(), refusal, null);
    }
    return values;
  }

  /** The bytes of tensor {@code part}, copied; scale bytes are checked. */
  byte[] bytes(String part) {
    TensorView view = view(part);
    if (view.data().byteSize() > TensorView.MAX_ARRAY_LENGTH) {
      throw refused(view.name(), "tensor " + view.name() + ": " + view.dtype() + " " + view.shape() + " is "
          + view.data().byteSize() + " bytes, more than a byte array holds (" + TensorView.MAX_ARRAY_LENGTH
          + ")", null);
    }
    byte[] bytes = view.data().toArray(ValueLayout.JAVA_BYTE);
    String refusal = layout().part(part).rule().refusal(view.name(), layout().description(), bytes);
    if (refusal != null) {
      throw refused(view.name(), refusal, null);
    }
    return bytes;
  }

  private Refused refused(String tensor, String message, Throwable cause) {
    return new Refused(fileOf.apply(tensor) + ": " + message, cause);
  }

  /** A refusal that already names the file and the tensor. */
  private static final class Refused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static Map<String, io.jquant.config.hf.TensorInfo> infos(Map<String, TensorView> parts) {
    Map<String, io.jquant.config.hf.TensorInfo> infos = new LinkedHashMap<>();
    parts.forEach((part, view) -> infos.put(part, TensorViews.info(view)));
    return infos;
  }
}
