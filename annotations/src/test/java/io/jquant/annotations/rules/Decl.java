package io.jquant.annotations.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.annotations.DType;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Test declarations: a Llama-shaped model (an MLP class with {@code mlp.gate_proj/up_proj/down_proj}, an
 * attention class with {@code self_attn.q_proj/k_proj/v_proj/o_proj}) and small "withers" to change one thing
 * at a time, plus assertions on violations.
 */
final class Decl {
  static final String PKG = "com.example.llama.";
  static final String MODEL_CLASS = PKG + "Llama";
  static final String MLP_CLASS = PKG + "LlamaMlp";
  static final String ATTN_CLASS = PKG + "LlamaAttention";

  private Decl() {}

  // ---- projections ----

  static ProjectionDeclaration proj(String name) {
    return new ProjectionDeclaration(name, ProjectionKind.INFER);
  }

  static ProjectionDeclaration proj(String name, ProjectionKind kind) {
    return new ProjectionDeclaration(name, kind);
  }

  static List<ProjectionDeclaration> projs(String... names) {
    return Arrays.stream(names).map(Decl::proj).toList();
  }

  static List<ProjectionDeclaration> mlpProjections() {
    return projs("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");
  }

  static List<ProjectionDeclaration> attnProjections() {
    return projs("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj");
  }

  // ---- layer classes ----

  /** A quantized class with the format's default scale specs; {@code layers} null means omitted. */
  static PartDeclaration part(
      String className, QuantFormat format, List<String> layers, List<ProjectionDeclaration> projections) {
    FormatProfile profile = FormatProfile.of(format);
    return new PartDeclaration(className, true, format, layers, Role.INFER,
        profile.defaultInput(), profile.defaultWeight(), projections);
  }

  static PartDeclaration mlp(QuantFormat format, String... layers) {
    return part(MLP_CLASS, format, List.of(layers), mlpProjections());
  }

  static PartDeclaration attn(QuantFormat format, String... layers) {
    return part(ATTN_CLASS, format, List.of(layers), attnProjections());
  }

  static PartDeclaration withLayers(PartDeclaration p, List<String> layers) {
    return new PartDeclaration(p.className(), p.quantized(), p.format(), layers, p.role(), p.input(),
        p.weight(),
        p.projections());
  }

  static PartDeclaration withClassName(PartDeclaration p, String className) {
    return new PartDeclaration(className, p.quantized(), p.format(), p.layers(), p.role(), p.input(),
        p.weight(),
        p.projections());
  }

  static PartDeclaration withRole(PartDeclaration p, Role role) {
    return new PartDeclaration(p.className(), p.quantized(), p.format(), p.layers(), role, p.input(),
        p.weight(),
        p.projections());
  }

  static PartDeclaration withProjections(PartDeclaration p, List<ProjectionDeclaration> projections) {
    return new PartDeclaration(p.className(), p.quantized(), p.format(), p.layers(), p.role(), p.input(),
        p.weight(),
        projections);
  }

  static PartDeclaration withInput(PartDeclaration p, InputSpec input) {
    return new PartDeclaration(p.className(), p.quantized(), p.format(), p.layers(), p.role(), input,
        p.weight(),
        p.projections());
  }

  static PartDeclaration withWeight(PartDeclaration p, WeightSpec weight) {
    return new PartDeclaration(p.className(), p.quantized(), p.format(), p.layers(), p.role(), p.input(),
        weight,
        p.projections());
  }

  // ---- models ----

  static ModelDeclaration model(int numLayers, PartDeclaration... parts) {
    return new ModelDeclaration(MODEL_CLASS, "llama-3.2-1b", numLayers, "model.layers.{layer}",
        List.of(parts),
        null, null, false, false);
  }

  /** The Llama of the design: 16 layers, the MLP quantized on 0-15, attention on 1-14. */
  static ModelDeclaration llama(QuantFormat format) {
    return model(16, mlp(format, "0-15"), attn(format, "1-14"));
  }

  /** The Llama whose attention class (part 1) is replaced by {@code attention}. */
  static ModelDeclaration llamaWithAttention(QuantFormat format, PartDeclaration attention) {
    return model(16, mlp(format, "0-15"), attention);
  }

  static ModelDeclaration withName(ModelDeclaration m, String name) {
    return new ModelDeclaration(m.className(), name, m.numLayers(), m.checkpointPrefix(), m.layerClasses(),
        m.embeddingOutputDtype(), m.biasDtype(), m.fusedMlp(), m.scalesPreInterleaved());
  }

  static ModelDeclaration withNumLayers(ModelDeclaration m, int numLayers) {
    return new ModelDeclaration(m.className(), m.name(), numLayers, m.checkpointPrefix(), m.layerClasses(),
        m.embeddingOutputDtype(), m.biasDtype(), m.fusedMlp(), m.scalesPreInterleaved());
  }

  static ModelDeclaration withPrefix(ModelDeclaration m, String prefix) {
    return new ModelDeclaration(m.className(), m.name(), m.numLayers(), prefix, m.layerClasses(),
        m.embeddingOutputDtype(), m.biasDtype(), m.fusedMlp(), m.scalesPreInterleaved());
  }

  static ModelDeclaration withParts(ModelDeclaration m, PartDeclaration... parts) {
    return new ModelDeclaration(m.className(), m.name(), m.numLayers(), m.checkpointPrefix(), List.of(parts),
        m.embeddingOutputDtype(), m.biasDtype(), m.fusedMlp(), m.scalesPreInterleaved());
  }

  static ModelDeclaration withDtypes(ModelDeclaration m, DType embedding, DType bias) {
    return new ModelDeclaration(m.className(), m.name(), m.numLayers(), m.checkpointPrefix(),
        m.layerClasses(),
        embedding, bias, m.fusedMlp(), m.scalesPreInterleaved());
  }

  static ModelDeclaration withFlags(ModelDeclaration m, boolean fusedMlp, boolean preInterleaved) {
    return new ModelDeclaration(m.className(), m.name(), m.numLayers(), m.checkpointPrefix(),
        m.layerClasses(),
        m.embeddingOutputDtype(), m.biasDtype(), fusedMlp, preInterleaved);
  }

  // ---- configs ----

  static ConfigDeclaration config(QuantFormat format, InputSpec input, WeightSpec weight) {
    return new ConfigDeclaration(format, input, weight, range(0, 16), range(0, 16), null, null, false, false);
  }

  static ConfigDeclaration config(QuantFormat format) {
    FormatProfile profile = FormatProfile.of(format);
    return config(format, profile.defaultInput(), profile.defaultWeight());
  }

  // ---- values ----

  static Set<Integer> range(int fromInclusive, int toExclusive) {
    Set<Integer> set = new TreeSet<>();
    IntStream.range(fromInclusive, toExclusive).forEach(set::add);
    return set;
  }

  static Set<Integer> set(Integer... layers) {
    return new TreeSet<>(Arrays.asList(layers));
  }

  // ---- assertions ----

  /** {@code violations} is exactly one violation of {@code rule} at {@code places} saying {@code message}. */
  static Violation assertOnly(List<Violation> violations, RuleId rule, List<Place> places, String message) {
    assertEquals(1, violations.size(), () -> "expected only " + rule + ", got " + violations);
    Violation v = violations.get(0);
    assertEquals(rule, v.rule(), () -> "rule of " + v);
    assertEquals(places, v.places(), () -> "places of " + v);
    assertEquals(message, v.message());
    return v;
  }

  static Violation assertOnly(List<Violation> violations, RuleId rule, Place place, String message) {
    return assertOnly(violations, rule, List.of(place), message);
  }

  /** Exactly one violation, of {@code rule}, preferably placed at {@code place}; returns it. */
  static Violation assertOnly(List<Violation> violations, RuleId rule, Place place) {
    assertEquals(1, violations.size(), () -> "expected only " + rule + ", got " + violations);
    Violation v = violations.get(0);
    assertEquals(rule, v.rule(), () -> "rule of " + v);
    assertEquals(place, v.place(), () -> "place of " + v);
    return v;
  }

  static List<RuleId> rules(List<Violation> violations) {
    return violations.stream().map(Violation::rule).toList();
  }

  static List<Place> places(List<Violation> violations) {
    return violations.stream().map(Violation::place).toList();
  }

  static void assertClean(List<Violation> violations) {
    assertEquals(List.of(), violations, "expected no violations");
  }

  static void assertClean(ModelCheck check) {
    assertClean(check.violations());
  }
}
