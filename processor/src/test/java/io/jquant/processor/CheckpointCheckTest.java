package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.assertErrorAt;
import static io.jquant.processor.TestSources.assertSucceededWithServingWarnings;
import static io.jquant.processor.TestSources.attention;
import static io.jquant.processor.TestSources.errorMessages;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.mlp;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Ajquant.checkpoint}: the declared config against a checkpoint's config.json, each disagreement an
 * error on the annotation value that would have to change, and unreadable checkpoints named.
 */
class CheckpointCheckTest {
  /** A modelopt NVFP4 checkpoint of 16 layers whose layer 0 MLP stays unquantized. */
  private static final String NVFP4_LAYER0_MLP_IGNORED = "{\"num_hidden_layers\": 16,"
      + " \"quantization_config\": "
      + "{\"quant_method\": \"modelopt\", \"quant_algo\": \"NVFP4\", \"ignore\": [\"lm_head\","
      + " \"model.layers.0.mlp*\"]}}";

  @TempDir
  Path dir;

  private Path config(String json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }

  private static Compilation compile(Path checkpoint, JavaFileObject... sources) {
    return Compiler.javac().withProcessors(new QuantizedProcessor())
        .withOptions("-Ajquant.checkpoint=" + checkpoint)
        .compile(sources);
  }

  @Test
  void anAgreeingCheckpoint_hasNoDiagnostics() throws IOException {
    Path checkpoint = config(NVFP4_LAYER0_MLP_IGNORED);

    Compilation c = compile(checkpoint, llama(),
        mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = \"1-15\")"),
        attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)"));

    assertSucceededWithServingWarnings(c, "Serving.MaxLayerSets");
  }

  @Test
  void aDirectoryIsReadLikeItsConfigJson() throws IOException {
    config(NVFP4_LAYER0_MLP_IGNORED);

    Compilation c = compile(dir, llama(),
        mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = \"1-15\")"),
        attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)"));

    assertSucceededWithServingWarnings(c, "Serving.MaxLayerSets");
  }

  @Test
  void aLayerTheCheckpointLeavesUnquantized_isAnErrorOnLayers() throws IOException {
    Path checkpoint = config(NVFP4_LAYER0_MLP_IGNORED);
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = \"0-15\")");

    Compilation c = compile(checkpoint, llama(), mlp,
        attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)"));

    assertThat(errorMessages(c))
        .containsExactly("[jquant:Checkpoint.Disagreement] layer 0 MLP: declared quantized "
            + "(NVFP4), but config.json: quantization_config says not quantized (checkpoint: " + checkpoint
            + ")");
    assertErrorAt(c, "layer 0 MLP", mlp, "\"0-15\"");
  }

  @Test
  void aLayerNoClassClaims_isAnErrorOnTheFirstClassOfItsRole() throws IOException {
    Path checkpoint = config(NVFP4_LAYER0_MLP_IGNORED);
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = \"2-15\")");

    Compilation c = compile(checkpoint, llama(), mlp,
        attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)"));

    assertThat(errorMessages(c))
        .containsExactly("[jquant:Checkpoint.Disagreement] layer 1 MLP: declared not quantized, "
            + "but config.json: quantization_config says quantized (NVFP4) (checkpoint: " + checkpoint + ")");
    assertErrorAt(c, "layer 1 MLP", mlp, "\"2-15\"");
  }

  @Test
  void anotherFormat_isAnErrorOnEachFormat() throws IOException {
    Path checkpoint = config(NVFP4_LAYER0_MLP_IGNORED);
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.MXFP8)");
    JavaFileObject attention = attention("LlamaAttention", "@Quantized(format = QuantFormat.MXFP8)");

    Compilation c = compile(checkpoint, llama(), mlp, attention);

    String message = "[jquant:Checkpoint.Disagreement] format: declared MXFP8, but config.json:"
        + " quantization_config "
        + "says NVFP4 (checkpoint: " + checkpoint + ")";
    assertThat(errorMessages(c)).containsExactly(message, message);
    assertErrorAt(c, message, mlp, ".MXFP8)");
    assertErrorAt(c, message, attention, ".MXFP8)");
  }

  @Test
  void anotherInputSpec_isAnErrorOnTheWrittenInputScale() throws IOException {
    Path checkpoint = config(NVFP4_LAYER0_MLP_IGNORED);
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = \"1-15\")",
        "@InputScale(origin = ScaleOrigin.DYNAMIC)");
    JavaFileObject attention = attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)",
        "@InputScale(origin = ScaleOrigin.DYNAMIC)");

    Compilation c = compile(checkpoint, llama(), mlp, attention);

    String message = "[jquant:Checkpoint.Disagreement] input_scale: declared BLOCK DYNAMIC float32 (1, 16),"
        + " but"
        + " config.json: quantization_config says BLOCK STATIC float32 (1, 16) (checkpoint: " + checkpoint
        + ")";
    assertThat(errorMessages(c)).containsExactly(message);
    assertErrorAt(c, message, mlp, "@InputScale");
  }

  @Test
  void aModelWideDtype_isAnErrorOnTheModelsMember() throws IOException {
    Path checkpoint = config(NVFP4_LAYER0_MLP_IGNORED);
    JavaFileObject model = llama("embeddingOutputDtype = DType.FLOAT32");

    Compilation c = compile(checkpoint, model,
        mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = \"1-15\")"),
        attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)"));

    String message = "[jquant:Checkpoint.Disagreement] embedding_output_dtype: declared float32, but"
        + " config.json:"
        + " quantization_config says bfloat16 (checkpoint: " + checkpoint + ")";
    assertThat(errorMessages(c)).containsExactly(message);
    assertErrorAt(c, message, model, ".FLOAT32");
  }

  @Test
  void aMissingCheckpoint_isAnErrorNamingThePathAndOption() {
    Path missing = dir.resolve("nope");
    JavaFileObject model = llama();

    Compilation c = compile(missing, model, mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4)"),
        attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)"));

    assertThat(errorMessages(c))
        .containsExactly("[jquant:Checkpoint.Unreadable] -Ajquant.checkpoint=" + missing
            + ": no such file or directory (checkpoint: " + missing + ")");
    assertErrorAt(c, "Checkpoint.Unreadable", model, "@QuantizedModel");
  }

  @Test
  void malformedJson_isAnErrorWithTheParsersFileAndPlace() throws IOException {
    Path checkpoint = config("{\"num_hidden_layers\": 16,\n \"quantization_config\": {\"quant_method\": }}");

    Compilation c = compile(checkpoint, llama(), mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4)"),
        attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)"));

    assertThat(c).hadErrorCount(1);
    String message = errorMessages(c).get(0);
    assertThat(message)
        .startsWith("[jquant:Checkpoint.Unreadable] config.json: not valid JSON: Unexpected character "
            + "('}' (code 125)): expected a value");
    assertThat(message).endsWith(" at line 2, column 42 (checkpoint: " + checkpoint + ")");
  }

  @Test
  void onlyTheNamedModelIsChecked() throws IOException {
    Path checkpoint = config(NVFP4_LAYER0_MLP_IGNORED);

    Compilation c = Compiler.javac().withProcessors(new QuantizedProcessor())
        .withOptions("-Ajquant.checkpoint=" + checkpoint, "-Ajquant.checkpoint.model=test.Other")
        .compile(llama(), mlp("LlamaMlp", "@Quantized(format = QuantFormat.MXFP8)"),
            attention("LlamaAttention", "@Quantized(format = QuantFormat.MXFP8)"));

    assertThat(errorMessages(c))
        .isEqualTo(List.of("[jquant:Checkpoint.Unreadable] -Ajquant.checkpoint.model=test.Other "
            + "names no @QuantizedModel of this compilation that passed its checks; nothing was compared"
            + " with "
            + "-Ajquant.checkpoint."));
  }
}
