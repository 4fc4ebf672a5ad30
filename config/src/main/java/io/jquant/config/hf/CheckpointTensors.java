package io.jquant.config.hf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The checkpoint's tensors as MAX's parser consults its {@code state_dict}: names, dtypes and shapes, and the
 * values of one-element scales (the fused-MLP check compares gate and up scalars).
 *
 * <p>MAX reads from the tensors: scale dtypes ({@code weight_scale}, {@code input_scale}), the embedding
 * output dtype ({@code embed_tokens.weight}, else {@code lm_head.weight}), the bias dtype ({@code *.bias}),
 * FBGEMM's row-wise scale shapes, whether a config-less FP4 checkpoint is NVFP4 ({@code weight_scale_2}), and
 * {@code can_use_fused_mlp}. {@link #none()} stands for "not read": the parser then uses the format's default
 * dtypes, leaves the embedding and bias dtypes null and allows the fused MLP (MAX's loop over an empty state
 * dict).
 */
public final class CheckpointTensors {
  private static final CheckpointTensors NONE = new CheckpointTensors(null, Map.of());

  private final Map<String, TensorInfo> byName;
  private final Map<String, Double> scalars;

  private CheckpointTensors(Map<String, TensorInfo> byName, Map<String, Double> scalars) {
    this.byName = byName;
    this.scalars = scalars;
  }

  /** No tensor information: the parser works from the config files alone. */
  public static CheckpointTensors none() {
    return NONE;
  }

  /** Names, dtypes and shapes without values; a scalar comparison that needs a value counts as unequal. */
  public static CheckpointTensors of(List<TensorInfo> tensors) {
    return of(tensors, Map.of());
  }

  /**
   * Names, dtypes and shapes, with the values of some one-element float tensors.
   *
   * @throws IllegalArgumentException if two tensors share a name
   */
  public static CheckpointTensors of(List<TensorInfo> tensors, Map<String, Double> scalarValues) {
    Map<String, TensorInfo> byName = new LinkedHashMap<>();
    for (TensorInfo t : tensors) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalArgumentException("tensor " + t.name() + " appears twice in the checkpoint");
      }
    }
    return new CheckpointTensors(Collections.unmodifiableMap(byName), Map.copyOf(scalarValues));
  }

  /** Whether tensor information was given (false for {@link #none()}). */
  public boolean isKnown() {
    return byName != null;
  }

  /** The tensors in checkpoint order; empty for {@link #none()}. */
  public List<TensorInfo> tensors() {
    return byName == null ? List.of() : List.copyOf(byName.values());
  }

  /** The tensor named {@code name}. */
  public Optional<TensorInfo> get(String name) {
    Objects.requireNonNull(name, "name");
    return byName == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
  }

  /** The value of the one-element tensor {@code name}, when it was given. */
  public OptionalDouble scalar(String name) {
    Double value = scalars.get(name);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }
}
