package io.jquant.runtime.kernel;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;

/**
 * The FP4 matmul both public FP4 layers run (NVFP4 and MXFP4 differ only in the block size and the scale
 * decoding): the packed weight stays as the checkpoint stores it (heap segments copied off-heap once),
 * {@code [N, K/2]} bytes (element {@code 2j} in the low nibble of byte {@code j}) and {@code [N, K/block]}
 * scale bytes.
 *
 * <p>Up to {@link KernelPlan#fp4GemvMaxRows()} activation rows take the GEMV path, which streams each weight
 * row once per activation row through {@link Fp4Lanes#dot2} (two weight rows per pass, whole chunks), the
 * rest of a row by the scalar loop; more rows take {@link PanelGemm} over {@link #decode}. Either way a
 * weight row's sum is {@code Σ_blocks (Σ_block E2M1 · x) · scale}: the block's products are added unscaled
 * and then multiplied by the block scale, which differs from {@code x · dequantize()} only by float32
 * rounding (and can overflow where that does not only if {@code |x|} comes near 2^124). Every output column
 * is computed by one thread in a fixed order, so the thread count never changes a bit.
 */
final class Fp4Kernel implements WeightPanels {
  /** Whether the vector loops run: {@link KernelPlan#fp4Lanes()}. */
  static final boolean VECTOR = KernelPlan.current().fp4Lanes();

  private final boolean mx;
  private final int n;
  private final int k;
  private final int block;
  private final MemorySegment weight;
  private final MemorySegment scales;
  private final float global;
  private final boolean vector;
  /** NVFP4: some scale code is subnormal, which the GEMV's fast scale decode would turn into a denormal. */
  private final boolean subnormalScales;

  Fp4Kernel(boolean mx, int n, int k, MemorySegment weight, MemorySegment scales, float global,
      boolean vector) {
    this.mx = mx;
    this.n = n;
    this.k = k;
    this.block = mx ? 32 : 16;
    this.weight = vector ? OffHeap.of(weight) : weight;
    this.scales = vector ? OffHeap.of(scales) : scales;
    this.global = global;
    this.vector = vector;
    this.subnormalScales = !mx && anySubnormal(this.scales);
  }

  private static boolean anySubnormal(MemorySegment codes) {
    long size = codes.byteSize();
    for (long at = 0; at < size; at += 1 << 30) {
      if (E4M3Subnormals.any(codes, at, (int) Math.min(1 << 30, size - at))) {
        return true;
      }
    }
    return false;
  }

  /** The same kernel on the scalar loops (what runs without the Vector API): for tests. */
  Fp4Kernel scalar() {
    return new Fp4Kernel(mx, n, k, weight, scales, global, false);
  }

  /**
   * Reads N and K from the packed weight, which must be a U8 matrix {@code [N, K/2]}, and checks K against
   * the block; returns {@code {N, K}}.
   */
  static int[] packedShape(String layer, String format, TensorView weight, int block) {
    Objects.requireNonNull(weight, "weight");
    List<Long> shape = weight.shape();
    if (weight.dtype() != StorageDType.U8 || shape.size() != 2 || shape.get(1) > Integer.MAX_VALUE / 2
        || shape.get(0) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "layer " + layer + ": tensor " + weight.name() + " is " + weight.dtype()
              + " " + shape + ", expected U8 [out_features, in_features / 2]");
    }
    int n = (int) (long) shape.get(0);
    int k = (int) (2 * shape.get(1));
    LinearChecks.requireShape(layer, n, k);
    LinearChecks.requireBlockMultiple(layer, format, k, block);
    return new int[] { n, k };
  }

  @Override
  public int rows() {
    return n;
  }

  @Override
  public int cols() {
    return k;
  }

  long weightBytes() {
    return weight.byteSize() + scales.byteSize();
  }

  /** Whether the vector loops run (else the scalar ones). */
  boolean vector() {
    return vector;
  }

  /**
   * The weight repacked for the exact W4A4 table GEMV, or null when its scales are outside that kernel's
   * exact range ({@link Fp4TableWeights#fits}).
   */
  Fp4TableWeights tableWeights() {
    return Fp4TableWeights.ofExact(mx, n, k, weight, scales, global);
  }

  /** Whether MXFP4 (else NVFP4). */
  boolean mx() {
    return mx;
  }

  /** Elements per block scale along K: 16 (NVFP4) or 32 (MXFP4). */
  int block() {
    return block;
  }

  /**
   * The GEMV's input: the activation rows, each whole chunk in {@link Fp4Lanes}' lane order when permuted.
   */
  record GemvInput(float[] x, boolean permuted) {}

  /**
   * What {@link #computeColumns} multiplies, made once per call from the {@code rows · K} activation values:
   * a {@link GemvInput} for up to {@link KernelPlan#fp4GemvMaxRows()} rows, else the rows packed for
   * {@link PanelGemm}.
   */
  Object prepare(float[] values, int rows) {
    if (rows > KernelPlan.current().fp4GemvMaxRows()) {
      return PanelGemm.pack(values, rows, k);
    }
    if (!vector) {
      return new GemvInput(values, false);
    }
    float[] xT = new float[rows * k];
    for (int r = 0; r < rows; r++) {
      Fp4Lanes.permute(values, r * k, k, xT, r * k);
    }
    return new GemvInput(xT, true);
  }

  /** The raw sums of columns {@code [from, to)}, placed as {@link PackedLinear#computeColumns} says. */
  void computeColumns(Object prepared, int rows, int from, int to, float[] y, int yOffset, int yStride) {
    if (prepared instanceof PanelGemm.Packed packed) {
      PanelGemm.multiply(this, packed, from, to, y, yOffset, yStride);
    } else {
      GemvInput input = (GemvInput) prepared;
      if (input.permuted() != vector) {
        throw new IllegalStateException(
            "GEMV input prepared for the " + (input.permuted() ? "vector" : "scalar")
                + " loops given to the other kind");
      }
      gemv(input.x(), rows, from, to, y, yOffset, yStride);
    }
  }

  private void gemv(float[] xT, int rows, int from, int to, float[] y, int yOffset, int yStride) {
    boolean lanes = vector;
    int chunks = lanes ? k / Fp4Lanes.CHUNK : 0;
    int tail = chunks * (lanes ? Fp4Lanes.CHUNK : 0);
    int rowBytes = k / 2;
    int rowScales = k / block;
    float[] scratch = lanes ? new float[2 * Fp4Lanes.L] : null;
    float[] sums = new float[2];
    for (int r = 0; r < rows; r++) {
      int xOffset = r * k;
      int yRow = yOffset + r * yStride - from;
      for (int j = from; j < to; j += 2) {
        // An odd last row is paired with itself.
        int j1 = Math.min(j + 1, to - 1);
        if (lanes) {
          Fp4Lanes.dot2(mx, subnormalScales, weight, (long) j * rowBytes, (long) j1 * rowBytes, scales,
              (long) j * rowScales,
              (long) j1 * rowScales, global, xT, xOffset, chunks, scratch, sums);
        } else {
          sums[0] = 0;
          sums[1] = 0;
        }
        y[yRow + j] = sums[0] + rowDot(j, xT, xOffset, tail);
        if (j1 != j) {
          y[yRow + j1] = sums[1] + rowDot(j1, xT, xOffset, tail);
        }
      }
    }
  }

  /** The scalar loop: {@code Σ (Σ_block E2M1 · x) · scale} over the elements {@code [from, K)} of a row. */
  private float rowDot(int row, float[] x, int xOffset, int from) {
    long rowByte = (long) row * (k / 2);
    long rowScale = (long) row * (k / block);
    float sum = 0;
    for (int b = from / block; b < k / block; b++) {
      float partial = 0;
      for (int e = b * block; e < (b + 1) * block; e += 2) {
        int pair = weight.get(ValueLayout.JAVA_BYTE, rowByte + e / 2);
        partial += Fp4Codes.E2M1[pair & 0xF] * x[xOffset + e];
        partial += Fp4Codes.E2M1[(pair >>> 4) & 0xF] * x[xOffset + e + 1];
      }
      sum += partial * scale(scales.get(ValueLayout.JAVA_BYTE, rowScale + b));
    }
    return sum;
  }

  /** A block's float32 scale, as {@code dequantize()} computes it. */
  private float scale(byte code) {
    return mx ? Fp4Codes.E8M0_VALUES[code & 0xFF] : Fp4Codes.E4M3[code & 0xFF] * global;
  }

  @Override
  public void decode(int n0, int count, int k0, int depth, float[] panel) {
    int firstBlock = k0 / block;
    int blocks = Math.ceilDiv(depth, block);
    if (vector && k0 == 0 && depth == k) {
      wholeRows(n0, count, blocks, panel);
      return;
    }
    float[] rowScales = new float[blocks];
    for (int j = 0; j < count; j++) {
      long rowByte = (long) (n0 + j) * (k / 2) + k0 / 2;
      long rowScale = (long) (n0 + j) * (k / block) + firstBlock;
      int decoded = vector
          ? Fp4Lanes.decodeScales(mx, subnormalScales, scales, rowScale, blocks, global, rowScales)
          : 0;
      for (int b = decoded; b < blocks; b++) {
        rowScales[b] = scale(scales.get(ValueLayout.JAVA_BYTE, rowScale + b));
      }
      int done = vector ? Fp4Lanes.decode(weight, rowByte, depth, block, rowScales, 0, panel, j * depth) : 0;
      for (int i = done; i < depth; i++) {
        int pair = weight.get(ValueLayout.JAVA_BYTE, rowByte + i / 2);
        int code = i % 2 == 0 ? pair & 0xF : (pair >>> 4) & 0xF;
        panel[j * depth + i] = Fp4Codes.E2M1[code] * rowScales[i / block];
      }
    }
  }

  /**
   * {@link #decode} of whole rows: their block scales are contiguous, so all are decoded in one vector pass
   * (per row, K = 384 left 8 of 24 NVFP4 scales to the scalar loop).
   */
  private void wholeRows(int n0, int count, int blocks, float[] panel) {
    int total = count * blocks;
    long first = (long) n0 * blocks;
    float[] rowScales = new float[total];
    int decoded = Fp4Lanes.decodeScales(mx, subnormalScales, scales, first, total, global, rowScales);
    for (int b = decoded; b < total; b++) {
      rowScales[b] = scale(scales.get(ValueLayout.JAVA_BYTE, first + b));
    }
    for (int j = 0; j < count; j++) {
      long rowByte = (long) (n0 + j) * (k / 2);
      int done = Fp4Lanes.decode(weight, rowByte, k, block, rowScales, j * blocks, panel, j * k);
      for (int i = done; i < k; i++) {
        int pair = weight.get(ValueLayout.JAVA_BYTE, rowByte + i / 2);
        int code = i % 2 == 0 ? pair & 0xF : (pair >>> 4) & 0xF;
        panel[j * k + i] = Fp4Codes.E2M1[code] * rowScales[j * blocks + i / block];
      }
    }
  }
}
