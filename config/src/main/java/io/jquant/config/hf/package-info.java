/**
 * Hugging Face checkpoints' quantization configs: {@code config.json}'s {@code quantization_config} and
 * modelopt's {@code hf_quant_config.json} to a {@link io.jquant.config.QuantConfig}, as MAX's
 * {@code parse_quant_config} maps them (docs/FORMATS.md §5), and back for {@code jquant quantize}.
 *
 * <p>Entry points: {@link io.jquant.config.hf.HfQuantConfigParser} (config files and tensor list to
 * {@link io.jquant.config.hf.HfQuantization}), {@link io.jquant.config.hf.FormatDetector} (the format from
 * tensor names and dtypes alone), {@link io.jquant.config.hf.IgnorePatterns} (ignore / exclude lists) and
 * {@link io.jquant.config.hf.HfQuantConfigWriter} (the reverse).
 */
package io.jquant.config.hf;
