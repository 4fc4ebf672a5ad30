package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jquant.runtime.ChildJvm;
import io.jquant.runtime.numerics.VectorSupport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernels without the Vector API: {@link NoVectorKernelsMain} in a child JVM started without
 * {@code --add-modules jdk.incubator.vector} builds every format's layer, runs its scalar loops and must
 * match the reference as the vector kernels in this JVM do (the two sum in different orders, so each is held
 * to the float32 bound rather than to the other's bits).
 */
class NoVectorKernelsTest {
  @Test
  void withoutTheModuleEveryKernelRunsItsScalarLoopsAndMatchesTheReference(@TempDir Path dir)
      throws Exception {
    assertTrue(VectorSupport.available(), "the tests run with --add-modules jdk.incubator.vector");
    assertMatchesReference(NoVectorKernelsMain.run(), "in this JVM, on the vector kernels");

    ChildJvm.Output child = ChildJvm.runWithoutVectorModule(NoVectorKernelsMain.class, dir);
    String stderr = child.stderr();
    assertTrue(stderr.contains("--add-modules jdk.incubator.vector"),
        "a warning, in the child's stderr:\n" + stderr);
    assertMatchesReference(child.stdout(), "in the child JVM without the module");
  }

  /**
   * The AVX2 paths: the same cases in a child JVM with the module and {@code -XX:UseAVX=2}, where the
   * preferred species are 256 bits (8 float lanes; {@link Int8DotTest} checks the flag gives 16 short lanes),
   * so every kernel runs its 8-lane loops and tiles.
   */
  @Test
  void onTheAvx2LanesEveryKernelMatchesTheReference(@TempDir Path dir) throws Exception {
    ChildJvm.Output child = ChildJvm.run(NoVectorKernelsMain.class, dir,
        List.of("--add-modules", VectorSupport.MODULE, "-XX:UseAVX=2"));
    assertMatchesReference(child.stdout(), "in the child JVM with -XX:UseAVX=2");
  }

  /** Each line's outputs against the double-precision sums of its case's weight, within the float32 bound. */
  private static void assertMatchesReference(List<String> lines, String where) {
    List<NoVectorKernelsMain.Case> cases = NoVectorKernelsMain.cases();
    int[] rowCounts = NoVectorKernelsMain.ROWS;
    assertEquals(cases.size() * rowCounts.length, lines.size(), where + ": lines");
    int n = NoVectorKernelsMain.N;
    int k = NoVectorKernelsMain.K;
    int line = 0;
    for (NoVectorKernelsMain.Case c : cases) {
      for (int rows : rowCounts) {
        String[] fields = lines.get(line++).split(" ");
        assertEquals(c.name() + " " + rows, fields[0] + " " + fields[1], where);
        float[] x = NoVectorKernelsMain.x(rows);
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < n; j++) {
            double sum = 0;
            double magnitude = 0;
            for (int i = 0; i < k; i++) {
              double term = (double) x[r * k + i] * c.weight()[j * k + i];
              sum += term;
              magnitude += Math.abs(term);
            }
            float actual = Float.intBitsToFloat(Integer.parseUnsignedInt(fields[2 + r * n + j], 16));
            double bound = (k + 6) * 0x1p-24 * magnitude;
            if (!(Math.abs(actual - sum) <= bound)) {
              fail(where + ": " + c.name() + " rows " + rows + " y[" + r + "][" + j + "] = " + actual
                  + ", reference " + sum + " (bound " + bound + ")");
            }
          }
        }
      }
    }
  }
}
