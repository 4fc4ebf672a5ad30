package io.jquant.samples;

import io.jquant.config.QuantConfig;
import io.jquant.samples.llama.LlamaQuantConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Prints what jquant made of the annotated Llama sample at compile time: the validated {@code QuantConfig},
 * the questions MAX's config answers, the serving engines' view of it, and one weight quantized as the
 * declaration says.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    QuantConfig config = LlamaQuantConfig.config();
    System.out.println("Model " + LlamaQuantConfig.MODEL_NAME + ", " + LlamaQuantConfig.NUM_LAYERS
        + " layers, declared in io.jquant.samples.llama and checked at compile time.");
    System.out.println();
    System.out.println("QuantConfig (MAX's field names):");
    System.out.println(config.toJson());
    System.out.println();
    System.out.println("is_static " + config.isStatic() + ", is_fp4 " + config.isFp4()
        + ", is_nvfp4 " + config.isNvfp4() + ", scales_granularity_mnk " + config.scalesGranularityMnk());
    System.out
        .println("scales of a quantized [2048, 8192] weight: " + config.quantizedScalesType(2048, 8192));
    System.out.println("packed K of an 8192-wide FP4 weight: " + config.fp4PackedK(8192));
    System.out.println();
    System.out.println("config.json quantization_config, for vLLM and MAX:");
    System.out.println(resource(LlamaQuantConfig.QUANTIZATION_CONFIG_RESOURCE));
    System.out.println("hf_quant_config.json, as modelopt writes it:");
    System.out.println(resource(LlamaQuantConfig.HF_QUANT_CONFIG_RESOURCE));
    System.out.println();
    QuantizeDemo.run(config, QuantizeDemo.randomWeight("model.layers.0.mlp.gate_proj.weight", 512, 2048, 7),
        System.out);
  }

  private static String resource(String path) {
    try (InputStream in = Main.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource " + path + " is missing; was the processor run?");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
