package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output directory's life: permissions, the temporary directories of killed runs, and the shutdown hook
 * on SIGTERM / SIGINT (in a child JVM, {@link InterruptedOutputChild}). Timeouts only guard against a hang.
 */
class OutputTransactionTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(20);

  @TempDir
  Path tmp;

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static Set<PosixFilePermission> mode(Path path) throws IOException {
    return Files.getPosixFilePermissions(path);
  }

  private static void commitOneFile(Path out) throws IOException {
    try (OutputTransaction output = OutputTransaction.begin(out)) {
      Files.writeString(output.dir().resolve("config.json"), "{}");
      output.commit();
    }
  }

  @Test
  void aNewOutputHasTheModeOfANewDirectoryUnderTheUmask() throws IOException {
    assumeTrue(posix(tmp));
    Path reference = Files.createDirectory(tmp.resolve("reference"));
    Path out = tmp.resolve("out");

    commitOneFile(out);

    assertEquals(mode(reference), mode(out));
    assertEquals("{}", Files.readString(out.resolve("config.json")));
  }

  @Test
  void anEmptyOutputCreatedBeforeKeepsItsMode() throws IOException {
    assumeTrue(posix(tmp));
    for (String rwx : List.of("rwxr-xr-x", "rwxr-x---", "rwxrwxrwx")) {
      Path out = Files.createDirectory(tmp.resolve("out-" + rwx));
      Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(rwx));

      commitOneFile(out);

      assertEquals(rwx, PosixFilePermissions.toString(mode(out)));
      assertEquals("{}", Files.readString(out.resolve("config.json")));
    }
  }

  @Test
  void theTemporaryDirectoryIsNamedAfterTheProcess() throws IOException {
    Path out = tmp.resolve("out");
    try (OutputTransaction output = OutputTransaction.begin(out)) {
      String name = output.dir().getFileName().toString();
      assertTrue(name.startsWith(".out.jquant-" + ProcessHandle.current().pid() + "-"), name);
      assertEquals(ProcessHandle.current().pid(), TempOutputDirs.owner(name, "out").orElseThrow());
      assertEquals(tmp, output.dir().getParent());
    }
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void aDeadProcesssTemporaryDirectoryIsRemovedAndReported() throws Exception {
    long dead = finishedProcess();
    Path stale = Files.createDirectories(tmp.resolve(".out.jquant-" + dead + "-1f2e").resolve("sub"));
    Files.writeString(stale.resolve("shard"), "x");
    Path live = Files.createDirectory(tmp.resolve(".out.jquant-" + ProcessHandle.current().pid() + "-77"));
    Path otherOutput = Files.createDirectory(tmp.resolve(".other.jquant-" + dead + "-1f2e"));
    Path noPid = Files.createDirectory(tmp.resolve(".out.jquant-8231907410293"));
    Path out = tmp.resolve("out");

    List<String> report;
    try (OutputTransaction output = OutputTransaction.begin(out)) {
      report = output.removedStale();
    }

    assertEquals(List.of("removed " + stale.getParent() + ", the temporary output of an interrupted run"
        + " (process " + dead + ", no longer running)"), report);
    assertFalse(Files.exists(stale.getParent()));
    assertTrue(Files.isDirectory(live), "a live process's directory is kept");
    assertTrue(Files.isDirectory(otherOutput), "another output's directory is kept");
    assertTrue(Files.isDirectory(noPid), "a name without a process id is kept");
  }

  @Test
  void aSymbolicLinkNamedLikeAStaleDirectoryIsNotFollowed() throws Exception {
    Path victim = Files.createDirectory(tmp.resolve("victim"));
    Files.writeString(victim.resolve("keep"), "x");
    Path link = tmp.resolve(".out.jquant-" + finishedProcess() + "-1");
    try {
      Files.createSymbolicLink(link, victim);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "no symbolic links here: " + e);
    }

    try (OutputTransaction output = OutputTransaction.begin(tmp.resolve("out"))) {
      assertEquals(List.of(), output.removedStale());
    }

    assertEquals("x", Files.readString(victim.resolve("keep")));
  }

  /** SIGTERM (Process.destroy) runs the shutdown hook: no temporary directory, no output. */
  @Test
  void sigtermRemovesTheTemporaryDirectory() throws Exception {
    Path out = tmp.resolve("out");
    Process child = startChild(out);
    Path temp = announcedDir(child);
    assertTrue(Files.isDirectory(temp), temp.toString());

    child.destroy();

    assertTrue(child.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the child did not end");
    assertFalse(Files.exists(temp), temp + " is left");
    assertFalse(Files.exists(out));
  }

  /** SIGINT (Ctrl-C) too, sent with kill(1) since Process has no way to. */
  @Test
  void sigintRemovesTheTemporaryDirectory() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")));
    Path out = tmp.resolve("out");
    Process child = startChild(out);
    Path temp = announcedDir(child);

    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();

    assertEquals(0, kill.waitFor());
    assertTrue(child.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the child did not end");
    assertFalse(Files.exists(temp), temp + " is left");
    assertFalse(Files.exists(out));
  }

  /** SIGKILL runs nothing: the directory stays until the next run for the same output removes it. */
  @Test
  void afterSigkillTheNextRunRemovesTheTemporaryDirectory() throws Exception {
    Path out = tmp.resolve("out");
    Process child = startChild(out);
    Path temp = announcedDir(child);

    child.destroyForcibly();
    assertTrue(child.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the child did not end");
    assertTrue(Files.isDirectory(temp), "SIGKILL ran a hook?");

    try (OutputTransaction output = OutputTransaction.begin(out)) {
      assertEquals(List.of("removed " + temp + ", the temporary output of an interrupted run (process "
          + child.pid() + ", no longer running)"), output.removedStale());
    }
    assertFalse(Files.exists(temp));
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  /** The id of a process that has ended. */
  private static long finishedProcess() throws Exception {
    Process done = new ProcessBuilder(java(), "-version").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(done.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
    return done.pid();
  }

  private Process startChild(Path out) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
        InterruptedOutputChild.class.getName(), out.toString())
        .redirectError(tmp.resolve("child-stderr.txt").toFile());
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    return builder.start();
  }

  /** The temporary directory the child printed once it holds it; fails (not hangs) when the child died. */
  private Path announcedDir(Process child) throws IOException {
    try {
      String line = assertTimeoutPreemptively(HANG_GUARD, () -> new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine());
      if (line == null) {
        throw new AssertionError("the child ended early: "
            + Files.readString(tmp.resolve("child-stderr.txt")));
      }
      return Path.of(line);
    } catch (AssertionError e) {
      child.destroyForcibly();
      throw e;
    }
  }
}
