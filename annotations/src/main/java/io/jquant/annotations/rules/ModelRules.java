package io.jquant.annotations.rules;

import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Checks a whole {@code @QuantizedModel} declaration: the model, each layer class, and how they fit. */
public final class ModelRules {
  private ModelRules() {}

  /** Every violation in {@code model}, and the configuration it declares. */
  public static ModelCheck check(ModelDeclaration model) {
    List<Violation> violations = new ArrayList<>(modelAttributes(model));
    List<PartDeclaration> parts = model.layerClasses();
    List<Role> roles = new ArrayList<>();
    List<List<Set<Integer>>> layersPerEntry = new ArrayList<>();
    Map<String, Integer> firstListing = new HashMap<>();
    Integer firstQuantized = null;
    boolean referenceSpecsClean = false;
    // Whether a listed class's role is unknown for a reason other than being a repeated listing.
    boolean someRoleUnknown = false;

    for (int i = 0; i < parts.size(); i++) {
      PartDeclaration part = parts.get(i);
      roles.add(null);
      layersPerEntry.add(null);
      Integer earlier = firstListing.putIfAbsent(part.className(), i);
      if (earlier != null) {
        violations
            .add(new Violation(RuleId.MODEL_DUPLICATE_LAYER_CLASS, Place.model(Attribute.LAYER_CLASSES, i),
                RoleRules.simpleName(part.className()) + " is listed twice in layerClasses; list it once."));
        continue;
      }
      if (!part.quantized()) {
        violations.add(new Violation(RuleId.MODEL_NOT_QUANTIZED, Place.model(Attribute.LAYER_CLASSES, i),
            RoleRules.simpleName(part.className()) + " is listed in layerClasses but has no @Quantized; "
                + "annotate it with @Quantized(format = ...) or remove it from the list."));
        someRoleUnknown = true;
        continue;
      }
      List<Violation> specViolations = SpecRules.check(i, part.format(), part.input(), part.weight());
      violations.addAll(checkPart(i, part, model.numLayers(), roles, layersPerEntry));
      violations.addAll(specViolations);
      someRoleUnknown |= roles.get(i) == null;
      if (firstQuantized == null) {
        firstQuantized = i;
        referenceSpecsClean = specViolations.isEmpty();
      } else {
        // A spec that breaks a rule of its own is reported on its value; comparing it with the other
        // class's would report the same value twice (or blame a correct class for a wrong reference).
        violations.addAll(agreement(i, part, parts.get(firstQuantized),
            referenceSpecsClean && specViolations.isEmpty()));
      }
    }
    if (parts.isEmpty()) {
      violations.add(new Violation(RuleId.MODEL_NO_LAYER_CLASSES, Place.model(Attribute.LAYER_CLASSES),
          RoleRules.simpleName(model.className()) + " lists no layer classes; name its @Quantized MLP and "
              + "attention classes in layerClasses."));
    }

    Map<Role, Set<Integer>> quantized = claims(parts, roles, layersPerEntry, violations);
    PartDeclaration reference = firstQuantized == null ? null : parts.get(firstQuantized);
    QuantFormat format = reference == null ? null : reference.format();
    if (format != null) {
      violations.addAll(FlagRules.check(format, model.embeddingOutputDtype(), model.biasDtype(),
          model.fusedMlp(), model.scalesPreInterleaved()));
    }
    // Only when every class's role is known (an unknown one may be the MLP, and its own error says
    // why), and the format allows a fused MLP at all (else that error already says "remove fusedMlp").
    boolean fusedMlpFormatRefused = violations.stream()
        .anyMatch(v -> v.rule() == RuleId.FLAGS_FUSED_MLP_FORMAT);
    if (model.fusedMlp() && !parts.isEmpty() && !someRoleUnknown && !fusedMlpFormatRefused
        && !hasFusableMlp(parts, roles)) {
      violations.add(new Violation(RuleId.FLAGS_FUSED_MLP_NEEDS_GATE_UP, Place.model(Attribute.FUSED_MLP),
          "fusedMlp runs gate and up as one matmul, but no MLP layer class has both a gate and an up"
              + " projection."));
    }
    return new ModelCheck(violations, format,
        reference == null ? null : reference.input(), reference == null ? null : reference.weight(),
        quantized.getOrDefault(Role.MLP, Set.of()), quantized.getOrDefault(Role.ATTENTION, Set.of()), roles);
  }

  private static List<Violation> modelAttributes(ModelDeclaration model) {
    List<Violation> violations = new ArrayList<>();
    if (model.name() == null || model.name().isBlank()) {
      violations.add(new Violation(RuleId.MODEL_NAME, Place.model(Attribute.MODEL_NAME),
          "a model needs a name, e.g. name = \"llama-3.2-1b\"."));
    }
    String numLayersProblem = SpecMessages.numLayers(model.numLayers());
    if (numLayersProblem != null) {
      violations
          .add(new Violation(RuleId.MODEL_NUM_LAYERS, Place.model(Attribute.NUM_LAYERS), numLayersProblem));
    }
    String prefix = model.checkpointPrefix();
    int placeholders = prefix.split("\\{layer}", -1).length - 1;
    if (placeholders != 1 || !RoleRules.DOTTED_NAME.matcher(prefix.replace("{layer}", "0")).matches()) {
      violations.add(new Violation(RuleId.MODEL_CHECKPOINT_PREFIX, Place.model(Attribute.CHECKPOINT_PREFIX),
          "checkpoint prefix \"" + prefix + "\" is not a dotted name with one {layer} placeholder, like "
              + "\"model.layers.{layer}\"."));
    }
    return violations;
  }

  /**
   * The rules a {@code @Quantized} class obeys on its own (layers syntax, role and projections, scale specs),
   * for a class that no model in the compilation lists. Its places name part 0; layer indices are bounded by
   * {@link LayerRanges#MAX_LAYERS} only, since no model gives a count.
   */
  public static List<Violation> checkLayerClass(PartDeclaration part) {
    List<Role> roles = new ArrayList<>();
    roles.add(null);
    List<List<Set<Integer>>> layersPerEntry = new ArrayList<>();
    layersPerEntry.add(null);
    List<Violation> violations = new ArrayList<>(checkPart(0, part, 0, roles, layersPerEntry));
    violations.addAll(SpecRules.check(0, part.format(), part.input(), part.weight()));
    return violations;
  }

  private static List<Violation> checkPart(
      int i, PartDeclaration part, int numLayers, List<Role> roles, List<List<Set<Integer>>> layersPerEntry) {
    List<Violation> violations = new ArrayList<>();
    if (part.layers() != null && part.layers().isEmpty()) {
      violations.add(new Violation(RuleId.LAYERS_EMPTY, Place.of(i, Attribute.LAYERS),
          "layers = {} quantizes no layer; omit layers to quantize every layer, or list them like"
              + " {\"0-15\"}."));
    } else if (part.layers() != null) {
      LayerRanges.Result read = LayerRanges.read(i, part.layers(), numLayers);
      violations.addAll(read.violations());
      layersPerEntry.set(i, read.perEntry());
    } else if (numLayers > 0 && numLayers <= LayerRanges.MAX_LAYERS) {
      Set<Integer> all = new TreeSet<>();
      for (int layer = 0; layer < numLayers; layer++) {
        all.add(layer);
      }
      layersPerEntry.set(i, List.of(all));
    }
    RoleRules.Result role = RoleRules.check(i, part);
    violations.addAll(role.violations());
    roles.set(i, role.role());
    return violations;
  }

  /** MAX's QuantConfig has one format and one pair of scale specs for the whole model. */
  private static List<Violation> agreement(
      int i, PartDeclaration part, PartDeclaration reference, boolean compareScales) {
    String owner = RoleRules.simpleName(part.className());
    String other = RoleRules.simpleName(reference.className());
    if (part.format() != reference.format()) {
      return List.of(new Violation(RuleId.MODEL_MIXED_FORMATS, Place.of(i, Attribute.FORMAT),
          owner + " is " + part.format() + " but " + other + " is " + reference.format()
              + "; a model has one format."));
    }
    if (!compareScales) {
      return List.of();
    }
    List<Place> places = new ArrayList<>();
    InputSpec in = part.input();
    InputSpec refIn = reference.input();
    WeightSpec w = part.weight();
    WeightSpec refW = reference.weight();
    addIf(places, in.granularity() != refIn.granularity(), i, Attribute.INPUT_GRANULARITY);
    addIf(places, in.origin() != refIn.origin(), i, Attribute.INPUT_ORIGIN);
    addIf(places, in.dtype() != refIn.dtype(), i, Attribute.INPUT_DTYPE);
    addIf(places, !Objects.equals(in.block(), refIn.block()), i, Attribute.INPUT_BLOCK);
    addIf(places, !Objects.equals(in.activationUpperBound(), refIn.activationUpperBound()), i,
        Attribute.INPUT_UPPER_BOUND);
    addIf(places, w.granularity() != refW.granularity(), i, Attribute.WEIGHT_GRANULARITY);
    addIf(places, w.dtype() != refW.dtype(), i, Attribute.WEIGHT_DTYPE);
    addIf(places, !Objects.equals(w.block(), refW.block()), i, Attribute.WEIGHT_BLOCK);
    if (places.isEmpty()) {
      return List.of();
    }
    return List.of(new Violation(RuleId.MODEL_MIXED_SCALES, places,
        owner + " has input scales " + in + " and weight scales " + w + ", but " + other + " has " + refIn
            + " and " + refW + "; a model has one input and one weight scale spec, so declare the same "
            + "@InputScale/@WeightScale on both."));
  }

  private static void addIf(List<Place> places, boolean condition, int part, Attribute attribute) {
    if (condition) {
      places.add(Place.of(part, attribute));
    }
  }

  /** The layers each role quantizes; a layer claimed by a second class of the same role is a violation. */
  private static Map<Role, Set<Integer>> claims(
      List<PartDeclaration> parts, List<Role> roles, List<List<Set<Integer>>> layersPerEntry,
      List<Violation> violations) {
    Map<Role, Map<Integer, Integer>> owner = new HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      Role role = roles.get(i);
      List<Set<Integer>> entries = layersPerEntry.get(i);
      if (role == null || entries == null) {
        continue;
      }
      Map<Integer, Integer> claimed = owner.computeIfAbsent(role, r -> new TreeMap<>());
      boolean explicit = parts.get(i).layers() != null;
      for (int e = 0; e < entries.size(); e++) {
        Set<Integer> taken = new TreeSet<>();
        int previousOwner = -1;
        for (int layer : entries.get(e)) {
          Integer by = claimed.putIfAbsent(layer, i);
          if (by != null) {
            taken.add(layer);
            previousOwner = previousOwner < 0 ? by : previousOwner;
          }
        }
        if (!taken.isEmpty()) {
          String other = RoleRules.simpleName(parts.get(previousOwner).className());
          violations.add(new Violation(RuleId.LAYERS_CLAIMED_TWICE,
              explicit ? new Place(i, Attribute.LAYERS, e) : Place.of(i, Attribute.LAYERS),
              (taken.size() == 1 ? "layer " : "layers ") + LayerRanges.describe(taken) + " already "
                  + (taken.size() == 1 ? "has" : "have") + " "
                  + (role == Role.MLP ? "an MLP" : "an attention")
                  + " class, " + other + "; each layer has one " + (role == Role.MLP ? "MLP" : "attention")
                  + " class."));
        }
      }
    }
    Map<Role, Set<Integer>> result = new HashMap<>();
    owner.forEach((role, claimed) -> result.put(role, new TreeSet<>(claimed.keySet())));
    return result;
  }

  private static boolean hasFusableMlp(List<PartDeclaration> parts, List<Role> roles) {
    for (int i = 0; i < parts.size(); i++) {
      if (roles.get(i) == Role.MLP && RoleRules.hasGateAndUp(parts.get(i))) {
        return true;
      }
    }
    return false;
  }
}
