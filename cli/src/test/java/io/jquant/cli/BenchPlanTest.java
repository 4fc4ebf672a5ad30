package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.runtime.kernel.KernelPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchPlanTest {
  @Test
  void planPrintsThisCpusKernelPlanWithoutTheBenchmarksJar() {
    Fixtures.Run run = Fixtures.run("bench", "--plan");

    assertEquals("", run.err());
    assertEquals(0, run.exit());
    List<String> lines = run.out().lines().toList();
    // The loops depend on the CPU (KernelPlanTest pins the AVX-512, AVX2 and scalar plans line by line);
    // these lines do not.
    assertEquals("INT8 W8A8 takes the integer dot for K <= 131071 unless -Djquant.kernel.int8Dot=false",
        lines.get(1));
    assertEquals("NVFP4/MXFP4 W4A4 (activations in the weight's format) take the table GEMV unless"
        + " -Djquant.kernel.fp4Table=false", lines.get(2));
    assertEquals("kernel        rows    loop", lines.get(3));
    assertEquals(
        "presets: nvfp4, mxfp4 = FP4 W4A4; mxfp8 = MXFP8; fp8-tensor, fp8-channel, fp8-block = FP8;"
            + " int8 = INT8 W8A8",
        lines.get(lines.size() - 1));
    assertEquals(KernelPlan.current().lines(), lines);
    KernelPlan.Cpu cpu = KernelPlan.current().cpu();
    assertEquals("CPU: jdk.incubator.vector present; preferred lanes: " + cpu.floatLanes() + " float, "
        + cpu.shortLanes() + " short, " + cpu.intLanes() + " int", lines.get(0));
  }

  @Test
  void planWithOtherArgumentsIsRefusedNamingThem() {
    Fixtures.Run run = Fixtures.run("bench", "--plan", "-f", "0");

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertEquals("error: --plan takes no other arguments, got: --plan -f 0\n", run.err());
    assertEquals("", run.out());
  }
}
