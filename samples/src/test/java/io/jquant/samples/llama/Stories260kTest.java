package io.jquant.samples.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the sample finds its model, and that the bundled files are the bytes their README lists. */
class Stories260kTest {
  /** The module directory: Maven runs the tests there. */
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path DATA = MODULE.resolve(Path.of("src", "test", "data", "stories260K"));

  @Test
  void foundInTheModuleFromTheModuleAndFromTheRepositoryRoot() throws IOException {
    assertTrue(Files.isSameFile(DATA, Stories260k.locate(null, MODULE)));
    assertTrue(Files.isSameFile(DATA, Stories260k.locate(null, MODULE.getParent())));
    assertTrue(Files.isSameFile(DATA, Stories260k.locate(DATA.toString(), Path.of("/"))));
  }

  @Test
  void elsewhereTheErrorNamesThePlacesSearched(@TempDir Path dir) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Stories260k.locate(null, dir));
    assertEquals("stories260K not found: no " + Path.of("src", "test", "data", "stories260K") + " or "
        + Path.of("samples", "src", "test", "data", "stories260K") + " in " + dir
        + "; pass the directory or set -Djquant.stories260k", e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> Stories260k.locate(dir.toString(), MODULE));
    assertEquals("-Djquant.stories260k=" + dir + " has no config.json", e.getMessage());
  }

  @Test
  void theBundledFilesHaveTheSizesAndHashesTheirReadmeLists() throws IOException, NoSuchAlgorithmException {
    Map<String, String[]> listed = new LinkedHashMap<>();
    Matcher row = Pattern.compile("\\| `([^`]+)` \\| ([0-9,]+) \\| `([0-9a-f]{64})` \\|")
        .matcher(Files.readString(DATA.resolve("README.md")));
    while (row.find()) {
      listed.put(row.group(1), new String[] { row.group(2).replace(",", ""), row.group(3) });
    }
    assertEquals(List.of("config.json", "model.safetensors", "reference.json"),
        List.copyOf(listed.keySet()));
    for (Map.Entry<String, String[]> file : listed.entrySet()) {
      byte[] bytes = Files.readAllBytes(DATA.resolve(file.getKey()));
      assertEquals(Long.parseLong(file.getValue()[0]), bytes.length, file.getKey() + " size");
      String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertEquals(file.getValue()[1], sha256, file.getKey() + " sha256");
    }
  }
}
