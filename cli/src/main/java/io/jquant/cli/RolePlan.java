package io.jquant.cli;

import io.jquant.config.hf.ModuleNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@link QuantizePlan}'s decision per layer and role: a layer's MLP (or attention) is quantized when every
 * projection of it the checkpoint holds can be, else every one stays float and all of its names go on the
 * ignore list. A role with no tensor in a layer is in neither set and on no list.
 *
 * @param mlp layers whose MLP is quantized
 * @param attn layers whose attention is quantized
 * @param roleWeights the weights of every role the checkpoint holds
 * @param floatReasons for each weight of a role kept float that could have been quantized alone, why not
 * @param floatModules every projection module of the roles kept float, layer by layer, MLP first
 * @param warnings one per role kept float, unless --exclude asked for every projection it holds
 */
record RolePlan(SortedSet<Integer> mlp, SortedSet<Integer> attn, Set<String> roleWeights,
    Map<String, String> floatReasons, List<String> floatModules, List<String> warnings) {

  private static final String ALL_OR_NOTHING = "(MLP and attention are quantized all or nothing per layer)";

  /** No roles: every tensor is decided alone. */
  static RolePlan none() {
    return new RolePlan(new TreeSet<>(), new TreeSet<>(), Set.of(), Map.of(), List.of(), List.of());
  }

  /**
   * The roles of {@code layout}'s layers, given each tensor's own obstacle to quantization ({@code own} holds
   * every tensor of the checkpoint).
   */
  static RolePlan of(CheckpointModuleNames layout, Map<String, Optional<QuantizePlan.Obstacle>> own) {
    RolePlan plan = new RolePlan(new TreeSet<>(), new TreeSet<>(), new LinkedHashSet<>(), new HashMap<>(),
        new ArrayList<>(), new ArrayList<>());
    ModuleNames names = layout.names();
    for (int layer = 0; layer < layout.layerCount(); layer++) {
      plan.decide(names, layer, names.mlp(), "MLP", own, plan.mlp);
      plan.decide(names, layer, names.attention(), "attention", own, plan.attn);
    }
    return new RolePlan(Collections.unmodifiableSortedSet(plan.mlp),
        Collections.unmodifiableSortedSet(plan.attn), Collections.unmodifiableSet(plan.roleWeights),
        Collections.unmodifiableMap(plan.floatReasons), List.copyOf(plan.floatModules),
        List.copyOf(plan.warnings));
  }

  /** Whether {@code weight} belongs to a layer's role. */
  boolean inRole(String weight) {
    return roleWeights.contains(weight);
  }

  private void decide(ModuleNames names, int layer, List<String> projections, String role,
      Map<String, Optional<QuantizePlan.Obstacle>> own, Set<Integer> quantizedLayers) {
    List<String> held = new ArrayList<>();
    List<String> blockers = new ArrayList<>();
    boolean onlyExcluded = true;
    String parent = commonParent(projections);
    for (String p : projections) {
      String weight = names.module(layer, p) + ".weight";
      Optional<QuantizePlan.Obstacle> obstacle = own.get(weight);
      if (obstacle == null) {
        continue; // not in the checkpoint
      }
      held.add(weight);
      if (obstacle.isPresent()) {
        blockers.add(p.substring(parent.isEmpty() ? 0 : parent.length() + 1) + " "
            + obstacle.get().predicate());
        onlyExcluded &= obstacle.get().excluded();
      } else {
        onlyExcluded = false;
      }
    }
    roleWeights.addAll(held);
    if (held.isEmpty()) {
      return;
    }
    if (blockers.isEmpty()) {
      quantizedLayers.add(layer);
      return;
    }
    String why = String.join(", ", blockers);
    for (String weight : held) {
      floatReasons.put(weight, "the layer's " + role + " stays float: " + why);
    }
    projections.forEach(p -> floatModules.add(names.module(layer, p)));
    if (!onlyExcluded) {
      String where = parent.isEmpty() ? names.layerPrefix(layer) : names.module(layer, parent);
      warnings.add(where + ": " + why + "; the layer's whole " + role + " stays float " + ALL_OR_NOTHING);
    }
  }

  /** The dotted parent all of {@code projections} share, e.g. {@code mlp}; empty when there is none. */
  private static String commonParent(List<String> projections) {
    List<String> first = List.of(projections.get(0).split("\\."));
    int shared = first.size() - 1;
    for (String p : projections) {
      List<String> parts = List.of(p.split("\\."));
      int i = 0;
      while (i < Math.min(shared, parts.size() - 1) && parts.get(i).equals(first.get(i))) {
        i++;
      }
      shared = i;
    }
    return first.subList(0, shared).stream().collect(Collectors.joining("."));
  }
}
