package io.jquant.annotations;

import java.util.Locale;

/** Which projection of an MLP or attention block a {@link Projection} is. */
public enum ProjectionKind {
  /** Inferred from the last segment of the checkpoint name, e.g. {@code gate_proj} is {@link #GATE}. */
  INFER(Role.INFER),
  GATE(Role.MLP),
  UP(Role.MLP),
  DOWN(Role.MLP),
  Q(Role.ATTENTION),
  K(Role.ATTENTION),
  V(Role.ATTENTION),
  O(Role.ATTENTION),
  /** q, k and v fused into one matrix. */
  QKV(Role.ATTENTION);

  private final Role role;

  ProjectionKind(Role role) {
    this.role = role;
  }

  /** The role of a layer class that has this projection. */
  public Role role() {
    return role;
  }

  /** The Hugging Face Llama name of this projection, e.g. {@code gate_proj}; none for {@link #INFER}. */
  public String conventionalName() {
    return this == INFER ? "" : name().toLowerCase(Locale.ROOT) + "_proj";
  }

  /**
   * The kind that the last dotted segment of {@code checkpointName} conventionally names
   * ({@code mlp.gate_proj} is {@link #GATE}), or {@link #INFER} when it names none.
   */
  public static ProjectionKind inferFrom(String checkpointName) {
    String last = checkpointName.substring(checkpointName.lastIndexOf('.') + 1);
    for (ProjectionKind kind : values()) {
      if (kind != INFER && kind.conventionalName().equals(last)) {
        return kind;
      }
    }
    return INFER;
  }
}
