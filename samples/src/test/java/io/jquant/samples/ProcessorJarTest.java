package io.jquant.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor as users get it (the shaded jar under {@code mvn verify}, its classes under {@code mvn test})
 * carries only itself and a relocated JavaPoet: jquant's annotations, config and runtime reach the processor
 * path as ordinary dependencies, so no second copy of them is loaded inside javac.
 */
class ProcessorJarTest {
  private static final String PROCESSOR = "io.jquant.processor.QuantizedProcessor";

  @Test
  void processorArtifactHoldsOnlyTheProcessorAndRelocatedJavaPoet() throws Exception {
    Path source = codeSource();
    List<String> classes = classEntries(source);
    assertTrue(classes.contains(PROCESSOR.replace('.', '/') + ".class"), () -> "no processor in " + source);
    List<String> foreign = classes.stream()
        .filter(c -> !c.startsWith("io/jquant/processor/") || c.startsWith("io/jquant/processor/shaded/"))
        .filter(c -> !c.startsWith("io/jquant/processor/shaded/javapoet/"))
        .toList();
    assertEquals(List.of(), foreign);
    List<String> unrelocated = classes.stream().filter(c -> c.startsWith("com/")).toList();
    assertEquals(List.of(), unrelocated);
  }

  private static Path codeSource() throws ClassNotFoundException, URISyntaxException {
    Class<?> processor = Class.forName(PROCESSOR);
    return Path.of(processor.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static List<String> classEntries(Path source) throws IOException {
    List<String> classes = new ArrayList<>();
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.walk(source)) {
        files.filter(f -> f.toString().endsWith(".class"))
            .forEach(f -> classes.add(source.relativize(f).toString().replace('\\', '/')));
      }
    } else {
      try (JarFile jar = new JarFile(source.toFile())) {
        jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(classes::add);
      }
    }
    return classes;
  }
}
