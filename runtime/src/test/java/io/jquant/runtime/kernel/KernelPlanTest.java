package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.ChildJvm;
import io.jquant.runtime.numerics.VectorSupport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelPlanTest {
  @Test
  void inThisJvmEveryKernelRunsTheLoopThePlanNames() {
    assertTrue(VectorSupport.available(), "the tests run with --add-modules jdk.incubator.vector");
    KernelPlan plan = KernelPlan.current();
    assertEquals(new KernelPlan.Cpu(true, GemmLanes.LENGTH, I8DotLanes.LENGTH, Fp4Lanes.L), plan.cpu(),
        "the lanes the kernels use");
    assertEquals(GemmLanes.enabled(), plan.gemmLanes(), "GemmLanes");
    assertEquals(GemmLanes.enabled() && DotLanes.enabled(), plan.rowDots(), "DotLanes");
    assertEquals(KernelLanes.enabled(), plan.eightBitLanes(), "KernelLanes");
    assertEquals(Fp4Lanes.enabled(), plan.fp4Lanes(), "Fp4Lanes");
    assertEquals(KernelLanes.enabled() && I8DotLanes.enabled(), plan.int8DotLanes(), "I8DotLanes");
    assertEquals(Fp4Lanes.enabled() && Fp4TableLanes.enabled(), plan.fp4TableLanes(), "Fp4TableLanes");
    assertAgrees(plan, KernelPlanMain.run(), "in this JVM");
  }

  @Test
  void onAvx2EveryKernelRunsTheLoopTheAvx2PlanNames(@TempDir Path dir) throws Exception {
    ChildJvm.Output child = ChildJvm.run(KernelPlanMain.class, dir,
        List.of("--add-modules", VectorSupport.MODULE, "-XX:UseAVX=2"));
    assertEquals("cpu true 8 16 8", child.stdout().get(0), "AVX2's lanes; stderr:\n" + child.stderr());
    assertAgrees(KernelPlan.forCpu(KernelPlan.Cpu.AVX2), child.stdout(), "with -XX:UseAVX=2");
  }

  @Test
  void withoutTheModuleEveryKernelRunsTheScalarLoopsThePlanNames(@TempDir Path dir) throws Exception {
    ChildJvm.Output child = ChildJvm.runWithoutVectorModule(KernelPlanMain.class, dir);
    assertEquals("cpu false 0 0 0", child.stdout().get(0), "stderr:\n" + child.stderr());
    assertAgrees(KernelPlan.forCpu(KernelPlan.Cpu.NO_VECTOR_API), child.stdout(), "without the module");
  }

  @Test
  void theAvx512PlanChangesLoopAtEachThreshold() {
    assertEquals(List.of(
        "CPU: jdk.incubator.vector present; preferred lanes: 16 float, 32 short, 16 int",
        "INT8 W8A8 takes the integer dot for K <= 131071 unless -Djquant.kernel.int8Dot=false",
        "NVFP4/MXFP4 W4A4 (activations in the weight's format) take the table GEMV unless"
            + " -Djquant.kernel.fp4Table=false",
        "kernel        rows    loop",
        "FP32/BF16     1       vector GEMV (GemvLanes, 16 float lanes)",
        "FP32/BF16     2-24    panel GEMM, K in lanes (RowDots, 16 float lanes)",
        "FP32/BF16     25+     panel GEMM, rows in lanes (GemmLanes 6x4 tiles, 16 float lanes)",
        "FP4 float     1-3     vector GEMV (Fp4Lanes, 16 int lanes)",
        "FP4 float     4-24    panel GEMM, K in lanes (RowDots, 16 float lanes)",
        "FP4 float     25+     panel GEMM, rows in lanes (GemmLanes 6x4 tiles, 16 float lanes)",
        "FP4 W4A4      1-24    exact W4A4 table GEMV (Fp4TableLanes, 32 short lanes)",
        "FP4 W4A4      25+     panel GEMM, rows in lanes (GemmLanes 6x4 tiles, 16 float lanes)",
        "MXFP8         1-3     vector GEMV (E4M3Lanes, 16 float lanes)",
        "MXFP8         4-24    panel GEMM, K in lanes (RowDots, 16 float lanes)",
        "MXFP8         25+     panel GEMM, rows in lanes (GemmLanes 6x4 tiles, 16 float lanes)",
        "FP8           1-2     vector GEMV (E4M3Lanes, 16 float lanes)",
        "FP8           3-24    panel GEMM, K in lanes (RowDots, 16 float lanes)",
        "FP8           25+     panel GEMM, rows in lanes (GemmLanes 6x4 tiles, 16 float lanes)",
        "INT8 float    1-3     vector GEMV (I8Lanes, 16 float lanes)",
        "INT8 float    4-24    panel GEMM, K in lanes (RowDots, 16 float lanes)",
        "INT8 float    25+     panel GEMM, rows in lanes (GemmLanes 6x4 tiles, 16 float lanes)",
        "INT8 W8A8     1-2     exact int8 dot, short codes (I8DotLanes, 32 short lanes)",
        "INT8 W8A8     3-6     exact int8 dot, byte codes (I8DotLanes, 32 short lanes)",
        "INT8 W8A8     7-24    panel GEMM, K in lanes (RowDots, 16 float lanes)",
        "INT8 W8A8     25+     panel GEMM, rows in lanes (GemmLanes 6x4 tiles, 16 float lanes)",
        "presets: nvfp4, mxfp4 = FP4 W4A4; mxfp8 = MXFP8; fp8-tensor, fp8-channel, fp8-block = FP8;"
            + " int8 = INT8 W8A8"),
        KernelPlan.forCpu(KernelPlan.Cpu.AVX512).lines());
  }

  @Test
  void theAvx2PlanHasNoRowDotsAndLongerGemvs() {
    assertEquals(List.of(
        "CPU: jdk.incubator.vector present; preferred lanes: 8 float, 16 short, 8 int",
        "INT8 W8A8 takes the integer dot for K <= 131071 unless -Djquant.kernel.int8Dot=false",
        "NVFP4/MXFP4 W4A4 (activations in the weight's format) take the table GEMV unless"
            + " -Djquant.kernel.fp4Table=false",
        "kernel        rows    loop",
        "FP32/BF16     1-4     vector GEMV (GemvLanes, 8 float lanes)",
        "FP32/BF16     5+      panel GEMM, rows in lanes (GemmLanes 6x2 tiles, 8 float lanes)",
        "FP4 float     1-8     vector GEMV (Fp4Lanes, 8 int lanes)",
        "FP4 float     9+      panel GEMM, rows in lanes (GemmLanes 6x2 tiles, 8 float lanes)",
        "FP4 W4A4      1-8     vector GEMV (Fp4Lanes, 8 int lanes)",
        "FP4 W4A4      9+      panel GEMM, rows in lanes (GemmLanes 6x2 tiles, 8 float lanes)",
        "MXFP8         1-3     vector GEMV (E4M3Lanes, 8 float lanes)",
        "MXFP8         4+      panel GEMM, rows in lanes (GemmLanes 6x2 tiles, 8 float lanes)",
        "FP8           1-3     vector GEMV (E4M3Lanes, 8 float lanes)",
        "FP8           4+      panel GEMM, rows in lanes (GemmLanes 6x2 tiles, 8 float lanes)",
        "INT8 float    1-3     vector GEMV (I8Lanes, 8 float lanes)",
        "INT8 float    4+      panel GEMM, rows in lanes (GemmLanes 6x2 tiles, 8 float lanes)",
        "INT8 W8A8     1-2     exact int8 dot, short codes (I8DotLanes, 16 short lanes)",
        "INT8 W8A8     3-6     exact int8 dot, byte codes (I8DotLanes, 16 short lanes)",
        "INT8 W8A8     7+      panel GEMM, rows in lanes (GemmLanes 6x2 tiles, 8 float lanes)",
        "presets: nvfp4, mxfp4 = FP4 W4A4; mxfp8 = MXFP8; fp8-tensor, fp8-channel, fp8-block = FP8;"
            + " int8 = INT8 W8A8"),
        KernelPlan.forCpu(KernelPlan.Cpu.AVX2).lines());
  }

  @Test
  void withoutTheModuleThePlanIsScalarAndSaysWhy() {
    List<String> lines = KernelPlan.forCpu(KernelPlan.Cpu.NO_VECTOR_API).lines();
    assertEquals("CPU: no jdk.incubator.vector (start java with --add-modules jdk.incubator.vector)",
        lines.get(0));
    assertEquals(List.of(
        "FP32/BF16     1-4     scalar GEMV: no jdk.incubator.vector",
        "FP32/BF16     5+      scalar panel GEMM: no jdk.incubator.vector",
        "FP4 float     1-8     scalar GEMV: no jdk.incubator.vector",
        "FP4 float     9+      scalar panel GEMM: no jdk.incubator.vector",
        "FP4 W4A4      1-8     scalar GEMV: no jdk.incubator.vector",
        "FP4 W4A4      9+      scalar panel GEMM: no jdk.incubator.vector",
        "MXFP8         1-3     scalar GEMV: no jdk.incubator.vector",
        "MXFP8         4+      scalar panel GEMM: no jdk.incubator.vector",
        "FP8           1-3     scalar GEMV: no jdk.incubator.vector",
        "FP8           4+      scalar panel GEMM: no jdk.incubator.vector",
        "INT8 float    1-3     scalar GEMV: no jdk.incubator.vector",
        "INT8 float    4+      scalar panel GEMM: no jdk.incubator.vector",
        "INT8 W8A8     1-3     scalar GEMV: no jdk.incubator.vector",
        "INT8 W8A8     4+      scalar panel GEMM: no jdk.incubator.vector",
        "presets: nvfp4, mxfp4 = FP4 W4A4; mxfp8 = MXFP8; fp8-tensor, fp8-channel, fp8-block = FP8;"
            + " int8 = INT8 W8A8"),
        lines.subList(4, lines.size()));
  }

  /** Each observed {@code FAMILY ROWS LOOP} line against the plan, and every family and row count present. */
  private static void assertAgrees(KernelPlan plan, List<String> lines, String where) {
    assertEquals(1 + KernelPlan.Kernel.values().length * KernelPlanMain.ROWS.length
        + 3 * KernelPlanMain.ROWS.length, lines.size(), where + ": lines " + lines);
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(" ");
      KernelPlan.Kernel kernel = KernelPlan.Kernel.valueOf(fields[0]);
      int rows = Integer.parseInt(fields[1]);
      assertEquals(plan.loop(kernel, rows).name(), fields[2],
          where + ": " + kernel + " at " + rows + " rows");
    }
  }
}
