package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.Linear;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.MxQuantizer;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.Nvfp4Quantizer;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Nvfp4Linear} and {@link Mxfp4Linear} against {@link ReferenceMatmul} (their weights' own
 * {@code dequantize()}, then the matmul in double): GEMV and panel paths, vector and scalar loops, every
 * chunk and tail case of the lane loop (K below a chunk, whole chunk groups, a lone chunk, a short block
 * tail), adversarial weights and activations, quantized activations, and thread counts that must not change a
 * bit.
 *
 * <p>Tolerance: {@link ReferenceMatmul#assertClose} with depth K + 4, the float32 bound for K products added
 * in any order plus the block scale's rounding; a wrong block, scale or lane permutation is off by a whole
 * product, far beyond it.
 */
class Fp4LinearTest {
  private static final KernelThreads TWO = KernelThreads.create(2);

  private static final int[] ROWS = { 1, 2, 3, 4, 5, 7, 9, 12, 17, 24, 32, 64 };

  /** The two formats, built from raw codes or quantized floats. */
  enum Format {
    NVFP4(16),
    MXFP4(32);

    final int block;

    Format(int block) {
      this.block = block;
    }

    /** Weights from random floats through the format's quantizer. */
    QuantizedWeights quantize(int n, int k, long seed) {
      Random random = new Random(seed);
      float[] values = new float[n * k];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() * Math.exp(2 * random.nextGaussian()));
      }
      FloatMatrix w = new FloatMatrix("w", n, k, values);
      return this == NVFP4 ? new Nvfp4Quantizer().quantize(w)
          : new MxQuantizer(MxElement.FP4_E2M1).quantize(w);
    }

    /** Weights from the given packed codes and scale bytes. */
    QuantizedWeights raw(int n, int k, byte[] packed, byte[] scales, float global) {
      return this == NVFP4
          ? Nvfp4Weights.fromModelopt("w", n, k, packed, scales, global)
          : new MxWeights("w", n, k, MxElement.FP4_E2M1, packed, scales);
    }

    /** Random packed bytes and scale bytes; {@code nanScales} allows the NaN scale codes. */
    <W extends QuantizedWeights> W random(int n, int k, float global, boolean nanScales, long seed) {
      Random random = new Random(seed);
      byte[] packed = new byte[n * k / 2];
      random.nextBytes(packed);
      byte[] scales = new byte[n * k / block];
      for (int i = 0; i < scales.length; i++) {
        int b = this == NVFP4 ? random.nextInt(256) : 110 + random.nextInt(30);
        if (!nanScales && (this == NVFP4 ? Fp8E4M3.isNaN((byte) b) : b == 255)) {
          b = 0x38;
        }
        scales[i] = (byte) b;
      }
      @SuppressWarnings("unchecked")
      W w = (W) raw(n, k, packed, scales, global);
      return w;
    }

    Linear linear(QuantizedWeights w, InputActivations activations, float[] bias) {
      return this == NVFP4
          ? Nvfp4Linear.of("layer", (Nvfp4Weights) w, activations, bias)
          : Mxfp4Linear.of("layer", (MxWeights) w, activations, bias);
    }

    Linear scalar(Linear linear) {
      return linear instanceof Nvfp4Linear nv ? nv.scalar() : ((Mxfp4Linear) linear).scalar();
    }

    WeightPanels panels(Linear linear) {
      return linear instanceof Nvfp4Linear nv ? nv.panels() : ((Mxfp4Linear) linear).panels();
    }

    /** K values that hit: less than a chunk, a chunk group, a lone chunk, groups plus a short tail. */
    int[] depths() {
      return this == NVFP4 ? new int[] { 16, 48, 128, 256, 384, 1040 }
          : new int[] { 32, 96, 128, 384, 640, 1056 };
    }
  }

  @AfterAll
  static void closeThreads() {
    TWO.close();
  }

  private static float[] randomX(int rows, int k, long seed) {
    Random random = new Random(seed);
    float[] x = new float[rows * k];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  private static float[] randomBias(int n, long seed) {
    Random random = new Random(seed);
    float[] bias = new float[n];
    for (int i = 0; i < n; i++) {
      bias[i] = (float) random.nextGaussian();
    }
    return bias;
  }

  /** Runs the layer on 1 and 2 threads and on the scalar loops, checks all against the reference. */
  private static float[] check(Format format, QuantizedWeights w, InputActivations activations, float[] bias,
      float[] x, int rows, float[] expectedInput, String what) {
    Linear linear = format.linear(w, activations, bias);
    int n = w.rows();
    int k = w.cols();
    float[] y1 = new float[rows * n];
    float[] y2 = new float[rows * n];
    float[] ys = new float[rows * n];
    linear.forward(x, y1, rows);
    linear.forward(x, y2, rows, TWO);
    format.scalar(linear).forward(x, ys, rows);
    ReferenceMatmul ref = ReferenceMatmul.of(expectedInput, rows, w.dequantize(), bias);
    ref.assertClose(y1, k + 4, what + ", 1 thread");
    ref.assertClose(ys, k + 4, what + ", scalar loops");
    assertSameBits(y1, y2, what + ": 1 and 2 threads");
    return y1;
  }

  /** Same bits, any NaN matching any NaN (ReferenceMatmul8#assertSameBits says why). */
  private static void assertSameBits(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), what + " at " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void quantizedWeightsEveryShape(Format format) {
    long seed = 1;
    for (int k : format.depths()) {
      for (int n : new int[] { 1, 3, 33, 67 }) {
        QuantizedWeights w = format.quantize(n, k, seed++);
        float[] bias = n == 33 ? null : randomBias(n, seed++);
        for (int rows : ROWS) {
          if (rows == 64 && k > 400) {
            continue; // the panel path at full size is covered below
          }
          float[] x = randomX(rows, k, seed++);
          check(format, w, InputActivations.weightOnly(), bias, x, rows, x,
              format + " N=" + n + " K=" + k + " M=" + rows);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void largePanelPath(Format format) {
    QuantizedWeights w = format.quantize(67, 1056, 7);
    float[] x = randomX(64, 1056, 8);
    check(format, w, InputActivations.weightOnly(), randomBias(67, 9), x, 64, x, format + " M=64 K=1056");
  }

  @Test
  void nvfp4ScalesWithAndWithoutSubnormalCodes() {
    // The GEMV decodes the E4M3 scales one way when no code is subnormal and another (no float32 denormal
    // step) when some are: half the codes subnormal (both signs, and zero), then none (normal codes of both
    // signs only); 1 and 3 rows take the GEMV, 9 the panels.
    long seed = 500;
    for (boolean subnormal : new boolean[] { true, false }) {
      Random random = new Random(seed++);
      int n = 33;
      int k = 384;
      byte[] packed = new byte[n * k / 2];
      random.nextBytes(packed);
      byte[] scales = new byte[n * k / 16];
      for (int i = 0; i < scales.length; i++) {
        int sign = random.nextBoolean() ? 0x80 : 0;
        int magnitude = subnormal && random.nextBoolean() ? random.nextInt(8) : 0x08 + random.nextInt(0x77);
        scales[i] = (byte) (sign | magnitude);
      }
      QuantizedWeights w = Format.NVFP4.raw(n, k, packed, scales, 0.37f);
      for (int rows : new int[] { 1, 3, 9 }) {
        float[] x = randomX(rows, k, seed++);
        check(Format.NVFP4, w, InputActivations.weightOnly(), null, x, rows, x,
            "NVFP4 subnormal scales " + subnormal + ", rows " + rows);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void randomCodesAndScales(Format format) {
    long seed = 100;
    for (int k : format.depths()) {
      for (float global : new float[] { 1.0f, 0x1p-20f, 3e-30f, 1e20f }) {
        if (format == Format.MXFP4 && global != 1.0f) {
          continue;
        }
        QuantizedWeights w = format.random(33, k, global, false, seed++);
        float scaleX = global > 1 ? 1e-20f : 1.0f;
        for (int rows : new int[] { 1, 2, 7 }) {
          float[] x = randomX(rows, k, seed++);
          for (int i = 0; i < x.length; i++) {
            x[i] *= scaleX;
          }
          check(format, w, InputActivations.weightOnly(), null, x, rows, x,
              format + " raw K=" + k + " g=" + global);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void zeroEqualAndExtremeBlocks(Format format) {
    int n = 5;
    int k = 384 + format.block; // two chunk groups (NVFP4) or one and a bit (MXFP4), then a tail block
    byte[] packed = new byte[n * k / 2];
    byte[] scales = new byte[n * k / format.block];
    int scaleRow = k / format.block;
    // Row 0: all codes 0 (zeros) with nonzero scales; row 1: all 6.0 at the largest scale; row 2: all -0.5
    // with scale 0 (NVFP4) or the smallest (MXFP4); row 3: alternating ±6; row 4: mixed, scale 0 in every
    // other.
    Arrays.fill(scales, 0, scaleRow, (byte) 0x38);
    Arrays.fill(packed, k / 2, k, (byte) 0x77);
    Arrays.fill(scales, scaleRow, 2 * scaleRow, (byte) (format == Format.NVFP4 ? 0x7E : 140));
    Arrays.fill(packed, k, 3 * k / 2, (byte) 0x99);
    Arrays.fill(scales, 2 * scaleRow, 3 * scaleRow, (byte) 0);
    Arrays.fill(packed, 3 * k / 2, 2 * k, (byte) 0xF7);
    Arrays.fill(scales, 3 * scaleRow, 4 * scaleRow, (byte) (format == Format.NVFP4 ? 0x01 : 100));
    Random random = new Random(5);
    for (int i = 2 * k; i < 5 * k / 2; i++) {
      packed[i] = (byte) random.nextInt(256);
    }
    for (int b = 0; b < scaleRow; b++) {
      scales[4 * scaleRow + b] = (byte) (b % 2 == 0 ? 0 : 0x48);
    }
    QuantizedWeights w = format.raw(n, k, packed, scales, 1.0f);
    for (int rows : new int[] { 1, 3, 8 }) {
      float[] x = randomX(rows, k, rows);
      check(format, w, InputActivations.weightOnly(), randomBias(n, 3), x, rows, x, format + " blocks");
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void nanAndInfinityInActivationsReachExactlyTheirOutputs(Format format) {
    int k = 384 + format.block;
    QuantizedWeights w = format.random(7, k, 1.0f, false, 11);
    for (int rows : new int[] { 1, 3, 6 }) {
      float[] x = randomX(rows, k, 12);
      x[5] = Float.NaN; // row 0: every output NaN
      if (rows > 1) {
        x[k + 200] = Float.POSITIVE_INFINITY; // row 1: ±Inf or NaN as each weight says
      }
      if (rows > 2) {
        x[2 * k + k - 1] = Float.NEGATIVE_INFINITY; // row 2: in the scalar tail
        x[2 * k + 3] = Float.POSITIVE_INFINITY;
      }
      float[] y = check(format, w, InputActivations.weightOnly(), null, x, rows, x, format + " NaN/Inf");
      for (int j = 0; j < 7; j++) {
        assertTrue(Float.isNaN(y[j]), "row 0 column " + j);
        if (rows > 3) {
          assertTrue(Float.isFinite(y[3 * 7 + j]), "row 3 column " + j);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void nanScaleCodesMakeTheirRowsNaN(Format format) {
    int k = 256;
    QuantizedWeights w = format.random(4, k, 1.0f, false, 21);
    byte[] scales = format == Format.NVFP4 ? ((Nvfp4Weights) w).blockScales() : ((MxWeights) w).scales();
    int scaleRow = k / format.block;
    scales[scaleRow + 3] = format == Format.NVFP4 ? (byte) 0x7F : (byte) 0xFF;
    if (format == Format.NVFP4) {
      scales[3 * scaleRow + scaleRow - 1] = (byte) 0xFF;
    }
    for (int rows : new int[] { 1, 5 }) {
      float[] x = randomX(rows, k, 22);
      float[] y = check(format, w, InputActivations.weightOnly(), null, x, rows, x, format + " NaN scales");
      assertTrue(Float.isNaN(y[1]));
      assertTrue(Float.isFinite(y[0]));
    }
  }

  @Test
  void nvfp4WithQuantizedActivations() {
    for (ActivationQuantizer quantizer : new ActivationQuantizer[] { ActivationQuantizer.nvfp4Static(0.02f),
        ActivationQuantizer.nvfp4Dynamic() }) {
      for (int k : new int[] { 48, 1040 }) {
        QuantizedWeights w = Format.NVFP4.quantize(33, k, k);
        for (int rows : new int[] { 1, 3, 7 }) {
          float[] x = randomX(rows, k, rows + k);
          x[1] = Float.NaN;
          float[] expected = quantizer.quantize(new FloatMatrix("in", rows, k, x)).dequantize().values();
          check(Format.NVFP4, w, InputActivations.quantized(quantizer), randomBias(33, 1), x, rows, expected,
              "NVFP4 " + quantizer + " K=" + k + " M=" + rows);
        }
      }
    }
  }

  @Test
  void mxfp4WithQuantizedActivations() {
    for (MxScaleMode mode : MxScaleMode.values()) {
      ActivationQuantizer quantizer = ActivationQuantizer.mx(MxElement.FP4_E2M1, mode);
      QuantizedWeights w = Format.MXFP4.quantize(67, 1056, 3);
      for (int rows : new int[] { 1, 2, 7 }) {
        float[] x = randomX(rows, 1056, rows);
        float[] expected = quantizer.quantize(new FloatMatrix("in", rows, 1056, x)).dequantize().values();
        check(Format.MXFP4, w, InputActivations.quantized(quantizer), null, x, rows, expected,
            "MXFP4 " + quantizer + " M=" + rows);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void panelsAreTheDequantizedWeightBitForBit(Format format) {
    int k = 1040 + (format == Format.MXFP4 ? 16 : 0);
    QuantizedWeights w = format.random(9, k, 0.37f, true, 31);
    float[] expected = w.dequantize().values();
    Linear linear = format.linear(w, InputActivations.weightOnly(), null);
    for (WeightPanels panels : new WeightPanels[] { format.panels(linear),
        format.panels(format.scalar(linear)) }) {
      assertEquals(9, panels.rows());
      assertEquals(k, panels.cols());
      float[] all = new float[9 * k];
      panels.decode(0, 9, 0, k, all);
      assertSameBits(expected, all, format + " whole");
      int k0 = 2 * 128;
      int depth = k - k0;
      float[] tile = new float[3 * depth];
      panels.decode(5, 3, k0, depth, tile);
      for (int j = 0; j < 3; j++) {
        assertSameBits(Arrays.copyOfRange(expected, (5 + j) * k + k0, (6 + j) * k),
            Arrays.copyOfRange(tile, j * depth, (j + 1) * depth), format + " tile row " + j);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void panelsDecodeEveryScaleCodeBitForBit(Format format) {
    // Every scale byte in turn, the panel decoding them 16 at a time: MXFP4 with E8M0 0 (2^-127) and 255
    // (NaN);
    // NVFP4 with both NaN codes but no subnormal code, the scale decode's other path (random() has both).
    int n = 8;
    int k = 1024 + format.block;
    byte[] packed = new byte[n * k / 2];
    new Random(77).nextBytes(packed);
    byte[] scales = new byte[n * k / format.block];
    for (int i = 0; i < scales.length; i++) {
      int code = i % 256;
      scales[i] = (byte) (format == Format.NVFP4 && (code & 0x78) == 0 && (code & 7) != 0 ? code | 0x08
          : code);
    }
    QuantizedWeights w = format.raw(n, k, packed, scales, 0.37f);
    float[] expected = w.dequantize().values();
    WeightPanels panels = format.panels(format.linear(w, InputActivations.weightOnly(), null));
    float[] all = new float[n * k];
    panels.decode(0, n, 0, k, all);
    assertSameBits(expected, all, format + " every scale code");
  }

  @Test
  void offHeapTensorsGiveTheSameBitsAsArrays() {
    Nvfp4Weights w = (Nvfp4Weights) Format.NVFP4.quantize(33, 1040, 41);
    float[] x = randomX(3, 1040, 42);
    float[] expected = new float[3 * 33];
    Nvfp4Linear.of("L", w, InputActivations.weightOnly(), null).forward(x, expected, 3);
    try (Arena arena = Arena.ofConfined()) {
      TensorView weight = offHeap(arena, w.tensors().get(0));
      TensorView scale = offHeap(arena, w.tensors().get(1));
      float[] y = new float[3 * 33];
      Nvfp4Linear.create("L", weight, scale, w.globalScale(), InputActivations.weightOnly(), null).forward(x,
          y, 3);
      assertSameBits(expected, y, "off-heap");
    }
  }

  private static TensorView offHeap(Arena arena, StoredTensor tensor) {
    MemorySegment segment = arena.allocate(tensor.bytes().length, 64)
        .copyFrom(MemorySegment.ofArray(tensor.bytes()));
    return new TensorView(tensor.name(), tensor.dtype(), tensor.shape(), segment);
  }

  @Test
  void layerDescribesItself() {
    Nvfp4Linear nv = Nvfp4Linear.of("m.q", (Nvfp4Weights) Format.NVFP4.quantize(3, 48, 1),
        InputActivations.weightOnly(), null);
    assertEquals("m.q", nv.name());
    assertEquals(48, nv.inFeatures());
    assertEquals(3, nv.outFeatures());
    assertEquals(3 * 24 + 3 * 3, nv.weightBytes());
    Mxfp4Linear mx = Mxfp4Linear.of("m.k", (MxWeights) Format.MXFP4.quantize(3, 64, 1),
        InputActivations.weightOnly(), null);
    assertEquals(3 * 32 + 3 * 2, mx.weightBytes());
    assertEquals("Mxfp4Linear[m.k [3, 64], weight-only]", mx.toString());
  }

  @Test
  void zeroRowsWritesNothing() {
    Linear linear = Format.NVFP4.linear(Format.NVFP4.quantize(3, 48, 1), InputActivations.weightOnly(), null);
    float[] y = { 7 };
    linear.forward(new float[0], y, 0);
    assertArrayEquals(new float[] { 7 }, y);
  }

  private static TensorView view(String name, StorageDType dtype, long... shape) {
    long count = 1;
    for (long dim : shape) {
      count *= dim;
    }
    return StoredTensor.of(name, dtype, new byte[(int) (count * dtype.bits() / 8)], shape).view();
  }

  @Test
  void constructionErrorsNameTheLayerTensorAndShapes() {
    InputActivations none = InputActivations.weightOnly();
    TensorView scale = view("weight_scale", StorageDType.F8_E4M3, 4, 3);
    assertMessage("layer L: tensor weight is I8 [4, 24], expected U8 [out_features, in_features / 2]",
        () -> Nvfp4Linear.create("L", view("weight", StorageDType.I8, 4, 24), scale, 1f, none, null));
    assertMessage("layer L: tensor weight is U8 [96], expected U8 [out_features, in_features / 2]",
        () -> Nvfp4Linear.create("L", view("weight", StorageDType.U8, 96), scale, 1f, none, null));
    assertMessage("layer L: NVFP4 needs in_features to be a multiple of 16, got 40",
        () -> Nvfp4Linear.create("L", view("weight", StorageDType.U8, 4, 20), scale, 1f, none, null));
    assertMessage("layer L: tensor weight_scale is F8_E4M3 [4, 3], expected F8_E4M3 [4, 2]",
        () -> Nvfp4Linear.create("L", view("weight", StorageDType.U8, 4, 16), scale, 1f, none, null));
    assertMessage("layer L: tensor weight_scale is U8 [4, 3], expected F8_E4M3 [4, 3]",
        () -> Nvfp4Linear.create("L", view("weight", StorageDType.U8, 4, 24),
            view("weight_scale", StorageDType.U8, 4, 3), 1f, none, null));
    assertMessage("layer L: weight_scale_2 must be finite and positive, got NaN",
        () -> Nvfp4Linear.create("L", view("weight", StorageDType.U8, 4, 24), scale, Float.NaN, none, null));
    assertMessage("layer L: weight_scale_2 must be finite and positive, got 0.0",
        () -> Nvfp4Linear.create("L", view("weight", StorageDType.U8, 4, 24), scale, 0f, none, null));
    assertMessage("layer L: bias has 3 values, but the layer has 4 outputs",
        () -> Nvfp4Linear.create("L", view("weight", StorageDType.U8, 4, 24), scale, 1f, none, new float[3]));
    assertMessage("layer L: a linear layer has positive dimensions, not [0, 48]",
        () -> Nvfp4Linear.create("L", view("weight", StorageDType.U8, 0, 24),
            view("weight_scale", StorageDType.F8_E4M3, 0, 3), 1f, none, null));
    assertMessage("layer L: NVFP4 needs in_features to be a multiple of 16, got 17",
        () -> Nvfp4Linear.of("L", Nvfp4Weights.fromModelopt("w", 1, 17, new byte[9], new byte[2], 1f), none,
            null));

    TensorView mxScale = view("weight_scale", StorageDType.U8, 4, 2);
    assertMessage("layer M: MXFP4 needs in_features to be a multiple of 32, got 48",
        () -> Mxfp4Linear.create("M", view("weight", StorageDType.U8, 4, 24), mxScale, none, null));
    assertMessage("layer M: tensor weight_scale is U8 [4, 2], expected U8 [4, 3]",
        () -> Mxfp4Linear.create("M", view("weight", StorageDType.U8, 4, 48), mxScale, none, null));
    assertMessage("layer M: tensor weight_scale is F8_E4M3 [4, 2], expected U8 [4, 2]",
        () -> Mxfp4Linear.create("M", view("weight", StorageDType.U8, 4, 32),
            view("weight_scale", StorageDType.F8_E4M3, 4, 2), none, null));
    assertMessage("layer M: MXFP4 needs FP4_E2M1 elements, got FP8_E4M3",
        () -> Mxfp4Linear.of("M", new MxWeights("w", 1, 32, MxElement.FP8_E4M3, new byte[32], new byte[1]),
            none,
            null));
    // The E8M0 dtype is accepted as well as U8.
    Mxfp4Linear e8m0 = Mxfp4Linear.create("M", view("weight", StorageDType.U8, 4, 32),
        view("weight_scale", StorageDType.F8_E8M0, 4, 2), none, null);
    assertEquals(64, e8m0.inFeatures());
  }

  @Test
  void forwardRefusesShortArrays() {
    Linear linear = Format.MXFP4.linear(Format.MXFP4.quantize(3, 64, 1), InputActivations.weightOnly(), null);
    assertMessage("layer layer: forward of 2 rows needs x of 128 and y of 6 values; got 127 and 6",
        () -> linear.forward(new float[127], new float[6], 2));
  }

  private static void assertMessage(String message, org.junit.jupiter.api.function.Executable call) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
  }
}
