/**
 * Checkpoint I/O: {@link io.jquant.runtime.checkpoint.SafetensorsFile} memory-maps and validates one
 * safetensors file (docs/FORMATS.md §6), {@link io.jquant.runtime.checkpoint.Checkpoint} opens a single file
 * or a Hugging Face checkpoint directory (one file or shards with {@code model.safetensors.index.json}),
 * {@link io.jquant.runtime.checkpoint.SafetensorsWriter} and
 * {@link io.jquant.runtime.checkpoint.CheckpointWriter} write them atomically;
 * {@link io.jquant.runtime.checkpoint.CheckpointQuantizer} streams a float checkpoint through a quantizer
 * into a writer on {@link io.jquant.runtime.checkpoint.TensorPipeline}'s ordered workers.
 */
package io.jquant.runtime.checkpoint;
