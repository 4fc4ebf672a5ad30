package io.jquant.config.layout;

import java.util.Objects;

/**
 * A layer's tensors that are no valid {@link StoredLayout}: the message names the tensor, the layout and both
 * dtypes and shapes (or the value), but no file, since this module sees no files; {@link #tensor()} is a
 * tensor of the layer that exists, whose file the reader puts in front of the message.
 */
public final class LayoutException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String tensor;

  /**
   * @param tensor the full name of a tensor the checkpoint has (the refused one, or the layer's weight when
   * the refused one is missing)
   * @param message the whole message, naming the refused tensor
   */
  public LayoutException(String tensor, String message) {
    super(message);
    this.tensor = Objects.requireNonNull(tensor, "tensor");
  }

  /** A tensor of the layer the checkpoint has: the file that holds it is the one to name. */
  public String tensor() {
    return tensor;
  }
}
