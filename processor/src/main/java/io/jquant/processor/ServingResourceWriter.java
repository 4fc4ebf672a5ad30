package io.jquant.processor;

import io.jquant.config.QuantConfig;
import io.jquant.config.hf.HfQuantConfigWriter;
import io.jquant.config.hf.ModuleNames;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Filer;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes the serving engines' view of a model's quantization as class-path resources: the {@code config.json}
 * {@code quantization_config} block and, for NVFP4, modelopt's {@code hf_quant_config.json}. They come from
 * the declared config through {@link HfQuantConfigWriter}, the writer {@code jquant quantize} uses, so a
 * declaration and a quantized checkpoint are described alike; the ignore list names modules with the model's
 * {@link ModuleNames}, which the checkpoint check reads it back with.
 */
final class ServingResourceWriter {
  static final String QUANTIZATION_CONFIG = "quantization_config.json";
  static final String HF_QUANT_CONFIG = "hf_quant_config.json";

  private final Filer filer;

  ServingResourceWriter(Filer filer) {
    this.filer = filer;
  }

  /** Writes the resources; returns whether an hf_quant_config.json was written. */
  boolean write(TypeElement model, int numLayers, QuantConfig declared, ModuleNames names)
      throws IOException {
    List<String> ignore = HfQuantConfigWriter.ignoreList(declared, numLayers, names);
    String folder = GeneratedNames.resourceFolder(model);
    write(model, folder + "/" + QUANTIZATION_CONFIG,
        HfQuantConfigWriter.quantizationConfigBlock(declared, ignore));
    Map<String, Object> hf = HfQuantConfigWriter.hfQuantConfig(declared, ignore);
    if (hf != null) {
      write(model, folder + "/" + HF_QUANT_CONFIG, hf);
    }
    return hf != null;
  }

  private void write(TypeElement model, String path, Map<String, Object> tree) throws IOException {
    FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", path, model);
    try (Writer out = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
      out.write(HfQuantConfigWriter.toJson(tree));
    }
  }
}
