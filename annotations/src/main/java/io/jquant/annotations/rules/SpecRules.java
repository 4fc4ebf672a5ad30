package io.jquant.annotations.rules;

import static io.jquant.annotations.rules.Attribute.INPUT_BLOCK;
import static io.jquant.annotations.rules.Attribute.INPUT_DTYPE;
import static io.jquant.annotations.rules.Attribute.INPUT_GRANULARITY;
import static io.jquant.annotations.rules.Attribute.INPUT_ORIGIN;
import static io.jquant.annotations.rules.Attribute.INPUT_UPPER_BOUND;
import static io.jquant.annotations.rules.Attribute.WEIGHT_BLOCK;
import static io.jquant.annotations.rules.Attribute.WEIGHT_DTYPE;
import static io.jquant.annotations.rules.Attribute.WEIGHT_GRANULARITY;

import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** The rules on a format's input and weight scale specs. */
final class SpecRules {
  private final int part;
  private final QuantFormat format;
  private final InputSpec input;
  private final WeightSpec weight;
  private final FormatProfile profile;
  private final List<Violation> violations = new ArrayList<>();

  private SpecRules(int part, QuantFormat format, InputSpec input, WeightSpec weight) {
    this.part = part;
    this.format = format;
    this.input = input;
    this.weight = weight;
    this.profile = FormatProfile.of(format);
  }

  /** Every violation of the spec rules by {@code input} and {@code weight} under {@code format}. */
  static List<Violation> check(int part, QuantFormat format, InputSpec input, WeightSpec weight) {
    SpecRules rules = new SpecRules(part, format, input, weight);
    rules.checkWeight();
    rules.checkInput();
    rules.checkPairing();
    rules.checkK();
    return rules.violations;
  }

  private void checkWeight() {
    if (weight.granularity() == ScaleGranularity.COLWISE) {
      report(RuleId.SCALES_COLWISE_WEIGHT, WEIGHT_GRANULARITY,
          "COLWISE weight scales are not supported (MAX raises on them): one scale per output channel is "
              + "ROWWISE; " + format + " takes " + oneOf(profile.weightGranularities()) + ".");
    } else if (!profile.weightGranularities().contains(weight.granularity())) {
      report(RuleId.FORMAT_WEIGHT_GRANULARITY, WEIGHT_GRANULARITY,
          format + " weight scales are " + oneOf(profile.weightGranularities()) + ", not "
              + weight.granularity() + ".");
    }
    if (!profile.weightDtypes().contains(weight.dtype())) {
      report(RuleId.FORMAT_WEIGHT_DTYPE, WEIGHT_DTYPE,
          format + " weight scales are " + oneOf(profile.weightDtypes()) + ", not " + weight.dtype() + ".");
    }
    if (!weightGranularityAccepted()) {
      // The granularity is wrong, so whether a block belongs is moot; one error on it is enough.
      return;
    }
    checkBlockPresence(weight.granularity(), weight.block(), "weight", WEIGHT_GRANULARITY, WEIGHT_BLOCK);
    if (weight.granularity() == ScaleGranularity.BLOCK
        && BlockSize.isWellFormed(weight.block())
        && profile.weightBlock() != null
        && !profile.weightBlock().equals(weight.block())) {
      report(RuleId.FORMAT_WEIGHT_BLOCK, WEIGHT_BLOCK,
          format + " weight scale blocks are " + BlockSize.format(profile.weightBlock()) + " elements, not "
              + BlockSize.format(weight.block()) + ".");
    }
  }

  private void checkInput() {
    if (input.granularity() == ScaleGranularity.ROWWISE) {
      report(RuleId.SCALES_ROWWISE_INPUT, INPUT_GRANULARITY,
          "ROWWISE input scales are not supported (MAX raises on them): one scale per token is COLWISE; "
              + format + " takes " + oneOf(profile.inputGranularities()) + ".");
    } else if (!profile.inputGranularities().contains(input.granularity())) {
      report(RuleId.FORMAT_INPUT_GRANULARITY, INPUT_GRANULARITY,
          format + " input scales are " + oneOf(profile.inputGranularities()) + ", not "
              + input.granularity() + ".");
    }
    boolean originRefused = true;
    if (!profile.inputOrigins().contains(input.origin())) {
      report(RuleId.FORMAT_INPUT_ORIGIN, INPUT_ORIGIN,
          format + " input scales are " + oneOf(profile.inputOrigins()) + " (computed from each input), not "
              + input.origin() + ".");
    } else if (format == QuantFormat.COMPRESSED_TENSORS_FP8
        && input.granularity() == ScaleGranularity.COLWISE
        && input.origin() == ScaleOrigin.STATIC) {
      report(RuleId.FORMAT_INPUT_ORIGIN, INPUT_ORIGIN,
          "COMPRESSED_TENSORS_FP8 per-token (COLWISE) input scales are DYNAMIC, not STATIC; "
              + "a static input scale is TENSOR.");
    } else {
      originRefused = false;
    }
    if (!profile.inputDtypes().contains(input.dtype())) {
      report(RuleId.FORMAT_INPUT_DTYPE, INPUT_DTYPE,
          format + " input scales are " + oneOf(profile.inputDtypes()) + ", not " + input.dtype() + ".");
    }
    if (inputGranularityAccepted()) {
      checkInputBlock();
    }
    Double ub = input.activationUpperBound();
    if (ub != null) {
      if (input.origin() != ScaleOrigin.DYNAMIC) {
        // A refused origin is already reported; making it DYNAMIC, as it must be, also settles the bound.
        if (!originRefused) {
          report(RuleId.SCALES_UPPER_BOUND_STATIC, INPUT_UPPER_BOUND,
              "an activation upper bound (" + ub + ") only bounds DYNAMIC input scales; these are "
                  + input.origin() + ". Remove it or make the input scales DYNAMIC.");
        }
      } else if (!(ub > 0) || ub.isInfinite()) {
        report(RuleId.SCALES_UPPER_BOUND_NOT_POSITIVE, INPUT_UPPER_BOUND,
            "an activation upper bound is a positive finite number, not " + ub + ".");
      }
    }
  }

  /** The block checks of an input spec whose granularity the format accepts. */
  private void checkInputBlock() {
    checkBlockPresence(input.granularity(), input.block(), "input", INPUT_GRANULARITY, INPUT_BLOCK);
    if (input.granularity() == ScaleGranularity.BLOCK
        && BlockSize.isWellFormed(input.block())
        && input.block().get(0) != 1) {
      report(RuleId.SCALES_INPUT_BLOCK_ROWS, INPUT_BLOCK,
          "an input scale block spans one token, (1, k); " + BlockSize.format(input.block())
              + " spans " + input.block().get(0) + " tokens.");
    }
  }

  private boolean weightGranularityAccepted() {
    return profile.weightGranularities().contains(weight.granularity());
  }

  private boolean inputGranularityAccepted() {
    return profile.inputGranularities().contains(input.granularity());
  }

  private void checkBlockPresence(
      ScaleGranularity granularity, List<Integer> block, String which, Attribute granularityAttr,
      Attribute blockAttr) {
    if (granularity == ScaleGranularity.BLOCK) {
      if (block == null) {
        report(RuleId.SCALES_BLOCK_MISSING,
            List.of(Place.of(part, blockAttr), Place.of(part, granularityAttr)),
            SpecMessages.blockMissing(which));
      } else if (!BlockSize.isWellFormed(block)) {
        report(RuleId.SCALES_BLOCK_SHAPE, blockAttr,
            SpecMessages.blockShape(which, block));
      }
    } else if (block != null) {
      report(RuleId.SCALES_BLOCK_UNEXPECTED, blockAttr,
          "a block size is only for BLOCK scales; these " + which + " scales are " + granularity
              + ". Remove the block size or make them BLOCK.");
    }
  }

  /** FBGEMM's two kernels: row-wise weights with per-token inputs, or tensor-wise both. */
  private void checkPairing() {
    // A granularity or origin the format refuses is already reported on its value; a pairing error
    // on top would only repeat it.
    if (format != QuantFormat.FBGEMM_FP8
        || !weightGranularityAccepted()
        || !inputGranularityAccepted()
        || !profile.inputOrigins().contains(input.origin())) {
      return;
    }
    List<Place> places = List.of(
        Place.of(part, INPUT_GRANULARITY), Place.of(part, INPUT_ORIGIN), Place.of(part, WEIGHT_GRANULARITY));
    if (weight.granularity() == ScaleGranularity.ROWWISE
        && !(input.granularity() == ScaleGranularity.COLWISE && input.origin() == ScaleOrigin.DYNAMIC)) {
      violations.add(new Violation(RuleId.FORMAT_SCALE_PAIRING, places,
          "FBGEMM_FP8 with ROWWISE weight scales takes COLWISE DYNAMIC input scales (per token), not "
              + input.granularity() + " " + input.origin()
              + "; tensor-wise FP8 is TENSOR weights with TENSOR inputs."));
    } else if (weight.granularity() == ScaleGranularity.TENSOR
        && input.granularity() == ScaleGranularity.COLWISE) {
      violations.add(new Violation(RuleId.FORMAT_SCALE_PAIRING, places,
          "FBGEMM_FP8 with TENSOR weight scales takes TENSOR input scales, not COLWISE; "
              + "per-token inputs go with ROWWISE weights."));
    }
  }

  /** MAX asserts k_input == k_weight only at run time; this makes it a declaration error. */
  private void checkK() {
    // Any earlier violation already names the culprit; a K mismatch on top would only repeat it.
    Integer kIn = input.kGranularity();
    Integer kW = weight.kGranularity();
    if (!violations.isEmpty() || kIn == null || kW == null || Objects.equals(kIn, kW)) {
      return;
    }
    violations.add(new Violation(RuleId.SCALES_K_MISMATCH,
        List.of(Place.of(part, INPUT_BLOCK), Place.of(part, INPUT_GRANULARITY),
            Place.of(part, WEIGHT_BLOCK), Place.of(part, WEIGHT_GRANULARITY)),
        "input and weight scales must agree on K: the input scales give K granularity " + describeK(kIn)
            + " (" + input.granularity()
            + (input.block() == null ? "" : " " + BlockSize.format(input.block()))
            + "), the weight scales " + describeK(kW) + " (" + weight.granularity()
            + (weight.block() == null ? "" : " " + BlockSize.format(weight.block())) + ")."));
  }

  private static String describeK(int k) {
    return k == -1 ? "-1 (whole row)" : String.valueOf(k);
  }

  private void report(RuleId rule, Attribute attribute, String message) {
    violations.add(new Violation(rule, Place.of(part, attribute), message));
  }

  private void report(RuleId rule, List<Place> places, String message) {
    violations.add(new Violation(rule, places, message));
  }

  /** "BLOCK", "TENSOR or ROWWISE", in declaration order of the enum. */
  static <E extends Enum<E>> String oneOf(Collection<E> values) {
    List<String> names = values.stream().sorted().map(Enum::name).toList();
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }
}
