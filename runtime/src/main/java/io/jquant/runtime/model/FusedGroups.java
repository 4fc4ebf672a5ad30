package io.jquant.runtime.model;

import io.jquant.annotations.QuantFormat;
import io.jquant.runtime.numerics.AbsMax;
import io.jquant.runtime.tensor.TensorView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The projections a serving engine fuses because they read the same input: a layer's q/k/v ({@code q_proj},
 * {@code k_proj}, {@code v_proj}, or BERT's {@code query}, {@code key}, {@code value}) and its gate/up
 * ({@code gate_proj}, {@code up_proj}), siblings under one parent module. modelopt's export
 * ({@code preprocess_linear_fusion}, NVIDIA/Model-Optimizer 01e438bf) gives such a group one input amax and
 * one weight amax, the largest of its members', so that the fused layer has one {@code input_scale} and one
 * {@code weight_scale_2}: vLLM keeps only the largest of each when it fuses, and MAX's
 * {@code can_use_fused_mlp} needs gate and up to agree. A calibrated checkpoint follows that rule.
 */
public final class FusedGroups {
  private static final List<Set<String>> SIBLINGS = List.of(Set.of("q_proj", "k_proj", "v_proj"),
      Set.of("query", "key", "value"), Set.of("gate_proj", "up_proj"));

  private FusedGroups() {}

  /**
   * Each of {@code modules} that shares a group with another of them, mapped to its group's members among
   * {@code modules} (in their order); modules alone in their group are left out.
   */
  public static Map<String, List<String>> of(Collection<String> modules) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String module : modules) {
      int dot = module.lastIndexOf('.');
      String parent = dot < 0 ? "" : module.substring(0, dot + 1);
      String last = module.substring(dot + 1);
      for (Set<String> siblings : SIBLINGS) {
        if (siblings.contains(last)) {
          List<String> members = new ArrayList<>();
          for (String other : modules) {
            int otherDot = other.lastIndexOf('.');
            if (other.substring(0, otherDot + 1).equals(parent)
                && siblings.contains(other.substring(otherDot + 1))) {
              members.add(other);
            }
          }
          if (members.size() > 1) {
            groups.put(module, List.copyOf(members));
          }
        }
      }
    }
    return groups;
  }

  /**
   * The shared weight amax of every grouped module: the largest {@code max|W|} over its group's
   * {@code <member>.weight} float tensors (F32, BF16 or F16), each read once.
   *
   * @param tensor the weight tensor of a name
   * @param description what errors name as the source
   * @throws IllegalArgumentException naming the tensor when it is no float tensor or holds a non-finite value
   */
  /**
   * For an NVFP4 checkpoint of {@code modules}, each fused module's shared weight amax ({@link #weightAmax}
   * of {@link #of}); for other formats none: only NVFP4 shares a weight scale.
   */
  public static Map<String, Float> nvfp4WeightAmax(QuantFormat format, Collection<String> modules,
      Function<String, TensorView> tensor, String description) {
    return format != QuantFormat.NVFP4 ? Map.of() : weightAmax(of(modules), tensor, description);
  }

  public static Map<String, Float> weightAmax(Map<String, List<String>> groups,
      Function<String, TensorView> tensor,
      String description) {
    Map<String, Float> own = new LinkedHashMap<>();
    for (List<String> members : groups.values()) {
      for (String member : members) {
        own.computeIfAbsent(member, m -> {
          TensorView weight = tensor.apply(m + ".weight");
          float[] values = FloatTensors.widen(description, weight);
          float amax = AbsMax.of(values, 0, values.length);
          if (!Float.isFinite(amax)) {
            throw new IllegalArgumentException(description + ": tensor '" + weight.name()
                + "' holds a non-finite value; a quantized weight must be finite");
          }
          return amax;
        });
      }
    }
    Map<String, Float> shared = new LinkedHashMap<>();
    groups.forEach((module, members) -> shared.put(module,
        members.stream().map(own::get).reduce(Float::max).orElseThrow()));
    return shared;
  }
}
