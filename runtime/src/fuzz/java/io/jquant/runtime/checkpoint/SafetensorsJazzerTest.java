package io.jquant.runtime.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jquant.config.fuzz.FuzzRun;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of {@link SafetensorsFile#open} with Jazzer, for long runs outside CI (profile
 * {@code fuzz}, see the README): the input is the whole file.
 */
class SafetensorsJazzerTest {
  private static final Path FILE = scratchFile();

  private static Path scratchFile() {
    try {
      Path shm = Path.of("/dev/shm");
      Path dir = Files.createTempDirectory(Files.isWritable(shm) ? shm : Path.of(System.getProperty(
          "java.io.tmpdir")), "jquant-jazzer-");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("model.safetensors");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void open(byte[] bytes) throws IOException {
    if (bytes == null) {
      return; // Jazzer's replay without stored inputs passes null
    }
    Files.write(FILE, bytes);
    FuzzRun.Input input = new FuzzRun.Input();
    input.set(FILE.toString(), bytes);
    try (SafetensorsFile file = SafetensorsFile.open(FILE)) {
      for (String name : file.tensorNames()) {
        file.tensor(name).data().toArray(ValueLayout.JAVA_BYTE);
      }
    } catch (IOException | RuntimeException e) {
      String problem = SafetensorsFuzzTest.oracle(e, input);
      if (problem != null) {
        throw new AssertionError(problem, e);
      }
    }
  }
}
