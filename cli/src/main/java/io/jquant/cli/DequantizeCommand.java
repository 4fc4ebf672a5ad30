package io.jquant.cli;

import io.jquant.config.BlockSize;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.CheckpointWriter;
import io.jquant.runtime.checkpoint.TensorPipeline;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jquant dequantize}: a quantized checkpoint back to float safetensors. */
@Command(name = "dequantize", mixinStandardHelpOptions = true,
    header = "Turn a quantized checkpoint back into float safetensors.",
    description = {
        "Writes OUT, a float safetensors checkpoint: every quantized linear weight of IN (modelopt or"
            + " compressed-tensors NVFP4, MXFP4, MXFP8, FP8 tensor/channel/block, INT8) becomes its"
            + " dequantized"
            + " values in --dtype, its scales are dropped (also input_scale, k_scale, v_scale); every other"
            + " tensor is copied in its dtype. config.json loses its quantization_config; other files are"
            + " copied.",
        "OUT must not exist (or be empty); it appears only when everything was written." })
final class DequantizeCommand implements Callable<Integer> {
  @Option(names = "--dtype", defaultValue = "bf16", paramLabel = "TYPE",
      description = "Type of the dequantized weights: bf16 (default, round to nearest even) or f32 (exact).")
  FloatType dtype;

  @Option(names = "--max-shard-size", defaultValue = "5GB", converter = ByteSize.class, paramLabel = "SIZE",
      description = "Largest shard of tensor data (default ${DEFAULT-VALUE}).")
  long maxShardBytes;

  @Option(names = "--threads", paramLabel = "N",
      description = "Layers dequantized in parallel (default: the number of processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Parameters(index = "0", paramLabel = "IN", description = "Quantized checkpoint: a file or a directory.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Output directory (must not exist or be empty).")
  Path out;

  @picocli.CommandLine.Mixin
  VerboseOption verbose;

  @Spec
  CommandSpec spec;

  /** The float types {@code --dtype} offers. */
  enum FloatType {
    BF16(StorageDType.BF16),
    F32(StorageDType.F32);

    final StorageDType storage;

    FloatType(StorageDType storage) {
      this.storage = storage;
    }
  }

  @Override
  public Integer call() throws IOException {
    if (threads < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--threads must be at least 1, got " + threads);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Path inputDir = Files.isDirectory(in) ? in : null;
    try (Checkpoint checkpoint = Checkpoint.open(in)) {
      BlockSize fp8Block = fp8Block(ConfigFiles.readConfigMap(inputDir));
      List<Item> items = plan(checkpoint);
      if (items.stream().noneMatch(Item::quantized)) {
        throw new BadInputException(in + ": not quantized (no quantized linear weight found)");
      }
      try (OutputTransaction output = OutputTransaction.begin(out)) {
        output.removedStale().forEach(note -> stderr.println("note: " + note));
        stderr.flush();
        CheckpointWriter writer = CheckpointWriter.open(output.dir(), maxShardBytes);
        boolean done = false;
        try (ProgressReporter progress = ProgressReporter.create(ProgressReporter.onTerminal(), "dequantize",
            items.size(), stderr)) {
          TensorPipeline.run(items, threads, item -> convert(checkpoint, item, fp8Block), result -> {
            writer.add(result.tensor());
            progress.done(result.tensor().name(), result.what());
          });
          writer.close();
          done = true;
        } finally {
          if (!done) {
            writer.abort();
          }
        }
        ConfigFiles.writeDequantized(inputDir, output.dir());
        ConfigFiles.copyOthers(inputDir, output.dir());
        output.commit();
      }
      long count = items.stream().filter(Item::quantized).count();
      stdout.println("dequantized " + count + " weights to " + dtype.storage + "; wrote " + out);
    }
    stdout.flush();
    return ExitCodes.OK;
  }

  /** One output tensor: a quantized layer's weight (its parts by relative name) or a tensor to copy. */
  private record Item(String name, String module, Map<String, TensorView> parts) {
    boolean quantized() {
      return parts != null;
    }
  }

  private record Result(TensorView tensor, String what) {}

  /** Groups the tensors by layer; a layer with a quantized weight becomes one item, its parts dropped. */
  private static List<Item> plan(Checkpoint checkpoint) {
    Map<String, Map<String, TensorView>> byModule = new LinkedHashMap<>();
    for (String name : checkpoint.tensorNames()) {
      int dot = name.lastIndexOf('.');
      String module = dot < 0 ? "" : name.substring(0, dot);
      byModule.computeIfAbsent(module, m -> new LinkedHashMap<>())
          .put(name.substring(dot + 1), checkpoint.tensor(name));
    }
    List<Item> items = new ArrayList<>();
    for (String name : checkpoint.tensorNames()) {
      int dot = name.lastIndexOf('.');
      String module = dot < 0 ? "" : name.substring(0, dot);
      String part = name.substring(dot + 1);
      Map<String, TensorView> parts = byModule.get(module);
      if (!StoredWeights.isQuantized(parts) || !StoredWeights.PARTS.contains(part)) {
        items.add(new Item(name, module, null));
      } else if (part.equals(parts.containsKey("weight_packed") ? "weight_packed" : "weight")) {
        items.add(new Item(module + ".weight", module, parts));
      }
    }
    return items;
  }

  private Result convert(Checkpoint checkpoint, Item item, BlockSize fp8Block) {
    if (!item.quantized()) {
      TensorView view = checkpoint.tensor(item.name());
      return new Result(view, "copied " + view.dtype() + " " + view.shape());
    }
    TensorView tensor;
    try {
      List<Long> shape = StoredWeights.dequantizedShape(item.module(), item.parts());
      if (shape.contains(0L)) {
        // A legal empty weight ([2147483648, 0]): nothing to dequantize, no record holds its shape.
        tensor = new TensorView(item.name(), dtype.storage, shape, MemorySegment.ofArray(new byte[0]));
      } else {
        FloatMatrix values = StoredWeights.read(item.module(), item.parts(), fp8Block).dequantize();
        tensor = FloatTensors.encode(item.name(), values.values(), dtype.storage, shape);
      }
    } catch (IllegalArgumentException | BadInputException e) {
      String file = checkpoint.fileOf(item.parts().values().iterator().next().name()).toString();
      throw new BadInputException(file + ": " + e.getMessage(), e);
    }
    return new Result(tensor, "dequantized to " + dtype.storage + " " + tensor.shape());
  }

  /**
   * {@code quantization_config.weight_block_size}, else 128x128 (DeepSeek-V3's, the only one in use).
   *
   * @throws BadInputException naming config.json and the key when it is there but not two positive ints (a
   * float or a string was read as an int, or ignored, before)
   */
  private BlockSize fp8Block(Map<String, Object> config) {
    if (!(config.get("quantization_config") instanceof Map<?, ?> quant)
        || !quant.containsKey("weight_block_size")) {
      return new BlockSize(128, 128);
    }
    Object block = quant.get("weight_block_size");
    if (block instanceof List<?> dims && dims.size() == 2 && positiveInt(dims.get(0))
        && positiveInt(dims.get(1))) {
      return new BlockSize(((Number) dims.get(0)).intValue(), ((Number) dims.get(1)).intValue());
    }
    Path file = Files.isDirectory(in) ? in.resolve("config.json") : Path.of("config.json");
    throw new BadInputException(file + ": quantization_config.weight_block_size: expected two positive"
        + " integers [rows, cols], got " + block);
  }

  private static boolean positiveInt(Object value) {
    return (value instanceof Integer || value instanceof Long) && ((Number) value).longValue() > 0
        && ((Number) value).longValue() <= Integer.MAX_VALUE;
  }
}
