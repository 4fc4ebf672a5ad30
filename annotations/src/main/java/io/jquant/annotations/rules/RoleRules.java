package io.jquant.annotations.rules;

import static io.jquant.annotations.ProjectionKind.DOWN;
import static io.jquant.annotations.ProjectionKind.GATE;
import static io.jquant.annotations.ProjectionKind.K;
import static io.jquant.annotations.ProjectionKind.O;
import static io.jquant.annotations.ProjectionKind.Q;
import static io.jquant.annotations.ProjectionKind.QKV;
import static io.jquant.annotations.ProjectionKind.UP;
import static io.jquant.annotations.ProjectionKind.V;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.Role;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules on a layer class's projections and role. MAX quantizes an MLP or an attention block all or
 * nothing, so a class is exactly one of them, with exactly that block's projections.
 */
final class RoleRules {
  static final Pattern DOTTED_NAME = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

  /** The role found (null when it cannot be told) and what was wrong. */
  record Result(Role role, List<Violation> violations) {}

  private RoleRules() {}

  static Result check(int part, PartDeclaration declaration) {
    String owner = simpleName(declaration.className());
    List<Violation> violations = new ArrayList<>();
    List<ProjectionDeclaration> projections = declaration.projections();
    Map<String, Integer> firstByName = new HashMap<>();
    boolean allKindsKnown = true;
    Set<Role> impliedRoles = EnumSet.noneOf(Role.class);
    Set<Integer> repeated = new HashSet<>();
    for (int i = 0; i < projections.size(); i++) {
      ProjectionDeclaration projection = projections.get(i);
      Place place = new Place(part, Attribute.PROJECTION, i);
      boolean wellFormed = DOTTED_NAME.matcher(projection.name()).matches();
      if (!wellFormed) {
        violations.add(new Violation(RuleId.PROJECTION_NAME, place,
            "projection name \"" + projection.name()
                + "\" is not a dotted checkpoint path like \"mlp.gate_proj\"."));
      }
      Integer first = firstByName.putIfAbsent(projection.name(), i);
      if (first != null) {
        repeated.add(i);
        violations.add(new Violation(RuleId.PROJECTION_DUPLICATE, place,
            "projection \"" + projection.name() + "\" is declared twice in " + owner
                + "; each projection reads its own tensors."));
      }
      ProjectionKind kind = projection.resolvedKind();
      if (kind == ProjectionKind.INFER) {
        allKindsKnown = false;
        // A malformed name is reported above; "add a kind" would be the wrong advice for it.
        if (!wellFormed) {
          continue;
        }
        violations.add(new Violation(RuleId.PROJECTION_UNKNOWN_KIND, place,
            "cannot tell which projection \"" + projection.name() + "\" is from its name; add a kind, e.g. "
                + "@Projection(value = \"" + projection.name()
                + "\", kind = ProjectionKind.Q). Names whose last "
                + "segment is gate_proj, up_proj, down_proj, q_proj, k_proj, v_proj, o_proj or qkv_proj"
                + " need none."));
      } else {
        impliedRoles.add(kind.role());
      }
    }

    Role role = declaration.role() == null ? Role.INFER : declaration.role();
    if (role == Role.INFER) {
      if (projections.isEmpty()) {
        violations.add(new Violation(RuleId.ROLE_NO_PROJECTIONS, Place.of(part, Attribute.ROLE),
            owner + " has no @Projection constructor parameters or fields, so its role cannot be inferred; "
                + "annotate its Linear projections with @Projection(\"mlp.gate_proj\") and the like."));
        return new Result(null, violations);
      }
      if (impliedRoles.size() > 1) {
        violations.add(new Violation(RuleId.ROLE_MIXED, Place.of(part, Attribute.ROLE),
            owner
                + " has both MLP and attention projections; MAX quantizes an MLP or an attention block as a "
                + "whole, so declare them in two layer classes."));
        return new Result(null, violations);
      }
      if (impliedRoles.isEmpty()) {
        return new Result(null, violations);
      }
      role = impliedRoles.iterator().next();
    }
    if (allKindsKnown) {
      violations.addAll(structure(part, owner, role, projections, repeated));
    }
    return new Result(role, violations);
  }

  /** An MLP has gate/up/down or up/down; attention q/k/v/o or qkv/o, each once. */
  private static List<Violation> structure(
      int part, String owner, Role role, List<ProjectionDeclaration> projections, Set<Integer> repeated) {
    RuleId rule = role == Role.MLP ? RuleId.ROLE_MLP_PROJECTIONS : RuleId.ROLE_ATTENTION_PROJECTIONS;
    String shape = role == Role.MLP
        ? "an MLP has gate, up and down projections (or up and down)"
        : "attention has q, k, v and o projections (or qkv and o)";
    List<Violation> violations = new ArrayList<>();
    Map<ProjectionKind, Integer> seen = new EnumMap<>(ProjectionKind.class);
    for (int i = 0; i < projections.size(); i++) {
      ProjectionDeclaration projection = projections.get(i);
      ProjectionKind kind = projection.resolvedKind();
      // A kind the user wrote is the value at fault; an inferred one is the name's.
      List<Place> place = List.of(new Place(part, Attribute.PROJECTION_KIND, i),
          new Place(part, Attribute.PROJECTION, i));
      if (repeated.contains(i)) {
        // A repeated name is reported as such; its kind still counts as present, but is not judged again.
        if (kind.role() == role) {
          seen.putIfAbsent(kind, i);
        }
        continue;
      }
      if (kind.role() != role) {
        violations.add(new Violation(rule, place,
            "\"" + projection.name() + "\" is " + (kind.role() == Role.MLP ? "an MLP" : "an attention")
                + " projection (" + kind + ") but " + owner + " is " + describe(role) + "; " + shape + "."));
      } else if (seen.putIfAbsent(kind, i) != null) {
        violations.add(new Violation(rule, place,
            owner + " has two " + kind + " projections (\"" + projections.get(seen.get(kind)).name()
                + "\" and \""
                + projection.name() + "\"); " + shape + "."));
      } else if (kind == QKV && (seen.containsKey(Q) || seen.containsKey(K) || seen.containsKey(V))
          || (kind == Q || kind == K || kind == V) && seen.containsKey(QKV)) {
        violations.add(new Violation(rule, place,
            owner + " has a fused QKV projection and separate q/k/v projections; " + shape + "."));
      }
    }
    List<ProjectionKind> missing = new ArrayList<>();
    if (role == Role.MLP) {
      if (!seen.containsKey(UP)) {
        missing.add(UP);
      }
      if (!seen.containsKey(DOWN)) {
        missing.add(DOWN);
      }
    } else {
      if (!seen.containsKey(QKV)) {
        for (ProjectionKind kind : List.of(Q, K, V)) {
          if (!seen.containsKey(kind)) {
            missing.add(kind);
          }
        }
      }
      if (!seen.containsKey(O)) {
        missing.add(O);
      }
    }
    if (!missing.isEmpty()) {
      violations.add(new Violation(rule, Place.of(part, Attribute.ROLE),
          owner + " is " + describe(role) + " without "
              + String.join(", ", missing.stream().map(Enum::name).toList())
              + " projection" + (missing.size() > 1 ? "s" : "") + "; " + shape + "."));
    }
    return violations;
  }

  static boolean hasGateAndUp(PartDeclaration declaration) {
    Set<ProjectionKind> kinds = EnumSet.noneOf(ProjectionKind.class);
    declaration.projections().forEach(p -> kinds.add(p.resolvedKind()));
    return kinds.contains(GATE) && kinds.contains(UP);
  }

  private static String describe(Role role) {
    return role == Role.MLP ? "an MLP" : "attention";
  }

  static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }
}
