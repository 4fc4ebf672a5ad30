package io.jquant.processor;

/** The qualified names the processor looks for and writes against; it never loads runtime classes. */
final class Names {
  static final String ANNOTATIONS = "io.jquant.annotations";
  static final String QUANTIZED_MODEL = ANNOTATIONS + ".QuantizedModel";
  static final String QUANTIZED = ANNOTATIONS + ".Quantized";
  static final String INPUT_SCALE = ANNOTATIONS + ".InputScale";
  static final String WEIGHT_SCALE = ANNOTATIONS + ".WeightScale";
  static final String PROJECTION = ANNOTATIONS + ".Projection";

  static final String RUNTIME_CONFIG = "io.jquant.runtime.config";

  private Names() {}
}
