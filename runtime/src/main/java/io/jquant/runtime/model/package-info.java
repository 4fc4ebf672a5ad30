/**
 * Building a model's layers from a checkpoint as a {@code QuantConfig} says: what the code the processor
 * generates (the {@code <Model>Wiring} classes) calls. {@link io.jquant.runtime.model.ModelWeights} checks
 * the checkpoint's own quantization config against the declared one before any weight is read, binds each
 * projection to its kernel, and quantizes a float checkpoint on the fly.
 */
package io.jquant.runtime.model;
