package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.assertErrorAt;
import static io.jquant.processor.TestSources.assertSucceededWithServingWarnings;
import static io.jquant.processor.TestSources.attention;
import static io.jquant.processor.TestSources.compile;
import static io.jquant.processor.TestSources.errorMessages;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.loadConfig;
import static io.jquant.processor.TestSources.mlp;

import com.google.testing.compile.Compilation;
import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.config.BlockSize;
import io.jquant.config.WeightScaleSpec;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The {@code Format.*} and {@code Scales.*} rules on {@code @InputScale} / {@code @WeightScale} overrides of
 * what a format prescribes. The broken class is the MLP; the attention class keeps the format's specs, so a
 * broken spec is reported once (not again as Model.MixedScales).
 */
class ScalesAndFormatTest {
  /**
   * Compiles Llama with an MLP carrying {@code annotations} and a plain attention class in {@code format}.
   */
  private static Compilation compileWithMlp(JavaFileObject mlp, String format) {
    return compile(llama(), mlp,
        attention("LlamaAttention", "@Quantized(format = QuantFormat." + format + ")"));
  }

  private static JavaFileObject mlpWith(String format, String... scales) {
    String[] annotations = new String[scales.length + 1];
    annotations[0] = "@Quantized(format = QuantFormat." + format + ")";
    System.arraycopy(scales, 0, annotations, 1, scales.length);
    return mlp("LlamaMlp", annotations);
  }

  // ---- Format.* ----

  @Test
  void formatWeightGranularity() {
    JavaFileObject mlp = mlpWith("NVFP4", "@WeightScale(granularity = ScaleGranularity.ROWWISE)");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    // javac puts an enum constant's diagnostic on the '.' before its name.
    assertErrorAt(c, "[jquant:Format.WeightGranularity] NVFP4 weight scales are BLOCK, not ROWWISE.",
        mlp, ".ROWWISE");
  }

  @Test
  void formatWeightDType() {
    JavaFileObject mlp = mlpWith("NVFP4", "@WeightScale(dtype = DType.FLOAT32)");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Format.WeightDType] NVFP4 weight scales are FLOAT8_E4M3FN, not FLOAT32.",
        mlp, ".FLOAT32");
  }

  @Test
  void formatWeightBlock() {
    JavaFileObject mlp = mlpWith("NVFP4", "@WeightScale(block = {1, 32})");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Format.WeightBlock] NVFP4 weight scale blocks are (1, 16) elements, not (1, 32).",
        mlp, "{1, 32}");
  }

  @Test
  void formatInputGranularity() {
    JavaFileObject mlp = mlpWith("NVFP4", "@InputScale(granularity = ScaleGranularity.TENSOR)");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Format.InputGranularity] NVFP4 input scales are BLOCK, not TENSOR.", mlp,
        ".TENSOR");
  }

  @Test
  void formatInputOrigin() {
    JavaFileObject mlp = mlpWith("MXFP4", "@InputScale(origin = ScaleOrigin.STATIC)");

    Compilation c = compileWithMlp(mlp, "MXFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Format.InputOrigin] MXFP4 input scales are DYNAMIC (computed from each input), "
        + "not STATIC.", mlp, ".STATIC");
  }

  @Test
  void formatInputOrigin_staticPerTokenCompressedTensors() {
    JavaFileObject mlp = mlpWith("COMPRESSED_TENSORS_FP8", "@InputScale(origin = ScaleOrigin.STATIC)");

    Compilation c = compileWithMlp(mlp, "COMPRESSED_TENSORS_FP8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Format.InputOrigin] COMPRESSED_TENSORS_FP8 per-token (COLWISE) input scales are "
            + "DYNAMIC, not STATIC; a static input scale is TENSOR.",
        mlp, ".STATIC");
  }

  @Test
  void formatInputDType() {
    JavaFileObject mlp = mlpWith("NVFP4", "@InputScale(dtype = DType.BFLOAT16)");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Format.InputDType] NVFP4 input scales are FLOAT32, not BFLOAT16.", mlp,
        ".BFLOAT16");
  }

  @Test
  void formatScalePairing_rowwiseWeightsWithTensorInputs_onTheInputGranularity() {
    JavaFileObject mlp = mlpWith("FBGEMM_FP8", "@InputScale(granularity = ScaleGranularity.TENSOR)");

    Compilation c = compileWithMlp(mlp, "FBGEMM_FP8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Format.ScalePairing] FBGEMM_FP8 with ROWWISE weight scales takes COLWISE DYNAMIC "
            + "input scales (per token), not TENSOR DYNAMIC; tensor-wise FP8 is TENSOR weights with TENSOR"
            + " inputs.",
        mlp, ".TENSOR");
  }

  @Test
  void formatScalePairing_staticPerTokenInputs_onTheOriginTheUserWrote() {
    JavaFileObject mlp = mlpWith("FBGEMM_FP8", "@InputScale(origin = ScaleOrigin.STATIC)");

    Compilation c = compileWithMlp(mlp, "FBGEMM_FP8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Format.ScalePairing] FBGEMM_FP8 with ROWWISE weight scales takes COLWISE DYNAMIC "
            + "input scales (per token), not COLWISE STATIC;",
        mlp, ".STATIC");
  }

  @Test
  void formatScalePairing_tensorWeightsWithPerTokenInputs_onTheWeightGranularity() {
    // The violation names the input granularity first, but only the weight granularity is written.
    JavaFileObject mlp = mlpWith("FBGEMM_FP8", "@WeightScale(granularity = ScaleGranularity.TENSOR)");

    Compilation c = compileWithMlp(mlp, "FBGEMM_FP8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Format.ScalePairing] FBGEMM_FP8 with TENSOR weight scales takes TENSOR input "
        + "scales, not COLWISE; per-token inputs go with ROWWISE weights.", mlp, ".TENSOR");
  }

  // ---- Scales.* ----

  @Test
  void scalesBlockUnexpected_weight() {
    JavaFileObject mlp = mlpWith("INT8_W8A8", "@WeightScale(block = {1, 32})");

    Compilation c = compileWithMlp(mlp, "INT8_W8A8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.BlockUnexpected] a block size is only for BLOCK scales; these weight scales "
            + "are ROWWISE. Remove the block size or make them BLOCK.",
        mlp, "{1, 32}");
  }

  @Test
  void scalesBlockUnexpected_input() {
    JavaFileObject mlp = mlpWith("INT8_W8A8", "@InputScale(block = {1, 128})");

    Compilation c = compileWithMlp(mlp, "INT8_W8A8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.BlockUnexpected] a block size is only for BLOCK scales; these input scales "
            + "are COLWISE. Remove the block size or make them BLOCK.",
        mlp, "{1, 128}");
  }

  @Test
  void scalesBlockShape_weight() {
    JavaFileObject mlp = mlpWith("NVFP4", "@WeightScale(block = {16})");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.BlockShape] a weight scale block size is two positive integers {rows, cols}, "
            + "not {16}.",
        mlp, "{16}");
  }

  @Test
  void scalesBlockShape_input() {
    JavaFileObject mlp = mlpWith("NVFP4", "@InputScale(block = {0, 16})");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.BlockShape] an input scale block size is two positive integers {rows, cols}, "
            + "not {0, 16}.",
        mlp, "{0, 16}");
  }

  @Test
  void scalesBlockShape_emptyBlock() {
    JavaFileObject mlp = mlpWith("BLOCKSCALED_FP8", "@WeightScale(block = {})");

    Compilation c = compileWithMlp(mlp, "BLOCKSCALED_FP8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.BlockShape] a weight scale block size is two positive integers {rows, cols}, "
            + "not {}.",
        mlp, "{}");
  }

  @Test
  void scalesInputBlockRows() {
    JavaFileObject mlp = mlpWith("NVFP4", "@InputScale(block = {2, 16})");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.InputBlockRows] an input scale block spans one token, (1, k); (2, 16) spans 2"
            + " tokens.",
        mlp, "{2, 16}");
  }

  @Test
  void scalesKMismatch() {
    JavaFileObject mlp = mlpWith("NVFP4", "@InputScale(block = {1, 32})");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.KMismatch] input and weight scales must agree on K: the input scales give K "
            + "granularity 32 (BLOCK (1, 32)), the weight scales 16 (BLOCK (1, 16)).",
        mlp, "{1, 32}");
  }

  @Test
  void scalesKMismatch_blockscaledFp8() {
    JavaFileObject mlp = mlpWith("BLOCKSCALED_FP8", "@InputScale(block = {1, 64})");

    Compilation c = compileWithMlp(mlp, "BLOCKSCALED_FP8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.KMismatch] input and weight scales must agree on K: the input scales give K "
            + "granularity 64 (BLOCK (1, 64)), the weight scales 128 (BLOCK (128, 128)).",
        mlp, "{1, 64}");
  }

  @Test
  void scalesRowwiseInput() {
    JavaFileObject mlp = mlpWith("INT8_W8A8", "@InputScale(granularity = ScaleGranularity.ROWWISE)");

    Compilation c = compileWithMlp(mlp, "INT8_W8A8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.RowwiseInput] ROWWISE input scales are not supported (MAX raises on them): "
            + "one scale per token is COLWISE; INT8_W8A8 takes COLWISE.",
        mlp, ".ROWWISE");
  }

  @Test
  void scalesColwiseWeight() {
    JavaFileObject mlp = mlpWith("COMPRESSED_TENSORS_FP8",
        "@WeightScale(granularity = ScaleGranularity.COLWISE)");

    Compilation c = compileWithMlp(mlp, "COMPRESSED_TENSORS_FP8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.ColwiseWeight] COLWISE weight scales are not supported (MAX raises on them): "
            + "one scale per output channel is ROWWISE; COMPRESSED_TENSORS_FP8 takes TENSOR or ROWWISE.",
        mlp, ".COLWISE");
  }

  @Test
  void scalesUpperBoundStatic() {
    JavaFileObject mlp = mlpWith("NVFP4", "@InputScale(activationUpperBound = 10)");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.UpperBoundStatic] an activation upper bound (10.0) only bounds DYNAMIC input "
            + "scales; these are STATIC. Remove it or make the input scales DYNAMIC.",
        mlp, "10)");
  }

  @Test
  void scalesUpperBoundNotPositive_zero() {
    JavaFileObject mlp = mlpWith("FBGEMM_FP8", "@InputScale(activationUpperBound = 0)");

    Compilation c = compileWithMlp(mlp, "FBGEMM_FP8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.UpperBoundNotPositive] an activation upper bound is a positive finite number, "
            + "not 0.0.",
        mlp, "0)");
  }

  @Test
  void scalesUpperBoundNotPositive_infinity() {
    JavaFileObject mlp = mlpWith("FBGEMM_FP8",
        "@InputScale(activationUpperBound = Double.POSITIVE_INFINITY)");

    Compilation c = compileWithMlp(mlp, "FBGEMM_FP8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Scales.UpperBoundNotPositive] an activation upper bound is a positive finite number, "
            + "not Infinity.",
        mlp, ".POSITIVE_INFINITY");
  }

  /**
   * Scales.BlockMissing cannot arise from annotations: a BLOCK format carries its block size over to a
   * {@code @WeightScale(granularity = BLOCK)} without one, and the other formats refuse BLOCK first. It is a
   * rule of the runtime's builder.
   */
  @Test
  void scalesBlockMissing_cannotArise_blockFormatsCarryTheirBlockOver() {
    JavaFileObject mlp = mlpWith("NVFP4", "@WeightScale(granularity = ScaleGranularity.BLOCK)");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertSucceededWithServingWarnings(c);
    assertThat(loadConfig(c, "test.LlamaQuantConfig").weightScale())
        .isEqualTo(new WeightScaleSpec(ScaleGranularity.BLOCK, DType.FLOAT8_E4M3FN, new BlockSize(1, 16)));
  }

  @Test
  void scalesBlockMissing_cannotArise_otherFormatsRefuseBlockFirst() {
    JavaFileObject mlp = mlpWith("INT8_W8A8", "@WeightScale(granularity = ScaleGranularity.BLOCK)");

    Compilation c = compileWithMlp(mlp, "INT8_W8A8");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Format.WeightGranularity] INT8_W8A8 weight scales are ROWWISE, not BLOCK.",
        mlp, ".BLOCK");
    assertThat(errorMessages(c).get(0)).doesNotContain("Scales.BlockMissing");
  }

  // ---- several at once, and what is allowed ----

  @Test
  void independentSpecErrorsOfOneClass_eachOnItsValue() {
    JavaFileObject mlp = mlpWith("NVFP4", "@InputScale(dtype = DType.BFLOAT16)",
        "@WeightScale(dtype = DType.FLOAT32)");

    Compilation c = compileWithMlp(mlp, "NVFP4");

    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    assertErrorAt(c, "[jquant:Format.InputDType] NVFP4 input scales are FLOAT32, not BFLOAT16.", mlp,
        ".BFLOAT16");
    assertErrorAt(c, "[jquant:Format.WeightDType] NVFP4 weight scales are FLOAT8_E4M3FN, not FLOAT32.",
        mlp, ".FLOAT32");
  }

  @Test
  void allowedOverrides_compile_andReachTheConfig() {
    String[] scales = {
        "@Quantized(format = QuantFormat.FBGEMM_FP8)",
        "@WeightScale(granularity = ScaleGranularity.TENSOR, dtype = DType.BFLOAT16)",
        "@InputScale(granularity = ScaleGranularity.TENSOR, origin = ScaleOrigin.STATIC)"
    };

    Compilation c = compile(llama(), mlp("LlamaMlp", scales), attention("LlamaAttention", scales));

    assertSucceededWithServingWarnings(c, "Serving.EngineFormat");
    var config = loadConfig(c, "test.LlamaQuantConfig");
    assertThat(config.format()).isEqualTo(QuantFormat.FBGEMM_FP8);
    assertThat(config.weightScale()).isEqualTo(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.BFLOAT16));
    assertThat(config.inputScale().granularity()).isEqualTo(ScaleGranularity.TENSOR);
    assertThat(config.isStatic()).isTrue();
    // The format's default upper bound only carries over while the inputs stay DYNAMIC.
    assertThat(config.inputScale().activationScaleUb()).isNull();
  }
}
