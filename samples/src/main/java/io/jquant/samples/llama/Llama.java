package io.jquant.samples.llama;

import io.jquant.annotations.QuantizedModel;

/**
 * stories260K, llama2.c's smallest trained Llama (5 layers, hidden 64) in Hugging Face layout: NVFP4 MLPs on
 * every layer, NVFP4 attention on all but the first and the last (where quantization hurts most), gate and up
 * fused where the format allows.
 *
 * <p>The embedding output dtype is left unset, as MAX leaves it: the lookup's output stays in the
 * checkpoint's dtype, float32 here, which is what transformers' reference computes with. (Declaring bfloat16,
 * as a Llama-3 checkpoint would, rounds the residual stream's input and costs agreement with the reference.)
 *
 * <p>From this declaration jquant generates {@link LlamaQuantConfig}.
 */
@QuantizedModel(
    name = "stories260K",
    numLayers = 5,
    layerClasses = { LlamaAttention.class, LlamaMlp.class },
    fusedMlp = true)
public final class Llama {
  private Llama() {}
}
