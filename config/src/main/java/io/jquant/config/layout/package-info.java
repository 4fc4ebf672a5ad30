/**
 * The table of the layouts in which checkpoints store a quantized linear layer
 * ({@link io.jquant.config.layout.StoredLayout}): how each is recognised from its tensors' names, dtypes and
 * shapes, and which tensors, dtypes, shapes and scale values it needs. The format detector, the loader,
 * {@code jquant dequantize} and {@code jquant inspect} all check a layer against it, so they recognise and
 * refuse the same layers with the same words; the bytes are read in the runtime
 * ({@code io.jquant.runtime.layout}).
 */
package io.jquant.config.layout;
