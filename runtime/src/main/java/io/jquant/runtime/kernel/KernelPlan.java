package io.jquant.runtime.kernel;

import io.jquant.runtime.numerics.VectorSupport;
import io.jquant.runtime.quant.FormatPreset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which loop runs for M activation rows of a weight format on this CPU: the one place that holds the kernels'
 * lane checks and row thresholds. The kernels read their flags and thresholds from {@link #current()}; a plan
 * for other CPU facts ({@link #forCpu}) answers what another machine would run ({@code jquant bench --plan}
 * prints {@link #lines()}). Every decision is a function of the {@link Cpu} facts and M alone, except two
 * that a layer settles when it is built: the INT8 W8A8 integer dot also needs {@code K ≤}
 * {@link #INT8_DOT_MAX_COLS} and {@link #INT8_DOT_PROPERTY} not {@code false}; the FP4 W4A4 table GEMV needs
 * activations in the weight's own format, block scales in its exact decode range and
 * {@link #FP4_TABLE_PROPERTY} not {@code false}. A layer that misses them runs its family's float kernel
 * ({@link Kernel#INT8_FLOAT}, {@link Kernel#FP4}).
 */
public final class KernelPlan {
  /**
   * The most activation rows {@link RowDots} (K in the lanes, AVX-512) takes; more run {@link PanelGemm}'s
   * tiles of rows in lanes. Its cost grows linearly with the rows (about 60 GFLOP/s), while the rows-in-lanes
   * tiles get faster per row up to 64 rows: level at 24 rows (1536x384 float32: 465 µs either way), 450
   * against 745 µs at 32.
   */
  public static final int ROW_DOTS_MAX_ROWS = 24;

  /**
   * The most activation rows the GEMV of INT8 (float kernel) and MXFP8 takes. It re-decodes each weight pair
   * per row (from L1, not memory), so its cost grows with the rows while the GEMM decodes each panel once for
   * all of them; the crossing moves with the shape (a weight in the L2 favours the GEMM). With
   * {@link RowDots} (AVX-512), INT8 at 3 rows: GEMV 2.5 against 3.0 ms at 4096², 137 against 112 µs at
   * 1536x384; MXFP8, whose panel decode is the slowest: 4.7 against 6.8 ms at 4096². Kept at 3, the larger
   * shapes' side.
   */
  public static final int EIGHT_BIT_GEMV_MAX_ROWS = 3;

  /**
   * The most activation rows the exact integer GEMV of INT8 W8A8 takes. It re-reads each weight row from the
   * L1 per activation row, about 0.6 ms per row at 4096x4096 on one Zen 4 core, while the float GEMM decodes
   * each panel once: interleaved, the integer kernel was 2.1-2.4x faster at 1 row, 1.8x at 3, 1.2x at 4,
   * 1.04x at 6, 0.95-1.0x at 8 and 0.85x at 12, on 1 and 2 threads.
   */
  public static final int INT8_DOT_MAX_ROWS = 6;

  /**
   * The most rows of the integer dot whose activation codes are also widened to shorts
   * ({@link I8DotLanes#dotWide}): 2 rows of K = 4096 are 16 KiB, half the L1.
   */
  public static final int INT8_WIDE_ROWS = 2;

  /** The widest K whose integer dot {@code |Σ q·x| ≤ 128 · 128 · K} stays below 2^31. */
  public static final int INT8_DOT_MAX_COLS = (1 << 17) - 1;

  /**
   * The system property that, set to {@code false} when a layer is built, keeps that W8A8 layer on the float
   * kernel (dequantized activations): for benchmarks comparing the two in one run.
   */
  public static final String INT8_DOT_PROPERTY = "jquant.kernel.int8Dot";

  /**
   * The most activation rows the exact W4A4 table GEMV ({@link Fp4TableLanes}) takes; more run the FP4
   * kernel's float GEMM on decoded panels. The table GEMV re-reads each 64-row group per pair of activation
   * rows (from the L2), about 0.6 ms (NVFP4) and 0.48 ms (MXFP4) for one row at 4096x4096 on one Zen 4 core,
   * 0.87 and 0.70 ms for two, while the GEMM decodes each panel once for all rows; the table still wins at 24
   * rows: NVFP4 10.1 against 11.8 ms at 4096x4096, 0.34 against 0.42 ms at 1536x384, 0.39 against 0.46 ms at
   * 384x1536, 0.10 against 0.13 ms at 384x384; MXFP4 8.0 against 11.0 ms at 4096x4096. Kept at
   * {@link #ROW_DOTS_MAX_ROWS}, beyond which the GEMM's rows-in-lanes tiles run (64 rows: level).
   */
  public static final int FP4_TABLE_MAX_ROWS = 24;

  /**
   * The system property that, set to {@code false} when a layer is built, keeps that W4A4 layer on the float
   * kernel (dequantized activations): for benchmarks comparing the two in one run.
   */
  public static final String FP4_TABLE_PROPERTY = "jquant.kernel.fp4Table";

  private static final KernelPlan CURRENT = new KernelPlan(Cpu.current());

  /**
   * The CPU facts the plan rests on.
   *
   * @param vectorApi whether the {@code jdk.incubator.vector} module is in this JVM
   * @param floatLanes the preferred float species' lanes (16 with AVX-512, 8 with AVX2), 0 without the module
   * @param shortLanes the preferred short species' lanes (32, 16), 0 without the module
   * @param intLanes the preferred int species' lanes (16, 8), 0 without the module
   */
  public record Cpu(boolean vectorApi, int floatLanes, int shortLanes, int intLanes) {
    /** The AVX-512 facts, with the Vector API. */
    public static final Cpu AVX512 = new Cpu(true, 16, 32, 16);
    /** The AVX2 facts, with the Vector API. */
    public static final Cpu AVX2 = new Cpu(true, 8, 16, 8);
    /** Any CPU without the Vector API module. */
    public static final Cpu NO_VECTOR_API = new Cpu(false, 0, 0, 0);

    /** This JVM's facts; names no vector type unless the module is present. */
    static Cpu current() {
      if (!VectorSupport.available()) {
        return NO_VECTOR_API;
      }
      return new Cpu(true, PreferredLanes.FLOATS, PreferredLanes.SHORTS, PreferredLanes.INTS);
    }
  }

  /** The loops a layer's rows may run. */
  public enum Loop {
    /** The exact W4A4 GEMV by table lookup of E2M1 products ({@link Fp4TableLanes}). */
    FP4_TABLE_GEMV,
    /** The exact integer W8A8 GEMV on codes also widened to shorts ({@link I8DotLanes#dotWide}). */
    INT8_DOT_WIDE,
    /** The exact integer W8A8 GEMV on byte codes ({@link I8DotLanes#dot}). */
    INT8_DOT,
    /** The format's GEMV on its vector lanes, streaming each weight row once. */
    VECTOR_GEMV,
    /** The format's GEMV in scalar code. */
    SCALAR_GEMV,
    /** {@link PanelGemm} over decoded panels, small batches with K in the lanes ({@link RowDots}). */
    ROW_DOTS,
    /** {@link PanelGemm} over decoded panels, tiles of activation rows in the lanes ({@link GemmLanes}). */
    PANEL_TILES,
    /** {@link PanelGemm} over decoded panels in scalar code. */
    SCALAR_PANELS
  }

  /** The kernel families, each with its own lanes and GEMV threshold. */
  public enum Kernel {
    /** FP32 and BF16 weights ({@link Fp32Linear}, {@link Bf16Linear}): {@link Gemv}. */
    FLOAT("FP32/BF16", "GemvLanes"),
    /**
     * NVFP4 and MXFP4 weights on the float kernel: W4A16, or W4A4 without the table GEMV ({@link Fp4Kernel}).
     */
    FP4("FP4 float", "Fp4Lanes"),
    /**
     * NVFP4 and MXFP4 W4A4 with the exact table GEMV ({@link Fp4TableLanes}, activations in the same format).
     */
    FP4_TABLE("FP4 W4A4", "Fp4Lanes"),
    /** MXFP8 ({@link Mxfp8Linear}). */
    MXFP8("MXFP8", "E4M3Lanes"),
    /** FP8 with tensor, row or block scales ({@link Fp8Linear}). */
    FP8("FP8", "E4M3Lanes"),
    /** INT8 weights on the float kernel: W8A16, or W8A8 without the integer dot ({@link Int8Linear}). */
    INT8_FLOAT("INT8 float", "I8Lanes"),
    /** INT8 W8A8 with the exact integer dot ({@link Int8Linear}, activations quantized per token). */
    INT8_DOT("INT8 W8A8", "I8DotLanes");

    private final String label;
    private final String lanes;

    Kernel(String label, String lanes) {
      this.label = label;
      this.lanes = lanes;
    }

    /** The name in the printed plan. */
    public String label() {
      return label;
    }
  }

  private final Cpu cpu;
  private final boolean gemmLanes;
  private final boolean rowDots;
  private final boolean eightBitLanes;
  private final boolean fp4Lanes;
  private final boolean int8DotLanes;
  private final boolean fp4TableLanes;

  private KernelPlan(Cpu cpu) {
    this.cpu = cpu;
    // GemmLanes.enabled(): the tiles need 8 or more float lanes.
    this.gemmLanes = cpu.vectorApi() && cpu.floatLanes() >= 8;
    // DotLanes.enabled(): RowDots' lane-sum tree is written for 16 float lanes (AVX-512).
    this.rowDots = gemmLanes && cpu.floatLanes() == 16;
    // KernelLanes.enabled(): a byte species of as many lanes as floats, so a power of two, 8 or more.
    this.eightBitLanes = cpu.vectorApi() && cpu.floatLanes() >= 8 && Integer.bitCount(cpu.floatLanes()) == 1;
    // Fp4Lanes.enabled(): its lookup and shuffles are written for 8 or 16 int lanes.
    this.fp4Lanes = cpu.vectorApi() && (cpu.intLanes() == 8 || cpu.intLanes() == 16);
    // I8DotLanes.enabled(), on top of the 8-bit lanes the layer's other paths use.
    this.int8DotLanes = eightBitLanes && cpu.shortLanes() >= 8;
    // Fp4TableLanes.enabled(): a lookup of 32 short lanes is one vpermw (AVX-512 BW); AVX2 has none.
    this.fp4TableLanes = fp4Lanes && cpu.shortLanes() == 32;
  }

  /** The plan of this JVM on this CPU, which the kernels follow. */
  public static KernelPlan current() {
    return CURRENT;
  }

  /** The plan another CPU's facts give. */
  public static KernelPlan forCpu(Cpu cpu) {
    return new KernelPlan(Objects.requireNonNull(cpu, "cpu"));
  }

  /** The facts this plan rests on. */
  public Cpu cpu() {
    return cpu;
  }

  /** Whether {@link PanelGemm}'s tiles and {@link Gemv}'s dots run on {@link GemmLanes}/{@link GemvLanes}. */
  boolean gemmLanes() {
    return gemmLanes;
  }

  /** Whether up to {@link #ROW_DOTS_MAX_ROWS} GEMM rows take {@link RowDots}: AVX-512 with the Vector API. */
  boolean rowDots() {
    return rowDots;
  }

  /** Whether the 8-bit kernels (INT8, FP8, MXFP8) run their lane loops ({@link KernelLanes}). */
  boolean eightBitLanes() {
    return eightBitLanes;
  }

  /** Whether the FP4 kernel runs its lane loops ({@link Fp4Lanes}). */
  boolean fp4Lanes() {
    return fp4Lanes;
  }

  /** Whether a W4A4 layer can run the exact table GEMV ({@link Fp4TableLanes}). */
  boolean fp4TableLanes() {
    return fp4TableLanes;
  }

  /** Whether a W8A8 layer can run the exact integer dot ({@link I8DotLanes}). */
  boolean int8DotLanes() {
    return int8DotLanes;
  }

  /**
   * The most rows FP32 and BF16 weights stream row by row; more rows are worth a decoded panel. With
   * {@link RowDots} (AVX-512) that is from 2 rows on (1536x384, 1 thread: 79 against 151 µs at 2 rows);
   * without, the panel tiles of rows in lanes need 5.
   */
  int floatGemvMaxRows() {
    return rowDots ? 1 : 4;
  }

  /**
   * {@link #EIGHT_BIT_GEMV_MAX_ROWS} for FP8 (tensor, row or block scales), whose panels decode faster: with
   * {@link RowDots} the GEMM wins from 3 rows (FP8 block 4096²: 4.4 against 4.7 ms; 1536x384: 163 against 259
   * µs) and loses at 2 on large weights (3.7 against 2.8 ms).
   */
  int fp8GemvMaxRows() {
    return rowDots ? 2 : 3;
  }

  /**
   * The most rows NVFP4 and MXFP4 stream. Measured on 4096² (1 thread): the GEMV costs about 1.1 ms per row,
   * the GEMM 9-12 ms up to 16 rows, so they cross between 8 and 16 rows; with {@link RowDots} (AVX-512) the
   * GEMM wins from 4 rows at every shape (MXFP4 4096², 3.4 against 4.1 ms; at 3 rows it still loses at 4096²
   * and 1536², 3.7 against 3.1 ms, and wins at 1536x384, 150 against 200 µs).
   */
  int fp4GemvMaxRows() {
    return rowDots ? 3 : 8;
  }

  /** The most rows a kernel family streams (its GEMV or integer dot); more run {@link PanelGemm}. */
  public int gemvMaxRows(Kernel kernel) {
    return switch (kernel) {
      case FLOAT -> floatGemvMaxRows();
      case FP4 -> fp4GemvMaxRows();
      case FP4_TABLE -> fp4TableLanes ? FP4_TABLE_MAX_ROWS : fp4GemvMaxRows();
      case MXFP8, INT8_FLOAT -> EIGHT_BIT_GEMV_MAX_ROWS;
      case FP8 -> fp8GemvMaxRows();
      case INT8_DOT -> int8DotLanes ? INT8_DOT_MAX_ROWS : EIGHT_BIT_GEMV_MAX_ROWS;
    };
  }

  /**
   * The kernel family a preset's layers run ({@link FormatPreset#INT8} is W8A8 with per-token activations, so
   * the integer dot for {@code K ≤} {@link #INT8_DOT_MAX_COLS}).
   */
  public static Kernel kernel(FormatPreset preset) {
    return switch (preset) {
      case NVFP4, MXFP4 -> Kernel.FP4_TABLE;
      case MXFP8 -> Kernel.MXFP8;
      case FP8_TENSOR, FP8_CHANNEL, FP8_BLOCK -> Kernel.FP8;
      case INT8 -> Kernel.INT8_DOT;
    };
  }

  /** The loop {@code rows} activation rows of a preset's layer run. */
  public Loop loop(FormatPreset preset, int rows) {
    return loop(kernel(preset), rows);
  }

  /**
   * The loop {@code rows} activation rows (1 or more) of a kernel family's layer run.
   *
   * @throws IllegalArgumentException for fewer than 1 row
   */
  public Loop loop(Kernel kernel, int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be 1 or more, got " + rows);
    }
    if (kernel == Kernel.INT8_DOT && int8DotLanes) {
      return rows <= INT8_WIDE_ROWS ? Loop.INT8_DOT_WIDE
          : rows <= INT8_DOT_MAX_ROWS ? Loop.INT8_DOT : panelLoop(rows);
    }
    if (kernel == Kernel.FP4_TABLE && fp4TableLanes) {
      return rows <= FP4_TABLE_MAX_ROWS ? Loop.FP4_TABLE_GEMV : panelLoop(rows);
    }
    if (rows <= gemvMaxRows(kernel)) {
      return lanes(kernel) ? Loop.VECTOR_GEMV : Loop.SCALAR_GEMV;
    }
    return panelLoop(rows);
  }

  /** The loop {@link PanelGemm} runs for {@code rows} rows. */
  Loop panelLoop(int rows) {
    return !gemmLanes ? Loop.SCALAR_PANELS
        : rowDots && rows <= ROW_DOTS_MAX_ROWS ? Loop.ROW_DOTS
            : Loop.PANEL_TILES;
  }

  private boolean lanes(Kernel kernel) {
    return switch (kernel) {
      case FLOAT -> gemmLanes;
      case FP4, FP4_TABLE -> fp4Lanes;
      case MXFP8, FP8, INT8_FLOAT, INT8_DOT -> eightBitLanes;
    };
  }

  /** The loop as the plan prints it, e.g. {@code "vector GEMV (E4M3Lanes, 16 float lanes)"}. */
  public String describe(Kernel kernel, Loop loop) {
    return switch (loop) {
      case FP4_TABLE_GEMV -> "exact W4A4 table GEMV (Fp4TableLanes, " + cpu.shortLanes() + " short lanes)";
      case INT8_DOT_WIDE -> "exact int8 dot, short codes (I8DotLanes, " + cpu.shortLanes() + " short lanes)";
      case INT8_DOT -> "exact int8 dot, byte codes (I8DotLanes, " + cpu.shortLanes() + " short lanes)";
      case VECTOR_GEMV -> "vector GEMV (" + kernel.lanes + ", "
          + (kernel == Kernel.FP4 || kernel == Kernel.FP4_TABLE ? cpu.intLanes() + " int"
              : cpu.floatLanes() + " float")
          + " lanes)";
      case SCALAR_GEMV -> "scalar GEMV" + (cpu.vectorApi() ? "" : ": no " + VectorSupport.MODULE);
      case ROW_DOTS -> "panel GEMM, K in lanes (RowDots, " + cpu.floatLanes() + " float lanes)";
      case PANEL_TILES -> "panel GEMM, rows in lanes (GemmLanes " + (cpu.floatLanes() >= 16 ? "6x4" : "6x2")
          + " tiles, " + cpu.floatLanes() + " float lanes)";
      case SCALAR_PANELS -> "scalar panel GEMM" + (cpu.vectorApi() ? "" : ": no " + VectorSupport.MODULE);
    };
  }

  /**
   * The plan as text: the CPU facts, then per kernel family each range of rows with one loop, e.g.
   * {@code "FP8           1-2     vector GEMV (E4M3Lanes, 16 float lanes)"}, then the family of each
   * {@link FormatPreset}.
   */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("CPU: " + (cpu.vectorApi()
        ? VectorSupport.MODULE + " present; preferred lanes: " + cpu.floatLanes() + " float, "
            + cpu.shortLanes() + " short, " + cpu.intLanes() + " int"
        : "no " + VectorSupport.MODULE + " (start java with --add-modules " + VectorSupport.MODULE + ")"));
    lines.add(
        "INT8 W8A8 takes the integer dot for K <= " + INT8_DOT_MAX_COLS + " unless -D" + INT8_DOT_PROPERTY
            + "=false");
    lines.add("NVFP4/MXFP4 W4A4 (activations in the weight's format) take the table GEMV unless -D"
        + FP4_TABLE_PROPERTY + "=false");
    lines.add(String.format("%-13s %-7s %s", "kernel", "rows", "loop"));
    int last = ROW_DOTS_MAX_ROWS + 1;
    for (Kernel kernel : Kernel.values()) {
      int from = 1;
      for (int rows = 2; rows <= last + 1; rows++) {
        Loop loop = loop(kernel, from);
        if (rows > last || loop(kernel, rows) != loop) {
          String range = rows > last ? from + "+" : from == rows - 1 ? "" + from : from + "-" + (rows - 1);
          lines.add(String.format("%-13s %-7s %s", kernel.label(), range, describe(kernel, loop)));
          from = rows;
        }
      }
    }
    lines.add("presets: " + presets());
    return lines;
  }

  /** Which family each preset runs, e.g. {@code "nvfp4, mxfp4 = NVFP4/MXFP4; ..."}. */
  private static String presets() {
    List<String> groups = new ArrayList<>();
    for (Kernel kernel : Kernel.values()) {
      List<String> options = new ArrayList<>();
      for (FormatPreset preset : FormatPreset.values()) {
        if (kernel(preset) == kernel) {
          options.add(preset.option());
        }
      }
      if (!options.isEmpty()) {
        groups.add(String.join(", ", options) + " = " + kernel.label());
      }
    }
    return String.join("; ", groups);
  }
}
