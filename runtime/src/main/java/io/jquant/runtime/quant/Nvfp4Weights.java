package io.jquant.runtime.quant;

import static io.jquant.runtime.quant.QuantChecks.requireLength;
import static io.jquant.runtime.quant.QuantChecks.sibling;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.Fp4E2M1Bulk;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An NVFP4 weight {@code [N, K]} (docs/FORMATS.md §2): E2M1 elements packed two per byte, one E4M3 scale per
 * 16 elements along K, and one float32 per-tensor scale.
 *
 * <p>Layout: row {@code r} of {@code packed} is {@code ceil(K/2)} bytes, element {@code 2j} in the low nibble
 * of byte {@code j} and {@code 2j+1} in the high nibble; an odd K leaves the last high nibble 0. Row
 * {@code r} of {@code blockScales} is {@code ceil(K/16)} E4M3 bytes, the last one covering the short final
 * block when 16 does not divide K. modelopt itself zero-pads K to a multiple of 16 first, which gives the
 * same scales and {@code ceil(K/16)·8} packed bytes per row (the extra bytes all 0); this class keeps only
 * the real elements.
 *
 * <p>The arrays are owned by the record and shared, not copied, by {@link #tensors()}.
 *
 * @param name the weight's name, e.g. {@code "model.layers.0.mlp.down_proj.weight"}
 * @param rows N, positive
 * @param cols K in elements, positive
 * @param packed {@code N · ceil(K/2)} bytes of E2M1 codes
 * @param blockScales {@code N · ceil(K/16)} E4M3 bytes
 * @param globalScale the per-tensor scale, finite and positive; its meaning is {@code convention}'s
 * @param convention whether {@code globalScale} multiplies (modelopt) or divides (compressed-tensors)
 */
public record Nvfp4Weights(String name, int rows, int cols, byte[] packed, byte[] blockScales,
    float globalScale,
    Nvfp4GlobalScale convention) implements QuantizedWeights {
  /** The number of elements along K that share one E4M3 scale. */
  public static final int BLOCK = 16;

  /** Checks every array against the shape and the global scale, naming the offending tensor. */
  public Nvfp4Weights {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(packed, "packed");
    Objects.requireNonNull(blockScales, "blockScales");
    Objects.requireNonNull(convention, "convention");
    QuantChecks.requireShape(name, rows, cols);
    requireLength(packed.length, sibling(name, convention.dataTensor()), "U8", rows, packedCols(cols), rows,
        cols);
    requireLength(blockScales.length, sibling(name, "weight_scale"), "F8_E4M3", rows, scaleCols(cols), rows,
        cols);
    if (!Float.isFinite(globalScale) || !(globalScale > 0.0f)) {
      throw new IllegalArgumentException("tensor " + sibling(name, convention.globalTensor())
          + ": the global scale must be finite and positive, got " + globalScale);
    }
  }

  /**
   * Reads modelopt's tensors ({@code weight}, {@code weight_scale}, {@code weight_scale_2}) from their
   * contents.
   *
   * @throws IllegalArgumentException naming the tensor and both shapes when an array does not fit
   * {@code [rows, cols]}, or when {@code weightScale2} is not finite and positive
   */
  public static Nvfp4Weights fromModelopt(String name, int rows, int cols, byte[] weight, byte[] weightScale,
      float weightScale2) {
    return new Nvfp4Weights(name, rows, cols, weight, weightScale, weightScale2, Nvfp4GlobalScale.MULTIPLIER);
  }

  /**
   * Reads compressed-tensors' {@code nvfp4-pack-quantized} tensors from their contents:
   * {@code weight_packed}, {@code weight_scale} and {@code weight_global_scale}, the last a divisor
   * ({@code 448·6/amax}).
   *
   * @throws IllegalArgumentException naming the tensor and both shapes when an array does not fit
   * {@code [rows, cols]}, or when {@code weightGlobalScale} is not finite and positive
   */
  public static Nvfp4Weights fromCompressedTensors(String name, int rows, int cols, byte[] weightPacked,
      byte[] weightScale, float weightGlobalScale) {
    return new Nvfp4Weights(name, rows, cols, weightPacked, weightScale, weightGlobalScale,
        Nvfp4GlobalScale.DIVISOR);
  }

  /** The packed bytes per row: {@code ceil(K/2)}. */
  public static int packedCols(int cols) {
    return Math.ceilDiv(cols, 2);
  }

  /** The block scales per row: {@code ceil(K/16)}. */
  public static int scaleCols(int cols) {
    return Math.ceilDiv(cols, BLOCK);
  }

  /**
   * The float32 scale of block {@code [row, block]}: {@code fp8 · global} (modelopt's
   * {@code weight_scale · weight_scale_2}) or {@code fp8 / global} (compressed-tensors), as the references
   * compute it before multiplying the elements.
   */
  public float blockScale(int row, int block) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(block, scaleCols(cols));
    float fp8 = Fp8E4M3.decode(blockScales[row * scaleCols(cols) + block]);
    return convention == Nvfp4GlobalScale.MULTIPLIER ? fp8 * globalScale : fp8 / globalScale;
  }

  /** {@code E2M1 · blockScale} per element: a block whose E4M3 scale is 0x00 dequantizes to ±0. */
  @Override
  public FloatMatrix dequantize() {
    float[] values = new float[QuantChecks.dequantizedLength(name, rows, cols)];
    int packedRow = packedCols(cols);
    int scaleRow = scaleCols(cols);
    // Every block scale first, as blockScale computes it, then one call per row.
    float[] scales = new float[blockScales.length];
    if (convention == Nvfp4GlobalScale.MULTIPLIER) {
      Fp8E4M3Bulk.decodeScaled(blockScales, 0, globalScale, scales, 0, scales.length);
    } else {
      Fp8E4M3Bulk.decode(blockScales, 0, scales, 0, scales.length);
      for (int k = 0; k < scales.length; k++) {
        scales[k] = scales[k] / globalScale;
      }
    }
    for (int r = 0; r < rows; r++) {
      Fp4E2M1Bulk.decodeBlocksScaled(packed, r * packedRow, cols, BLOCK, scales, r * scaleRow, values,
          r * cols);
    }
    return new FloatMatrix(name, rows, cols, values);
  }

  /**
   * The same weight in modelopt's convention: this one if it is already, else with
   * {@code weight_scale_2 = 1/weight_global_scale}, but only when that is exact, i.e. {@code fp8 · (1/g)}
   * equals {@code fp8 / g} in float32 for every block scale present, so both forms dequantize to the same
   * bits.
   *
   * @throws IllegalStateException naming the tensor and the first block scale that would change
   */
  public Nvfp4Weights toModelopt() {
    if (convention == Nvfp4GlobalScale.MULTIPLIER) {
      return this;
    }
    float reciprocal = 1.0f / globalScale;
    boolean[] present = new boolean[256];
    for (byte code : blockScales) {
      present[code & 0xFF] = true;
    }
    for (int code = 0; code < 256; code++) {
      float fp8 = Fp8E4M3.decode((byte) code);
      if (present[code] && !Float.isNaN(fp8)
          && (!Float.isFinite(reciprocal)
              || Float.floatToRawIntBits(fp8 * reciprocal) != Float.floatToRawIntBits(fp8 / globalScale))) {
        throw new IllegalStateException("tensor " + sibling(name, "weight_global_scale") + ": " + globalScale
            + " has no exact modelopt weight_scale_2: block scale 0x" + String.format("%02x", code) + " ("
            + fp8 + ") times 1/" + globalScale + " is " + fp8 * reciprocal + ", not " + fp8 / globalScale
            + "; requantize from the float weight to write modelopt tensors");
      }
    }
    return new Nvfp4Weights(name, rows, cols, packed, blockScales, reciprocal, Nvfp4GlobalScale.MULTIPLIER);
  }

  /**
   * modelopt's tensors, the layout jquant writes: {@code weight} U8 {@code [N, ceil(K/2)]},
   * {@code weight_scale} F8_E4M3 {@code [N, ceil(K/16)]}, {@code weight_scale_2} F32 {@code []}. A
   * compressed-tensors weight is converted by {@link #toModelopt()} first.
   *
   * @throws IllegalStateException when a compressed-tensors global scale has no exact modelopt form
   */
  @Override
  public List<StoredTensor> tensors() {
    Nvfp4Weights modelopt = toModelopt();
    return List.of(
        StoredTensor.of("weight", StorageDType.U8, packed, rows, packedCols(cols)),
        StoredTensor.of("weight_scale", StorageDType.F8_E4M3, blockScales, rows, scaleCols(cols)),
        StoredTensor.of("weight_scale_2", StorageDType.F32, LittleEndian.float32(modelopt.globalScale)));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Nvfp4Weights that
        && name.equals(that.name)
        && rows == that.rows
        && cols == that.cols
        && Arrays.equals(packed, that.packed)
        && Arrays.equals(blockScales, that.blockScales)
        && Float.floatToRawIntBits(globalScale) == Float.floatToRawIntBits(that.globalScale)
        && convention == that.convention;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, rows, cols, Arrays.hashCode(packed), Arrays.hashCode(blockScales), globalScale,
        convention);
  }

  @Override
  public String toString() {
    return "Nvfp4Weights[" + name + " [" + rows + ", " + cols + "], " + convention + " " + globalScale + "]";
  }
}
