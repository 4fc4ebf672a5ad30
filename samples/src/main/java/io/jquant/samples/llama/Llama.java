package io.jquant.samples.llama;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantizedModel;

/**
 * A Llama-3.2-1B-shaped model: 16 layers, NVFP4 MLPs on every layer, NVFP4 attention on all but the
 * first and the last (where quantization hurts most), the embedding output in bfloat16.
 *
 * <p>From this declaration jquant generates {@link LlamaQuantConfig}.
 */
@QuantizedModel(
    name = "llama-3.2-1b",
    numLayers = 16,
    layerClasses = {LlamaAttention.class, LlamaMlp.class},
    embeddingOutputDtype = DType.BFLOAT16,
    fusedMlp = true)
public final class Llama {
  private Llama() {}
}
