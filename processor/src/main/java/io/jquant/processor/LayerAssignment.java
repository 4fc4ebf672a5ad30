package io.jquant.processor;

import io.jquant.annotations.Role;
import io.jquant.annotations.rules.LayerRanges;
import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ModelDeclaration;
import io.jquant.annotations.rules.PartDeclaration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which layers each layer class of a clean model builds: a role with one class, that class builds every
 * layer; with several, each builds the layers its {@code layers} claims and the first of the role also the
 * layers none claims (they run unquantized).
 *
 * @param claimed per layer class, the layers its {@code layers} value claims (every layer when omitted)
 * @param builds per layer class, the layers the wiring builds with it
 * @param alone per layer class, whether it is the only class of its role
 */
record LayerAssignment(List<Set<Integer>> claimed, List<Set<Integer>> builds, List<Boolean> alone) {
  static LayerAssignment of(ModelDeclaration model, ModelCheck check) {
    int n = model.numLayers();
    List<Set<Integer>> claimed = new ArrayList<>();
    for (int i = 0; i < model.layerClasses().size(); i++) {
      PartDeclaration part = model.layerClasses().get(i);
      claimed.add(
          part.layers() == null ? all(n) : new TreeSet<>(LayerRanges.read(i, part.layers(), n).layers()));
    }
    List<Set<Integer>> builds = new ArrayList<>();
    List<Boolean> alone = new ArrayList<>();
    for (int i = 0; i < claimed.size(); i++) {
      Role role = check.roles().get(i);
      int first = check.roles().indexOf(role);
      boolean only = check.roles().lastIndexOf(role) == first;
      alone.add(only);
      if (only) {
        builds.add(all(n));
      } else if (i == first) {
        Set<Integer> mine = all(n);
        for (int j = 0; j < claimed.size(); j++) {
          if (j != i && check.roles().get(j) == role) {
            mine.removeAll(claimed.get(j));
          }
        }
        builds.add(mine);
      } else {
        builds.add(claimed.get(i));
      }
    }
    return new LayerAssignment(claimed, builds, alone);
  }

  /**
   * The layer class of {@code role} that claims {@code layer}, else the first of that role (which builds the
   * unclaimed layers), else -1.
   */
  int classFor(ModelCheck check, Role role, int layer) {
    int first = -1;
    for (int i = 0; i < claimed.size(); i++) {
      if (check.roles().get(i) == role) {
        if (claimed.get(i).contains(layer)) {
          return i;
        }
        first = first < 0 ? i : first;
      }
    }
    return first;
  }

  private static Set<Integer> all(int n) {
    Set<Integer> all = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return all;
  }
}
