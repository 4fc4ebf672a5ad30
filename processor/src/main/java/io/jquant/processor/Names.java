package io.jquant.processor;

/** The qualified names the processor looks for and writes against; it never loads runtime classes. */
final class Names {
  static final String ANNOTATIONS = "io.jquant.annotations";
  static final String QUANTIZED_MODEL = ANNOTATIONS + ".QuantizedModel";
  static final String QUANTIZED = ANNOTATIONS + ".Quantized";
  static final String INPUT_SCALE = ANNOTATIONS + ".InputScale";
  static final String WEIGHT_SCALE = ANNOTATIONS + ".WeightScale";
  static final String PROJECTION = ANNOTATIONS + ".Projection";

  /*
   * Joined at run time, never constants: the processor jar carries a relocated copy of the runtime, and the
   * shade plugin rewrites every string constant that starts with the runtime's package, which would make
   * generated code name the processor's private copy instead of the user's runtime.
   */
  static final String RUNTIME = String.join(".", "io", "jquant", "runtime");
  static final String RUNTIME_CONFIG = RUNTIME + ".config";
  static final String RUNTIME_MODEL = RUNTIME + ".model";
  static final String LINEAR = RUNTIME + ".Linear";

  private Names() {}
}
