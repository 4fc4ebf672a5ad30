package io.jquant.benchmarks;

/** The forked JVMs' options, shared by the kernel benchmarks' {@code @Fork} and the runner. */
final class Jvm {
  private Jvm() {}

  static final String ADD_MODULES = "--add-modules";
  static final String VECTOR = "jdk.incubator.vector";

  /** Room for a cold pool (a little over 1 GiB) next to the matrix it is built from. */
  static final String HEAP = "-Xmx4g";

  /** JMH 1.37 reads field offsets through sun.misc.Unsafe; JDK 25 warns about it in every fork otherwise. */
  static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";

  static String[] forkArgs() {
    return new String[] { ADD_MODULES, VECTOR, HEAP, UNSAFE };
  }
}
