package io.jquant.config.layout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A checkpoint's tensors grouped by layer: {@code model.layers.0.mlp.up_proj.weight_scale} is tensor
 * {@code weight_scale} of layer {@code model.layers.0.mlp.up_proj} (the name up to its last dot; a name
 * without a dot belongs to layer {@code ""}).
 */
public final class ModuleTensors {
  private ModuleTensors() {}

  /** The tensors by layer, then by their name relative to the layer, both in checkpoint order. */
  public static <T> Map<String, Map<String, T>> byModule(List<T> tensors, Function<T, String> name) {
    Map<String, Map<String, T>> modules = new LinkedHashMap<>();
    for (T tensor : tensors) {
      String full = name.apply(tensor);
      modules.computeIfAbsent(module(full), m -> new LinkedHashMap<>()).put(part(full), tensor);
    }
    return modules;
  }

  /** The layer of a tensor name: everything before its last dot, or {@code ""}. */
  public static String module(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(0, dot);
  }

  /** The tensor's name relative to its layer: everything after its last dot. */
  public static String part(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
