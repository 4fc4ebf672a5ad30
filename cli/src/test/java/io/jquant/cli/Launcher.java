package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code ./jquant} script from the repository root as a child process, the way a user or a
 * script does: stdout and stderr go to files that are read only after it exited, so output that arrives late
 * (after the exit) would be missed, as a caller would miss it.
 */
final class Launcher {
  /** The checkout: the build passes it (cli's failsafe configuration), else the parent of this module. */
  static final Path ROOT = Path.of(System.getProperty("jquant.root", "..")).toAbsolutePath().normalize();

  /** A hang guard, far above the second or so a refusal takes; not a timing assertion. */
  private static final long TIMEOUT_SECONDS = 20;

  private Launcher() {}

  /** What a run printed and returned. */
  record Run(int exit, String out, String err) {
    /** stderr's lines. */
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  /** {@code ./jquant args}, run from the repository root. */
  static Run run(Path scratch, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("jquant").toString());
    command.addAll(List.of(args));
    return start(scratch, command);
  }

  /** {@code bash -c script} with {@code ./jquant} as {@code $JQUANT}, for shell set-up such as ulimit. */
  static Run shell(Path scratch, String script) throws IOException, InterruptedException {
    return start(scratch, List.of("bash", "-c", script));
  }

  private static Run start(Path scratch, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(scratch, "stdout", ".txt");
    Path err = Files.createTempFile(scratch, "stderr", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    // The JDK running the tests is a 25; the jar is the one the reactor just packaged: no nested build.
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("JQUANT_NO_BUILD", "1");
    builder.environment().put("JQUANT", ROOT.resolve("jquant").toString());
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      fail(command + " still ran after " + TIMEOUT_SECONDS + " s (hang guard); stderr so far:\n"
          + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Fails unless the launcher and the jar it runs are there (they are built by the reactor's package). */
  static void requireJar() {
    assertTrue(Files.isRegularFile(ROOT.resolve("cli/target/jquant.jar")),
        "cli/target/jquant.jar is missing: run the integration tests with mvn verify");
  }
}
