package io.jquant.runtime.checkpoint;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files made by make_safetensors_fixtures.py and what expected.txt says they hold. */
final class Fixtures {
  private Fixtures() {}

  /** One tensor as the script read it back from the raw file. */
  record Tensor(String name, String dtype, List<Long> shape, byte[] bytes) {}

  /** One file: its header length and tensors in data-offset order. */
  record File(long headerBytes, List<Tensor> tensors) {}

  static Path dir() {
    try {
      return Path.of(Fixtures.class.getResource("/safetensors/expected.txt").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path path(String relative) {
    return dir().resolve(relative);
  }

  /** expected.txt, by file name relative to the fixture directory. */
  static Map<String, File> expected() throws IOException {
    Map<String, File> files = new LinkedHashMap<>();
    String current = null;
    long header = 0;
    List<Tensor> tensors = null;
    for (String line : Files.readAllLines(path("expected.txt"), StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      if (line.startsWith("file ")) {
        if (current != null) {
          files.put(current, new File(header, tensors));
        }
        String[] parts = line.split(" ");
        current = parts[1];
        header = Long.parseLong(parts[3]);
        tensors = new ArrayList<>();
      } else {
        // tensor NAME_JSON DTYPE SHAPE HEX; the name is the JSON string between the first and last 3 fields.
        String rest = line.substring("tensor ".length());
        String[] tail = rest.substring(rest.lastIndexOf('"') + 2).split(" ");
        String name = JSON.std.beanFrom(String.class, rest.substring(0, rest.lastIndexOf('"') + 1));
        List<Long> shape = tail[1].equals("-") ? List.of()
            : java.util.Arrays.stream(tail[1].split(",")).map(Long::valueOf).toList();
        byte[] bytes = tail[2].equals("-") ? new byte[0] : HexFormat.of().parseHex(tail[2]);
        tensors.add(new Tensor(name, tail[0], shape, bytes));
      }
    }
    files.put(current, new File(header, tensors));
    return files;
  }
}
