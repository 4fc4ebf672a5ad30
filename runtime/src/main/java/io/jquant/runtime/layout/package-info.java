/**
 * The bytes of the stored layouts of {@link io.jquant.config.layout.StoredLayout}: a layer's tensors checked
 * against the table ({@link io.jquant.runtime.layout.StoredLayer}), its scales widened and checked, read into
 * a {@link io.jquant.runtime.quant.QuantizedWeights} or run by the layout's kernel. The loader,
 * {@code jquant dequantize} and {@code jquant inspect} read every quantized layer through here.
 */
package io.jquant.runtime.layout;
