package io.jquant.processor;

/**
 * The qualified names the processor looks for and writes against. The config module's classes it names
 * through their {@code Class} objects; runtime classes only by these strings, since it never loads them.
 */
final class Names {
  static final String ANNOTATIONS = "io.jquant.annotations";
  static final String QUANTIZED_MODEL = ANNOTATIONS + ".QuantizedModel";
  static final String QUANTIZED = ANNOTATIONS + ".Quantized";
  static final String INPUT_SCALE = ANNOTATIONS + ".InputScale";
  static final String WEIGHT_SCALE = ANNOTATIONS + ".WeightScale";
  static final String PROJECTION = ANNOTATIONS + ".Projection";

  /* Generated code names these; the processor itself never loads the runtime (kernels, tensor bytes). */
  static final String RUNTIME = "io.jquant.runtime";
  static final String RUNTIME_MODEL = RUNTIME + ".model";
  static final String LINEAR = RUNTIME + ".Linear";

  private Names() {}
}
