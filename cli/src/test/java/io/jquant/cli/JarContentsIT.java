package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * cli/target/jquant.jar as packaged: the command, the runtime and their libraries, and no benchmark code (JMH
 * and io.jquant.benchmarks live in benchmarks/target/benchmarks.jar, which ./jquant adds for bench).
 */
class JarContentsIT {
  @Test
  void theJarHoldsTheCommandAndNoBenchmarkCode() throws IOException {
    Launcher.requireJar();
    try (JarFile jar = new JarFile(Launcher.ROOT.resolve("cli/target/jquant.jar").toFile())) {
      List<String> benchmarkEntries = jar.stream().map(JarEntry::getName)
          .filter(name -> name.startsWith("io/jquant/benchmarks/") || name.startsWith("org/openjdk/jmh/"))
          .toList();

      assertEquals(List.of(), benchmarkEntries);
      assertNotNull(jar.getEntry("io/jquant/cli/Main.class"));
      assertNotNull(jar.getEntry("io/jquant/cli/BenchCommand.class"));
      assertNotNull(jar.getEntry("io/jquant/runtime/checkpoint/Checkpoint.class"));
      assertEquals("io.jquant.cli.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }
}
