/**
 * Tensors as checkpoints store them: {@link io.jquant.config.tensor.StorageDType} (the safetensors element
 * types) and {@link io.jquant.runtime.tensor.StoredTensor} (name, type, shape, little-endian bytes).
 */
package io.jquant.runtime.tensor;
