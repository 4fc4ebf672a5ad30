package io.jquant.benchmarks;

/** The forked JVMs' options, shared by the kernel benchmarks' {@code @Fork} and the runner. */
final class Jvm {
  private Jvm() {}

  static final String ADD_MODULES = "--add-modules";
  static final String VECTOR = "jdk.incubator.vector";

  /** Room for a cold pool (a little over 1 GiB) next to the matrix it is built from. */
  static final String HEAP = "-Xmx4g";

  static String[] forkArgs() {
    return new String[] {ADD_MODULES, VECTOR, HEAP};
  }
}
