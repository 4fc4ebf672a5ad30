/**
 * How serving engines (vLLM, MAX, transformers) read a quantization: the {@code quantization_config} block of
 * a Hugging Face {@code config.json} and modelopt's {@code hf_quant_config.json}, as plain
 * {@code Map}/{@code List} trees in the key order the producers write. No JSON library here: the processor
 * and the runtime serialize the trees with their own.
 */
package io.jquant.annotations.serving;
