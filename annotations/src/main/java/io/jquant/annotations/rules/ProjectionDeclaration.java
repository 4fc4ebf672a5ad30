package io.jquant.annotations.rules;

import io.jquant.annotations.ProjectionKind;
import java.util.Objects;

/**
 * One {@code @Projection}: its checkpoint name and its kind as declared ({@link ProjectionKind#INFER} when
 * not).
 */
public record ProjectionDeclaration(String name, ProjectionKind kind) {
  public ProjectionDeclaration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }

  /** The declared kind, or the one the name implies ({@link ProjectionKind#INFER} if none). */
  public ProjectionKind resolvedKind() {
    return kind != ProjectionKind.INFER ? kind : ProjectionKind.inferFrom(name);
  }
}
