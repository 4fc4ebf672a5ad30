package io.jquant.runtime.model;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.StrictJson;
import io.jquant.runtime.checkpoint.JsonStrings;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Recorded input amax per quantized projection: {@code max |x|} over every calibration input the module saw,
 * by module name ({@code model.layers.0.mlp.gate_proj}). What {@link AmaxRecorder} produces, what
 * {@link CalibratedCheckpoint} turns into {@code input_scale} tensors, and what {@code jquant quantize
 * --calibration FILE} reads.
 *
 * <p>The file is one JSON object mapping each module name to its amax, a JSON number:
 * {@code {"model.layers.0.mlp.down_proj": 3.5117188, "model.layers.0.mlp.gate_proj": 2.25}}. {@link #toJson}
 * writes the names sorted, each value as the shortest decimal that reads back to the same float32
 * ({@link Float#toString}); {@link #parse} rounds each decimal to float32 once (never through a double), so a
 * written file reads back to the same bits. Each amax is finite and not negative; 0 is allowed (an input that
 * was always zero) and gives modelopt's fallback scale (see {@link #inputScale(QuantFormat, float)}).
 *
 * @param amax module name to amax, sorted by name
 */
public record Calibration(Map<String, Float> amax) {
  /** E4M3's largest value: FP8 input scales are {@code amax/448}. */
  private static final float FP8_MAX = 448.0f;
  /** E2M1's largest value (modelopt's {@code maxbound} of an NVFP4 input quantizer). */
  private static final float FP4_MAX = 6.0f;

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the module when its amax is negative, NaN or infinite
   */
  public Calibration {
    Objects.requireNonNull(amax, "amax");
    TreeMap<String, Float> sorted = new TreeMap<>();
    for (Map.Entry<String, Float> e : amax.entrySet()) {
      String module = Objects.requireNonNull(e.getKey(), "module name");
      float value = Objects.requireNonNull(e.getValue(), module);
      String problem = problem(value);
      if (problem != null) {
        throw new IllegalArgumentException(
            "calibration: module " + module + ": amax " + value + " " + problem);
      }
      sorted.put(module, value);
    }
    amax = Collections.unmodifiableMap(sorted);
  }

  /** Why {@code value} is no amax, or null when it is one. */
  private static String problem(float value) {
    if (!Float.isFinite(value)) {
      return "is not finite";
    }
    if (Float.compare(value, 0.0f) < 0) {
      return "is negative";
    }
    return null;
  }

  /**
   * This calibration as modelopt exports it: each module of a fused group ({@link FusedGroups}: q/k/v,
   * gate/up) takes the largest amax recorded for its group. Projections that read the same input record the
   * same amax, so this changes nothing for them; it makes the group's {@code input_scale} one value whatever
   * was recorded.
   */
  public Calibration fused() {
    Map<String, Float> fused = new TreeMap<>(amax);
    FusedGroups.of(amax.keySet()).forEach((module, members) -> fused.put(module,
        members.stream().map(amax::get).reduce(Float::max).orElseThrow()));
    return new Calibration(fused);
  }

  /**
   * The static {@code input_scale} of {@code module} under {@code format}
   * ({@link #inputScale(QuantFormat, float)} of its amax).
   *
   * @throws IllegalArgumentException naming the module when it has no amax, or when its scale is unusable
   */
  public float inputScale(String module, QuantFormat format) {
    Float value = amax.get(module);
    if (value == null) {
      throw new IllegalArgumentException("calibration: no amax for module " + module
          + " (the calibration inputs never reached it, or it was calibrated under another name)");
    }
    try {
      return inputScale(format, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("calibration: module " + module + ": " + e.getMessage(), e);
    }
  }

  /**
   * The static {@code input_scale} a calibrated {@code amax} gives, in float32, as modelopt exports it
   * ({@code export_amax}, then {@code get_activation_scaling_factor}; docs/FORMATS.md §2.2 and §4.3):
   * {@code amax / (6·448)} for NVFP4 ({@code NVFP4QTensor}: {@code amax / (maxbound · 448)}, maxbound 6 for
   * E2M1 with E4M3 block scales), {@code amax / 448} for the FP8 formats (static per-tensor E4M3). An amax of
   * 0 is replaced by the maxbound first (modelopt's {@code amax[amax == 0] = maxbound}), giving 1/448 for
   * NVFP4 and 1 for FP8. vLLM and MAX multiply it into the GEMM's alpha and quantize with its reciprocal.
   *
   * @throws IllegalArgumentException when the format has no static input scale (MX, INT8), or when the scale
   * is not positive with a finite reciprocal (an amax below about 3e-35)
   */
  public static float inputScale(QuantFormat format, float amax) {
    String problem = problem(amax);
    if (problem != null) {
      throw new IllegalArgumentException("amax " + amax + " " + problem);
    }
    float scale = switch (format) {
      case NVFP4 -> (amax == 0.0f ? FP4_MAX : amax) / (FP4_MAX * FP8_MAX);
      case COMPRESSED_TENSORS_FP8, FBGEMM_FP8 -> (amax == 0.0f ? FP8_MAX : amax) / FP8_MAX;
      default -> throw new IllegalArgumentException(format.wireName()
          + " computes its input scales from each input; only NVFP4 and per-tensor FP8 take a static"
          + " input_scale");
    };
    if (!(scale > 0.0f) || Float.isInfinite(1.0f / scale)) {
      throw new IllegalArgumentException("amax " + amax + " gives input_scale " + scale
          + ", whose reciprocal is not finite");
    }
    return scale;
  }

  /** The file's text: one JSON object, names sorted, one entry a line, a final newline. */
  public String toJson() {
    StringBuilder out = new StringBuilder("{");
    String separator = "\n";
    for (Map.Entry<String, Float> e : amax.entrySet()) {
      out.append(separator).append("  ");
      JsonStrings.serde(out, e.getKey());
      out.append(": ").append(Float.toString(e.getValue()));
      separator = ",\n";
    }
    return out.append(amax.isEmpty() ? "}\n" : "\n}\n").toString();
  }

  /** Writes {@link #toJson()} to {@code file} (replacing it). */
  public void write(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }

  /**
   * Reads a file {@link #write} wrote (or a person did).
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException naming the file (and the key) as {@link #parse} does
   */
  public static Calibration read(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * The calibration {@code json} holds.
   *
   * @param fileName what errors name
   * @throws IllegalArgumentException naming the file and the key when the text is no JSON object, a key
   * repeats, or a value is not a number, not finite in float32 (e.g. {@code 1e39}) or negative
   */
  public static Calibration parse(String fileName, String json) {
    Object root = StrictJson.parseDecimals(json, fileName + ": ");
    if (!(root instanceof Map<?, ?> object)) {
      throw new IllegalArgumentException(fileName + ": expected a JSON object mapping module names to amax,"
          + " got " + describe(root));
    }
    Map<String, Float> amax = new TreeMap<>();
    for (Map.Entry<?, ?> e : object.entrySet()) {
      String key = (String) e.getKey();
      Object value = e.getValue();
      if (!(value instanceof BigDecimal || value instanceof Integer || value instanceof Long
          || value instanceof BigInteger)) {
        throw new IllegalArgumentException(fileName + ": \"" + key + "\": expected a number (the amax), got "
            + describe(value));
      }
      // Decimal text to float32 in one rounding: through a double it could land one ulp off.
      String text = value instanceof BigDecimal decimal ? decimal.toString() : value.toString();
      float parsed = Float.parseFloat(text);
      String problem = problem(parsed);
      if (problem != null) {
        throw new IllegalArgumentException(fileName + ": \"" + key + "\": amax " + text + " "
            + (Float.isInfinite(parsed) ? "is not finite in float32" : problem));
      }
      amax.put(key, parsed);
    }
    return new Calibration(amax);
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof java.util.List) {
      return "an array";
    }
    if (value instanceof String s) {
      return "the string \"" + s + "\"";
    }
    return value.toString();
  }
}
