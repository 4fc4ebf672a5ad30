package io.jquant.cli;

import io.jquant.config.BlockSize;
import io.jquant.config.layout.ModuleTensors;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.CheckpointWriter;
import io.jquant.runtime.checkpoint.TensorPipeline;
import io.jquant.runtime.layout.StoredLayer;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
      BlockSize fp8Block = Fp8BlockSize.of(ConfigFiles.readConfigMap(inputDir), configFile());
      List<Item> items = plan(checkpoint, fp8Block);
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
          TensorPipeline.run(items, threads, item -> convert(checkpoint, item), result -> {
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

  /** config.json beside IN, as its errors name it. */
  private Path configFile() {
    return Files.isDirectory(in) ? in.resolve("config.json") : Path.of("config.json");
  }

  /** One output tensor: a quantized layer's weight (its layer checked against the table) or one to copy. */
  private record Item(String name, StoredLayer layer) {
    boolean quantized() {
      return layer != null;
    }
  }

  private record Result(TensorView tensor, String what) {}

  /**
   * Groups the tensors by layer; a layer whose tensors show a stored layout becomes one item, its parts
   * dropped. Every such layer's tensors are checked here, before anything is written.
   */
  private static List<Item> plan(Checkpoint checkpoint, BlockSize fp8Block) {
    List<TensorView> views = checkpoint.tensorNames().stream().map(checkpoint::tensor).toList();
    Map<String, Map<String, TensorView>> byModule = ModuleTensors.byModule(views, TensorView::name);
    Map<String, Optional<StoredLayer>> layers = new HashMap<>();
    List<Item> items = new ArrayList<>();
    for (String name : checkpoint.tensorNames()) {
      String module = ModuleTensors.module(name);
      String part = ModuleTensors.part(name);
      StoredLayer layer = layers.computeIfAbsent(module, m -> StoredWeights.layer(m, byModule.get(m),
          fp8Block, tensor -> checkpoint.fileOf(tensor).toString())).orElse(null);
      if (layer == null || !StoredWeights.PARTS.contains(part)) {
        items.add(new Item(name, null));
      } else if (part.equals(StoredWeights.weightPart(layer))) {
        items.add(new Item(layer.module().tensor("weight"), layer));
      }
    }
    return items;
  }

  private Result convert(Checkpoint checkpoint, Item item) {
    if (!item.quantized()) {
      TensorView view = checkpoint.tensor(item.name());
      return new Result(view, "copied " + view.dtype() + " " + view.shape());
    }
    StoredLayer layer = item.layer();
    List<Long> shape;
    try {
      shape = StoredWeights.dequantizedShape(layer);
    } catch (BadInputException e) {
      String weight = layer.view(StoredWeights.weightPart(layer)).name();
      throw new BadInputException(checkpoint.fileOf(weight) + ": " + e.getMessage(), e);
    }
    TensorView tensor;
    if (shape.contains(0L)) {
      // A legal empty weight ([2147483648, 0]): nothing to dequantize, no record holds its shape.
      tensor = new TensorView(item.name(), dtype.storage, shape, MemorySegment.ofArray(new byte[0]));
    } else {
      FloatMatrix values = layer.read().dequantize(); // refusals name the file and the tensor
      tensor = FloatTensors.encode(item.name(), values.values(), dtype.storage, shape);
    }
    return new Result(tensor, "dequantized to " + dtype.storage + " " + tensor.shape());
  }
}
