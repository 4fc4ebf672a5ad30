package io.jquant.runtime.hf;

import java.util.Map;

/** JSON text to maps and back, with errors that name the file. */
final class HfJson {
  private HfJson() {}

  static Map<String, Object> readObject(String fileName, String json) {
    throw new UnsupportedOperationException("not yet");
  }

  static String write(Map<String, Object> json) {
    throw new UnsupportedOperationException("not yet");
  }
}
