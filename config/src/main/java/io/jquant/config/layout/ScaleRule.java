package io.jquant.config.layout;

/**
 * What a layout's tensor values must be. A scale that is NaN or infinite makes every value it scales NaN or
 * infinite, so a reader refuses it instead of writing or running those values; the runtime reads the bytes,
 * this rule says which ones are refused and in which words.
 */
public enum ScaleRule {
  /** Weight elements: any bits (a NaN element is the weight's own value). */
  ANY,
  /** E4M3 block scales: not NaN ({@code 0x7f} or {@code 0xff}; E4M3 has no infinity). */
  E4M3,
  /** E8M0 block scales: not NaN ({@code 0xff}). */
  E8M0,
  /** Float scales (widened from F32, BF16 or F16): finite. */
  FINITE,
  /** Per-tensor float scales that divide or multiply every block scale: finite and positive. */
  FINITE_POSITIVE;

  /**
   * The refusal of raw scale bytes, or null when every byte is allowed.
   *
   * @param tensor the tensor's full name
   * @param layout the layout's description, for the message
   */
  public String refusal(String tensor, String layout, byte[] codes) {
    if (this != E4M3 && this != E8M0) {
      return null;
    }
    for (int i = 0; i < codes.length; i++) {
      int code = codes[i] & 0xFF;
      boolean nan = this == E4M3 ? (code & 0x7F) == 0x7F : code == 0xFF;
      if (nan) {
        return "tensor " + tensor + ": element " + i + " is 0x" + String.format("%02x", code) + ", an "
            + (this == E4M3 ? "E4M3" : "E8M0") + " NaN; " + layout + " scales must be finite";
      }
    }
    return null;
  }

  /**
   * The refusal of float scales (already widened to float32), or null when every value is allowed.
   *
   * @param tensor the tensor's full name
   * @param layout the layout's description, for the message
   */
  public String refusal(String tensor, String layout, float[] values) {
    if (this != FINITE && this != FINITE_POSITIVE) {
      return null;
    }
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (!Float.isFinite(v) || (this == FINITE_POSITIVE && !(v > 0.0f))) {
        return "tensor " + tensor + ": element " + i + " is " + v + "; " + layout + " scales must be finite"
            + (this == FINITE_POSITIVE ? " and positive" : "");
      }
    }
    return null;
  }
}
