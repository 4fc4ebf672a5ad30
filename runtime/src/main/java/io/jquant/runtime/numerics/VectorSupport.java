package io.jquant.runtime.numerics;

import java.lang.System.Logger.Level;

/**
 * Whether the Vector API module ({@code jdk.incubator.vector}) is in this JVM. The JVM only resolves that
 * incubator module when started with {@code --add-modules jdk.incubator.vector}; without it, any class whose
 * code names a vector type fails to link ({@code NoClassDefFoundError: jdk/incubator/vector/Vector}). So the
 * public codec classes and {@link AbsMax} name none: each decides once, in a static final flag, to call its
 * package-private {@code ...Lanes} class only when {@link #available()} is true (and the machine has enough
 * lanes), and runs its scalar definition otherwise — the same bits everywhere, only slower. The first class
 * to ask logs one warning that says what to add.
 */
public final class VectorSupport {
  /** The incubator module's name. */
  public static final String MODULE = "jdk.incubator.vector";

  private static final boolean AVAILABLE = detect();

  private VectorSupport() {}

  /** Whether the vector paths can run in this JVM. */
  public static boolean available() {
    return AVAILABLE;
  }

  private static boolean detect() {
    boolean present = ModuleLayer.boot().findModule(MODULE).isPresent();
    if (!present) {
      System.getLogger(VectorSupport.class.getName()).log(Level.WARNING,
          "jquant runs its codecs without the Java Vector API, several times slower: start java with"
              + " --add-modules " + MODULE);
    }
    return present;
  }
}
