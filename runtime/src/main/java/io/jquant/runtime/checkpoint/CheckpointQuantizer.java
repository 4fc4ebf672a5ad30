package io.jquant.runtime.checkpoint;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.Bf16Bulk;
import io.jquant.runtime.numerics.Fp16Bulk;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.Nvfp4Quantizer;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams a float checkpoint into a quantized one: every tensor of the input, in its order, either quantized
 * (a chosen 2-D F32, BF16 or F16 weight {@code m.weight} becomes the quantizer's tensors, named under
 * {@code m.}) or handed over as it is. Tensors are converted on {@code threads} workers, each widening its
 * weight into a float array it reuses, and reach the writer in input order without a copy (see
 * {@link CheckpointWriter#adopt}): memory holds at most {@code 2 · threads} converted tensors besides the
 * writer's shard. This is {@code jquant quantize}'s tensor loop, public so benchmarks can run it.
 */
public final class CheckpointQuantizer {
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Told about each input tensor once its output reached the writer: in input order, on the caller. */
  @FunctionalInterface
  public interface Progress {
    /** {@code input} was quantized ({@code quantized}) or copied. */
    void done(TensorView input, boolean quantized);
  }

  /** The tensors a run reads: a {@link Checkpoint}'s, or any named tensors (e.g. converted from ONNX). */
  public interface Input {
    /** Every tensor's name, in the order the output gets them. */
    List<String> tensorNames();

    /** The tensor {@code name}. */
    TensorView tensor(String name);

    /** Where {@code name} comes from, leading its error messages (a file). */
    String fileOf(String name);
  }

  private CheckpointQuantizer() {}

  /** {@code checkpoint}'s tensors as an {@link Input}, each named with its file in errors. */
  public static Input input(Checkpoint checkpoint) {
    return new Input() {
      @Override
      public List<String> tensorNames() {
        return checkpoint.tensorNames();
      }

      @Override
      public TensorView tensor(String name) {
        return checkpoint.tensor(name);
      }

      @Override
      public String fileOf(String name) {
        return checkpoint.fileOf(name).toString();
      }
    };
  }

  /**
   * Quantizes the tensors of {@code input} named in {@code quantize} and adds every output tensor to
   * {@code writer} (which the caller closes). {@code input} must stay open until the writer is closed: copied
   * tensors are slices of its mapping.
   *
   * @throws IllegalArgumentException when a chosen tensor is not a 2-D F32, BF16 or F16 weight, or the
   * quantizer refuses it (a non-finite value, a K off its block); the message starts with the file
   * @throws IOException when writing fails
   */
  public static void run(Checkpoint input, Set<String> quantize, WeightQuantizer quantizer,
      CheckpointWriter writer, int threads, Progress progress) throws IOException {
    run(input(input), quantize, quantizer, null, Map.of(), writer, threads, progress);
  }

  /**
   * Like {@link #run(Checkpoint, Set, WeightQuantizer, CheckpointWriter, int, Progress)}, over any
   * {@link Input}, and with static input scales: each quantized weight {@code m.weight} is followed by
   * {@code m.input_scale}, F32 {@code []}, the value {@code inputScales} holds for module {@code m}.
   *
   * NVFP4 modules named in {@code nvfp4Amax} are quantized with that tensor amax (a fused group's, see
   * {@code FusedGroups}) instead of their own {@code max|W|}.
   *
   * @param inputScales module name to {@code input_scale}, or null to write none (dynamic inputs)
   * @param nvfp4Amax module name to the amax its {@code weight_scale_2} comes from; empty for none; only with
   * an {@link Nvfp4Quantizer}
   * @throws IllegalArgumentException as the other form, and naming the module when {@code inputScales} has no
   * value for a quantized weight's module (a static checkpoint without an input scale is never written)
   */
  public static void run(Input input, Set<String> quantize, WeightQuantizer quantizer,
      Map<String, Float> inputScales, Map<String, Float> nvfp4Amax, CheckpointWriter writer, int threads,
      Progress progress) throws IOException {
    if (!nvfp4Amax.isEmpty() && !(quantizer instanceof Nvfp4Quantizer)) {
      throw new IllegalArgumentException("a weight amax per module is for NVFP4, not " + quantizer);
    }
    if (inputScales != null) {
      for (String name : quantize) {
        String module = moduleOf(name);
        if (!inputScales.containsKey(module)) {
          throw new IllegalArgumentException(input.fileOf(name) + ": no input_scale for module " + module
              + ", whose weight is quantized with static input scales");
        }
      }
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    try (FloatScratch scratch = new FloatScratch()) {
      TensorPipeline.run(input.tensorNames(), threads,
          name -> convert(input, quantize, quantizer, inputScales, nvfp4Amax, scratch, name),
          result -> {
            for (TensorView tensor : result.outputs()) {
              writer.adopt(tensor);
            }
            progress.done(result.input(), result.quantized());
          });
    }
  }

  /** One input tensor and what it became. */
  private record Converted(TensorView input, boolean quantized, List<TensorView> outputs) {}

  private static Converted convert(Input input, Set<String> quantize, WeightQuantizer quantizer,
      Map<String, Float> inputScales, Map<String, Float> nvfp4Amax, FloatScratch scratch, String name) {
    TensorView view = input.tensor(name);
    if (!quantize.contains(name)) {
      return new Converted(view, false, List.of(view));
    }
    QuantizedWeights weights;
    try {
      FloatMatrix matrix = widen(view, scratch);
      release(view.data());
      Float amax = nvfp4Amax.get(moduleOf(name));
      weights = amax == null ? quantizer.quantize(matrix)
          : ((Nvfp4Quantizer) quantizer).quantize(matrix, amax);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(input.fileOf(name) + ": " + e.getMessage(), e);
    }
    String prefix = moduleOf(name) + ".";
    List<TensorView> outputs = new ArrayList<>();
    for (StoredTensor t : weights.tensors()) {
      outputs.add(new TensorView(prefix + t.name(), t.dtype(), t.shape(), MemorySegment.ofArray(t.bytes())));
    }
    if (inputScales != null) {
      float scale = inputScales.get(moduleOf(name));
      byte[] bytes = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(scale).array();
      outputs.add(new TensorView(prefix + "input_scale", StorageDType.F32, List.of(),
          MemorySegment.ofArray(bytes)));
    }
    return new Converted(view, true, outputs);
  }

  /** The module of a weight: {@code m.weight} → {@code m} (a name without a dot is its own module). */
  private static String moduleOf(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /**
   * Drops a mapped tensor's pages from this process (madvise DONTNEED; they stay in the OS cache and come
   * back on the next read): each page is read once, and without this the resident set grows by the whole
   * input, 4 GB for a 3.3 GB checkpoint, though the float copy is all the quantizer reads.
   */
  private static void release(MemorySegment data) {
    if (data.isMapped()) {
      data.unload();
    }
  }

  /**
   * A 2-D F32, BF16 or F16 tensor widened exactly into the calling thread's {@code scratch} array: valid only
   * until the thread's next scratch request, so only for the quantization it is read for.
   */
  static FloatMatrix widen(TensorView view, FloatScratch scratch) {
    List<Long> shape = view.shape();
    if (shape.size() != 2) {
      throw new IllegalArgumentException("tensor " + view.name() + ": expected a 2-D weight, got shape "
          + shape);
    }
    StorageDType dtype = view.dtype();
    if (dtype != StorageDType.F32 && dtype != StorageDType.BF16 && dtype != StorageDType.F16) {
      throw new IllegalArgumentException("tensor " + view.name() + ": stored as " + dtype
          + "; only F32, BF16 and F16 weights can be quantized");
    }
    if (view.elementCount() == 0) {
      // The quantizers' own words; checked here because the other dimension may not fit an int.
      throw new IllegalArgumentException("tensor " + view.name() + ": empty shape " + shape
          + "; a quantized weight needs at least one row and one column");
    }
    if (view.elementCount() > TensorView.MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException("tensor " + view.name() + ": shape " + shape + " has "
          + view.elementCount() + " elements, more than a float array holds (" + TensorView.MAX_ARRAY_LENGTH
          + ")");
    }
    // Both dimensions are now at most the element count, so they fit an int.
    int rows = (int) (long) shape.get(0);
    int cols = (int) (long) shape.get(1);
    int count = (int) view.elementCount();
    float[] values = scratch.of(count);
    MemorySegment data = view.data();
    if (dtype == StorageDType.F32) {
      MemorySegment.copy(data, F32, 0, values, 0, count);
    } else {
      // Widened in slices so the staging array stays small and cache-resident.
      short[] bits = new short[Math.min(count, 1 << 16)];
      // at + n never passes count; at += bits.length would overflow an int near 2^31 elements.
      for (int at = 0, n; at < count; at += n) {
        n = Math.min(bits.length, count - at);
        MemorySegment.copy(data, I16, 2L * at, bits, 0, n);
        if (dtype == StorageDType.BF16) {
          Bf16Bulk.decode(bits, 0, values, at, n);
        } else {
          Fp16Bulk.decode(bits, 0, values, at, n);
        }
      }
    }
    return new FloatMatrix(view.name(), rows, cols, values);
  }
}
