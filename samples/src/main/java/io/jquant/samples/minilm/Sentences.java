package io.jquant.samples.minilm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The fixed English sentences the MiniLM sample measures on: 64 of 7 to 27 tokens, one per line. */
public final class Sentences {
  private static final String RESOURCE = "sentences.txt";

  private Sentences() {}

  /** The sentences, in file order. */
  public static List<String> load() throws IOException {
    try (InputStream in = Sentences.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(
            "resource " + RESOURCE + " next to " + Sentences.class.getName() + " not found");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }
}
