package io.jquant.cli;

import io.jquant.config.hf.CheckpointFormat;
import io.jquant.config.hf.CheckpointTensors;
import io.jquant.config.hf.FormatDetector;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantConfigWriter;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.hf.ModuleNames;
import io.jquant.config.hf.TensorInfo;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.tensor.TensorView;
import io.jquant.runtime.tensor.TensorViews;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jquant inspect}: a checkpoint's tensors, its layout and the QuantConfig MAX would build for it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    header = "List a checkpoint's tensors, its format and its QuantConfig.",
    description = "Lists a checkpoint's tensors (name, dtype, shape), its detected format and the QuantConfig"
        + " its config.json / hf_quant_config.json (or, without them, its tensors) map to, with MAX's field"
        + " names.")
final class InspectCommand implements Callable<Integer> {
  private static final Pattern LAYER = Pattern.compile("(?:^|\\.)layers?\\.(\\d+)\\.");
  /** The widest name column: real tensor names are under 80 characters; a longer one is not padded. */
  private static final int NAME_COLUMN = 96;

  @Parameters(index = "0", paramLabel = "PATH",
      description = "A .safetensors file or a checkpoint directory.")
  Path path;

  @Option(names = "--json", description = "One JSON document: tensors, format and quant_config.")
  boolean json;

  @picocli.CommandLine.Mixin
  VerboseOption verbose;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (Checkpoint checkpoint = Checkpoint.open(path)) {
      List<TensorView> views = checkpoint.tensorNames().stream().map(checkpoint::tensor).toList();
      List<TensorInfo> infos = views.stream().map(TensorViews::info).toList();
      // Every quantized layer as dequantize and the loader read it: the same refusals, the same words.
      Path dir = Files.isDirectory(path) ? path : null;
      Path configJson = Path.of(HfQuantConfigParser.CONFIG_JSON);
      StoredWeights.checkAll(checkpoint, Fp8BlockSize.of(ConfigFiles.readConfigMap(dir),
          dir == null ? configJson : dir.resolve(configJson)));
      Optional<HfQuantization> quantization = parse(checkpoint, views, infos);
      CheckpointFormat format = quantization.map(HfQuantization::format)
          .orElseGet(() -> FormatDetector.detect(infos));
      if (json) {
        out.print(HfQuantConfigWriter.toJson(document(infos, format, quantization)));
      } else {
        printText(out, checkpoint, infos, format, quantization);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private Optional<HfQuantization> parse(Checkpoint checkpoint, List<TensorView> views,
      List<TensorInfo> infos) {
    CheckpointTensors tensors = TensorViews.checkpointTensors(views);
    // The module names the checkpoint's own weights use (Llama, fused Llama, BERT), as quantize chose them.
    Optional<CheckpointModuleNames> layout = CheckpointModuleNames.of(checkpoint.tensorNames(),
        checkpoint::fileOf);
    ModuleNames names = layout.map(CheckpointModuleNames::names).orElseGet(ModuleNames::llama);
    if (Files.isDirectory(path)) {
      try {
        return HfQuantConfigParser.parse(path, tensors, names);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(inDirectory(e.getMessage()), e);
      }
    }
    // A lone file has no config beside it that is surely its own: read the tensors only.
    int layers = layout.map(l -> Math.max(l.layerCount(), 1)).orElseGet(() -> layerCount(checkpoint, infos));
    return HfQuantConfigParser.parse(Map.of(), null, layers, tensors, names);
  }

  /**
   * The parser names a config by its bare file name ({@code "config.json: ..."}); the error line names it
   * with the directory, as every other error names its file.
   */
  private String inDirectory(String message) {
    for (String file : List.of(HfQuantConfigParser.CONFIG_JSON, HfQuantConfigParser.HF_QUANT_CONFIG_JSON)) {
      if (message.startsWith(file + ": ")) {
        return path.resolve(file) + message.substring(file.length());
      }
    }
    return message;
  }

  /** One more than the highest {@code layers.<i>} index, at least 1; an index is below the layer limit. */
  private static int layerCount(Checkpoint checkpoint, List<TensorInfo> infos) {
    int max = 0;
    for (TensorInfo info : infos) {
      Matcher m = LAYER.matcher(info.name());
      if (m.find()) {
        max = Math.max(max, LayerIndex.parse(m.group(1), info.name(), checkpoint.fileOf(info.name())) + 1);
      }
    }
    return Math.max(max, 1);
  }

  private static Map<String, Object> document(List<TensorInfo> infos, CheckpointFormat format,
      Optional<HfQuantization> quantization) {
    List<Object> tensors = new ArrayList<>();
    for (TensorInfo info : infos) {
      Map<String, Object> tensor = new LinkedHashMap<>();
      tensor.put("name", info.name());
      tensor.put("dtype", info.dtype().code());
      tensor.put("shape", info.shape());
      tensors.add(tensor);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tensors", tensors);
    doc.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
    doc.put("format_description", format.description());
    doc.put("quant_format", format.quantFormat() == null ? null : format.quantFormat().wireName());
    doc.put("config_source", quantization.map(HfQuantization::source).orElse(null));
    doc.put("quant_config", quantization.map(InspectCommand::configMap).orElse(null));
    return doc;
  }

  /** The QuantConfig with MAX's field names, as a map for the one JSON writer both outputs use. */
  private static Map<String, Object> configMap(HfQuantization quantization) {
    return HfQuantConfigParser.readJson("quant_config", quantization.config().toJson());
  }

  private void printText(PrintWriter out, Checkpoint checkpoint, List<TensorInfo> infos,
      CheckpointFormat format,
      Optional<HfQuantization> quantization) {
    int files = checkpoint.files().size();
    out.println(path + ": " + infos.size() + (infos.size() == 1 ? " tensor" : " tensors") + " in " + files
        + (files == 1 ? " file" : " files"));
    out.println("format: " + format.description()
        + (format.quantFormat() == null ? "" : " (" + format.quantFormat().wireName() + ")"));
    // Capped: every line is padded to the column, so one hostile 50 MB name would make each line 50 MB.
    int nameWidth = Math.min(NAME_COLUMN, infos.stream().mapToInt(i -> i.name().length()).max().orElse(0));
    int dtypeWidth = infos.stream().mapToInt(i -> i.dtype().code().length()).max().orElse(0);
    out.println("tensors:");
    for (TensorInfo info : infos) {
      out.println("  " + pad(info.name(), nameWidth) + "  " + pad(info.dtype().code(), dtypeWidth) + "  "
          + info.shape());
    }
    if (quantization.isEmpty()) {
      out.println("quant config: none");
      return;
    }
    out.println("quant config (from " + quantization.get().source() + "):");
    for (String line : HfQuantConfigWriter.toJson(configMap(quantization.get())).split("\n")) {
      out.println("  " + line);
    }
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }
}
