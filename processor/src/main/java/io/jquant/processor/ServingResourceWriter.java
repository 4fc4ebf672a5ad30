package io.jquant.processor;

import com.fasterxml.jackson.jr.ob.JSON;
import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ModelDeclaration;
import io.jquant.annotations.serving.IgnoreList;
import io.jquant.annotations.serving.ServingConfig;
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
 * {@code quantization_config} block and, for NVFP4, modelopt's {@code hf_quant_config.json}. The ignore list
 * names modules with the model's {@link ModuleNames}, which the checkpoint check reads it back with.
 */
final class ServingResourceWriter {
  static final String QUANTIZATION_CONFIG = "quantization_config.json";
  static final String HF_QUANT_CONFIG = "hf_quant_config.json";

  private static final JSON JSON_WRITER = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT,
      JSON.Feature.WRITE_NULL_PROPERTIES);

  private final Filer filer;

  ServingResourceWriter(Filer filer) {
    this.filer = filer;
  }

  /** Writes the resources; returns whether an hf_quant_config.json was written. */
  boolean write(TypeElement model, ModelDeclaration declaration, ModelCheck check, ModuleNames names)
      throws IOException {
    List<String> ignore = IgnoreList.of(declaration.numLayers(), names.checkpointPrefix(),
        check.mlpQuantizedLayers(), check.attnQuantizedLayers(), names.mlp(), names.attention());
    String folder = GeneratedNames.resourceFolder(model);
    write(model, folder + "/" + QUANTIZATION_CONFIG,
        ServingConfig.quantizationConfig(check.format(), check.input(), check.weight(), ignore));
    Map<String, Object> hf = ServingConfig.hfQuantConfig(check.format(), ignore);
    if (hf != null) {
      write(model, folder + "/" + HF_QUANT_CONFIG, hf);
    }
    return hf != null;
  }

  private void write(TypeElement model, String path, Map<String, Object> tree) throws IOException {
    FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", path, model);
    try (Writer out = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
      out.write(JSON_WRITER.asString(tree));
      out.write('\n');
    }
  }
}
