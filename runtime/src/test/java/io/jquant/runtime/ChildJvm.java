package io.jquant.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM on this test's class path, by default without
 * {@code jdk.incubator.vector}.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** What the child printed. */
  public record Output(List<String> stdout, String stderr) {}

  /**
   * Runs {@code main} with no arguments, its output kept in {@code dir}, and asserts it exits with 0 within
   * 60 s.
   */
  public static Output runWithoutVectorModule(Class<?> main, Path dir)
      throws IOException, InterruptedException {
    return run(main, dir, List.of());
  }

  /**
   * Runs {@code main} as {@link #runWithoutVectorModule} does, with {@code jvmOptions} before the class path
   * (e.g. {@code --add-modules jdk.incubator.vector -XX:UseAVX=2}).
   */
  public static Output run(Class<?> main, Path dir, List<String> jvmOptions)
      throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new java.util.ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    // Options from the environment could add the module back.
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process child = builder.start();
    if (!child.waitFor(60, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      fail("the child JVM did not finish in 60 s");
    }
    String stderr = Files.readString(err);
    assertEquals(0, child.exitValue(), "the child's stderr:\n" + stderr);
    return new Output(Files.readAllLines(out), stderr);
  }
}
