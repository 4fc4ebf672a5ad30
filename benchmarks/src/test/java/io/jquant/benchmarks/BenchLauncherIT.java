package io.jquant.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jquant bench} through the real launcher, once cli/target/jquant.jar and benchmarks.jar are
 * packaged: the launcher puts this module's jar on the class path for bench only (jquant.jar holds no
 * benchmark code), and the runner's results, usage, errors and progress reach the right streams. Asserts no
 * time.
 */
class BenchLauncherIT {
  private static final Path ROOT = Path.of(System.getProperty("jquant.root", "..")).toAbsolutePath()
      .normalize();
  /** A hang guard for the forked JMH runs; not a timing assertion. */
  private static final long TIMEOUT_SECONDS = 120;

  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void jarsAreBuilt() {
    for (String jar : List.of("cli/target/jquant.jar", "benchmarks/target/benchmarks.jar")) {
      assertTrue(Files.isRegularFile(ROOT.resolve(jar)),
          jar + " is missing: run these tests with mvn verify");
    }
  }

  @Test
  void helpIsTheRunnersUsageOnStdout() throws Exception {
    Run run = jquant("bench", "--help");

    assertEquals(0, run.exit(), run.err());
    assertEquals(KernelBenchOptions.USAGE, run.out());
    assertEquals("", run.err());
  }

  @Test
  void badArgumentsAreOneLineOnStderrAndExitCodeTwo() throws Exception {
    Run run = jquant("bench", "--formats", "FP5");

    assertEquals(2, run.exit());
    assertEquals("", run.out());
    assertEquals("error: --formats: unknown format FP5 (expected one of FP32, BF16, NVFP4, MXFP4, MXFP8,"
        + " FP8_TENSOR, FP8_CHANNEL, FP8_BLOCK, INT8) (see 'jquant bench --help')\n", run.err());
  }

  @Test
  void aTinyRunPrintsTheTableOnStdoutAndProgressOnStderr() throws Exception {
    Run run = jquant("bench", "--formats", "FP32", "--shapes", "256x1024", "--m", "1", "--threads", "1",
        "--regimes", "hot");

    assertEquals(0, run.exit(), run.err());
    List<String> table = run.out().lines().toList();
    assertEquals(2, table.size(), run.out());
    assertTrue(table.get(0).startsWith("format  input  m    n     k  threads  regime  metric"), run.out());
    assertTrue(
        table.get(1).matches("FP32 +f32 +1 +256 +1024 +1 +hot +GB/s +[0-9.]+ +[0-9.]+ +[0-9.]+ +1\\.00x"),
        run.out());
    // Progress only: the forked JVMs' incubator warnings are dropped too.
    assertEquals("jquant bench: FP32 kernels\njquant bench: read yardstick\n", run.err());
  }

  @Test
  void sigtermToTheLauncherStopsTheJvmAndItsForks() throws Exception {
    // A run of a minute or more, stopped as soon as it reports its first progress line.
    ProcessBuilder builder = launcher("bench", "--formats", "FP32", "--shapes", "4096x4096", "--budget",
        "full")
        .redirectOutput(dir.resolve("stdout.txt").toFile());
    Process process = builder.start();
    BlockingQueue<String> stderr = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> process.errorReader(StandardCharsets.UTF_8).lines().forEach(stderr::add));
    String first = stderr.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    List<ProcessHandle> children = process.descendants().toList();
    List<String> commands = children.stream().map(child -> child.info().command().orElse("?")).toList();

    process.destroy(); // SIGTERM to the script, as timeout(1) or a supervisor sends it

    boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    List<String> leftRunning = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      try {
        children.get(i).onExit().get(TIMEOUT_SECONDS / 4, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        leftRunning.add(commands.get(i));
        children.get(i).destroyForcibly(); // no JVM left behind for the rest of the build
      }
    }
    assertEquals("jquant bench: FP32 kernels", first);
    assertTrue(exited);
    assertEquals(143, process.exitValue(), "128 + SIGTERM");
    assertTrue(commands.stream().anyMatch(command -> command.endsWith("/bin/java")), commands.toString());
    assertEquals(List.of(), leftRunning);
    assertEquals("", Files.readString(dir.resolve("stdout.txt")));
  }

  /** {@code ./jquant args} from the repository root, stdout and stderr read after it exited. */
  private Run jquant(String... args) throws Exception {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process = launcher(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      fail(List.of(args) + " still ran after " + TIMEOUT_SECONDS + " s (hang guard)");
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** {@code ./jquant args} from the repository root with the packaged jars (no nested build). */
  private static ProcessBuilder launcher(String... args) {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("jquant").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("JQUANT_NO_BUILD", "1");
    return builder;
  }
}
