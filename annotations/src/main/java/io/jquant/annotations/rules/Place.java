package io.jquant.annotations.rules;

/**
 * Where a violation is: which layer class (its index in the model's {@code layerClasses}, or {@link #MODEL}
 * for the model itself), which attribute, and which element of an array attribute (a {@code layers} entry, a
 * projection, a {@code layerClasses} entry), or {@link #WHOLE}.
 */
public record Place(int part, Attribute attribute, int index) {
  /** {@link #part()} of a model-level place. */
  public static final int MODEL = -1;
  /** {@link #index()} of a place that is a whole attribute, not one of its elements. */
  public static final int WHOLE = -1;

  public static Place of(int part, Attribute attribute) {
    return new Place(part, attribute, WHOLE);
  }

  public static Place model(Attribute attribute) {
    return new Place(MODEL, attribute, WHOLE);
  }

  public static Place model(Attribute attribute, int index) {
    return new Place(MODEL, attribute, index);
  }
}
