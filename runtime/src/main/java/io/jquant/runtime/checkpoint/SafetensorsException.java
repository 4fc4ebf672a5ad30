package io.jquant.runtime.checkpoint;

import java.io.IOException;

/**
 * A safetensors file or checkpoint directory that breaks a rule of the format (docs/FORMATS.md §6). The
 * message names the file, the tensor at fault when there is one, and the byte offset in the file.
 */
public final class SafetensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An error with a message that already names the file and place. */
  public SafetensorsException(String message) {
    super(message);
  }

  /** An error with a message that already names the file and place, caused by {@code cause}. */
  public SafetensorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
