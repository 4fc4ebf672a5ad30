package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.hf.CheckpointTensors;
import io.jquant.config.hf.ConfigAgreement;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantization;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.CheckpointWriter;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.Fp8Quantizer;
import io.jquant.runtime.quant.Int8Quantizer;
import io.jquant.runtime.quant.MxQuantizer;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import io.jquant.runtime.tensor.TensorViews;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuantizeCommandTest {
  private static final List<String> QUANTIZED = List.of("self_attn.q_proj", "self_attn.k_proj",
      "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");

  @TempDir
  Path tmp;

  /**
   * The format, its runtime quantizer, MAX's format, down_proj [64, 96]'s tensors as the export names them,
   * and the whole quantization_config written (docs/FORMATS.md §5.4). nvfp4 needs calibration (see below).
   */
  static Stream<Arguments> formats() {
    return Stream.of(
        Arguments.of("mxfp4", new MxQuantizer(MxElement.FP4_E2M1, MxScaleMode.RCEIL), QuantFormat.MXFP4,
            "weight_packed U8 [64, 48], weight_scale U8 [64, 3]", compressedTensors("mxfp4-pack-quantized",
                mx(4, false), mx(4, true))),
        Arguments.of("mxfp8", new MxQuantizer(MxElement.FP8_E4M3, MxScaleMode.RCEIL), QuantFormat.MXFP8,
            "weight F8_E4M3 [64, 96], weight_scale U8 [64, 3]", compressedTensors("mxfp8-quantized",
                mx(8, false), mx(8, true))),
        Arguments.of("fp8-tensor", Fp8Quantizer.tensorwise(), QuantFormat.COMPRESSED_TENSORS_FP8,
            "weight F8_E4M3 [64, 96], weight_scale F32 [1]", compressedTensors("float-quantized",
                args(8, "float", "tensor", false), args(8, "float", "tensor", true))),
        Arguments.of("fp8-channel", Fp8Quantizer.rowwise(), QuantFormat.COMPRESSED_TENSORS_FP8,
            "weight F8_E4M3 [64, 96], weight_scale F32 [64, 1]", compressedTensors("float-quantized",
                args(8, "float", "channel", false), args(8, "float", "token", true))),
        Arguments.of("fp8-block", Fp8Quantizer.blockwise(128, 128), QuantFormat.BLOCKSCALED_FP8,
            "weight F8_E4M3 [64, 96], weight_scale_inv F32 [1, 1]", """
                {"quant_method": "fp8", "activation_scheme": "dynamic", "fmt": "e4m3",
                 "weight_block_size": [128, 128], "modules_to_not_convert": ["lm_head"]}"""),
        Arguments.of("int8", new Int8Quantizer(), QuantFormat.INT8_W8A8,
            "weight I8 [64, 96], weight_scale F32 [64, 1]", compressedTensors("int-quantized",
                args(8, "int", "channel", false), args(8, "int", "token", true))));
  }

  private static String args(int bits, String type, String strategy, boolean dynamic) {
    return """
        {"num_bits": %d, "type": "%s", "symmetric": true, "strategy": "%s", "dynamic": %s}"""
        .formatted(bits, type, strategy, dynamic);
  }

  private static String mx(int bits, boolean dynamic) {
    return """
        {"num_bits": %d, "type": "float", "symmetric": true, "strategy": "group", "dynamic": %s,
         "group_size": 32, "scale_dtype": "torch.uint8"}""".formatted(bits, dynamic);
  }

  private static String compressedTensors(String format, String weights, String inputs) {
    return """
        {"quant_method": "compressed-tensors", "format": "%s", "quantization_status": "compressed",
         "config_groups": {"group_0": {"targets": ["Linear"], "weights": %s, "input_activations": %s}},
         "ignore": ["lm_head"], "kv_cache_scheme": null}""".formatted(format, weights, inputs);
  }

  /** The hand quantizer's tensor as the export stores it: MXFP4 codes as weight_packed, FP8 scalars [1]. */
  private static StoredTensor exported(String format, StoredTensor t) {
    if (format.equals("mxfp4") && t.name().equals("weight")) {
      return new StoredTensor("weight_packed", t.dtype(), t.shape(), t.bytes());
    }
    if (format.equals("fp8-tensor") && t.name().equals("weight_scale")) {
      return StoredTensor.of(t.name(), t.dtype(), t.bytes(), 1);
    }
    return t;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void writesTheRuntimeQuantizersTensorsBitForBit(String format, WeightQuantizer quantizer, QuantFormat max,
      String downProjLayout, String quantizationConfig) throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");

    Fixtures.Run run = Fixtures.run("quantize", "--format", format, "--threads", "2", in.toString(),
        out.toString());

    assertEquals(0, run.exit(), run.err());
    // Results on stdout, progress (one line per tensor, no terminal here) on stderr.
    assertEquals("""
        not quantized: lm_head.weight (not an attention or MLP projection)
        not quantized: model.embed_tokens.weight (not an attention or MLP projection)
        quantized 14 of 19 tensors to %s; copied [tokenizer.json]; wrote %s
        """.formatted(format, out), run.out());
    // Warnings come first: fp8-block's grid (BlockFp8EdgeWarningTest), the engines that read MX otherwise
    // (QuantizeEngineWarningsTest).
    List<String> progress = run.err().lines().filter(line -> !line.startsWith("warning: ")).toList();
    assertTrue(progress.get(0).equals("[1/19] lm_head.weight: copied BF16 [32, 64]"), run.err());
    assertEquals(19, progress.size(), run.err());
    assertTrue(progress.stream().allMatch(line -> line.matches("\\[\\d+/19] .+: .+")), run.err());

    Map<String, StoredTensor> expected = new TreeMap<>();
    try (Checkpoint input = Checkpoint.open(in)) {
      for (String name : input.tensorNames()) {
        TensorView view = input.tensor(name);
        String module = name.substring(0, name.length() - ".weight".length());
        if (QUANTIZED.stream().anyMatch(module::endsWith)) {
          for (StoredTensor q : quantizer.quantize(floats(view)).tensors()) {
            StoredTensor t = exported(format, q);
            String full = module + "." + t.name();
            expected.put(full, new StoredTensor(full, t.dtype(), t.shape(), t.bytes()));
          }
        } else {
          expected.put(name, Fixtures.copy(view));
        }
      }
    }
    try (Checkpoint output = Checkpoint.open(out)) {
      assertEquals(List.copyOf(expected.keySet()), output.tensorNames());
      for (String name : output.tensorNames()) {
        assertEquals(expected.get(name), Fixtures.copy(output.tensor(name)), name);
      }
      assertEquals(downProjLayout, layout(output, "model.layers.1.mlp.down_proj."));
      HfQuantization parsed = HfQuantConfigParser.parse(out, TensorViews.checkpointTensors(
          output.tensorNames().stream().map(output::tensor).toList())).orElseThrow();
      assertEquals(max, parsed.config().format());
      assertEquals(List.of("lm_head"), parsed.ignore().entries());
      // What the preset declares is what the checkpoint says: ModelWeights.open would accept it.
      FormatPreset preset = FormatPreset.ofOption(format);
      assertEquals(List.of(), ConfigAgreement.compare(preset.config(Set.of(0, 1), Set.of(0, 1)),
          Optional.of(parsed), 2));
    }
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json",
        Files.readString(out.resolve("config.json")));
    assertEquals(HfQuantConfigParser.readJson("expected", quantizationConfig),
        config.get("quantization_config"));
    assertEquals("{\"version\": \"1.0\"}\n", Files.readString(out.resolve("tokenizer.json")));
    assertFalse(Files.exists(out.resolve("hf_quant_config.json")));
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertEquals(List.of(in, out), siblings.sorted().toList(), "no temporary directory is left");
    }
  }

  @Test
  void oneAndThreeThreadsWriteTheSameBytes() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    assertEquals(0, Fixtures.run("quantize", "--format", "mxfp4", "--threads", "1", in.toString(),
        tmp.resolve("one").toString()).exit());
    assertEquals(0, Fixtures.run("quantize", "--format", "mxfp4", "--threads", "3", in.toString(),
        tmp.resolve("three").toString()).exit());
    assertEquals(-1L, Files.mismatch(tmp.resolve("one/model.safetensors"),
        tmp.resolve("three/model.safetensors")));
  }

  @Test
  void excludePatternsAndShortBlocksLeaveWeightsInTheirDtypeAndInTheIgnoreList() throws IOException {
    List<StoredTensor> tensors = new ArrayList<>();
    tensors.add(Fixtures.bf16("model.layers.0.self_attn.q_proj.weight", 32, 64));
    tensors.add(Fixtures.bf16("model.layers.0.self_attn.k_proj.weight", 32, 64));
    tensors.add(Fixtures.bf16("model.layers.0.mlp.down_proj.weight", 32, 40));
    tensors.add(Fixtures.bf16("model.layers.1.mlp.up_proj.weight", 32, 64));
    tensors.add(Fixtures.bf16("model.layers.2.self_attn.q_proj.weight", 32, 64));
    tensors.add(Fixtures.bf16("lm_head.weight", 8, 64));
    Path in = Fixtures.write(tmp.resolve("in"), tensors);
    Path out = tmp.resolve("out");

    Fixtures.Run run = Fixtures.run("quantize", "--format", "mxfp4", "--exclude", "*.k_proj",
        "--exclude", "re:model\\.layers\\.1\\.", in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    // A role is quantized all or nothing: layer 0's attention stays float with its excluded k_proj. Layer 1's
    // MLP is excluded whole (what was asked): no warning.
    assertTrue(withoutEngineWarnings(run.err())
        .startsWith("warning: model.layers.0.mlp: down_proj has K = 40, not a multiple of"
            + " mxfp4's block of 32; the layer's whole MLP stays float (MLP and attention are quantized"
            + " all or nothing per layer)\nwarning: model.layers.0.self_attn: k_proj is excluded by"
            + " --exclude; the layer's whole attention stays float (MLP and attention are quantized all or"
            + " nothing per layer)\n[1/"),
        run.err());
    assertTrue(run.out().startsWith("""
        not quantized: lm_head.weight (not an attention or MLP projection)
        not quantized: model.layers.0.mlp.down_proj.weight (K = 40 is not a multiple of mxfp4's block of 32)
        not quantized: model.layers.0.self_attn.k_proj.weight (excluded by --exclude)
        not quantized: model.layers.0.self_attn.q_proj.weight (the layer's attention stays float: k_proj is \
        excluded by --exclude)
        not quantized: model.layers.1.mlp.up_proj.weight (excluded by --exclude)
        quantized 1 of 6"""), run.out());
    try (Checkpoint output = Checkpoint.open(out)) {
      assertEquals(List.of("lm_head.weight", "model.layers.0.mlp.down_proj.weight",
          "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.q_proj.weight",
          "model.layers.1.mlp.up_proj.weight", "model.layers.2.self_attn.q_proj.weight_packed",
          "model.layers.2.self_attn.q_proj.weight_scale"), output.tensorNames());
      assertEquals(tensors.get(2), Fixtures.copy(output.tensor("model.layers.0.mlp.down_proj.weight")));
    }
    // The weights left float in checkpoint order, then the other names of their roles (absent from this
    // checkpoint, listed so that the list reads back as whole roles), then lm_head.
    assertEquals(List.of("lm_head", "model.layers.0.mlp.down_proj", "model.layers.0.self_attn.k_proj",
        "model.layers.0.self_attn.q_proj", "model.layers.1.mlp.up_proj", "model.layers.0.mlp.gate_proj",
        "model.layers.0.mlp.up_proj", "model.layers.0.self_attn.v_proj", "model.layers.0.self_attn.o_proj",
        "model.layers.1.mlp.gate_proj", "model.layers.1.mlp.down_proj"),
        quantizationConfig(out).get("ignore"));
  }

  @Test
  void aTiedOrAbsentLmHeadIsIgnoredAllTheSame() throws IOException {
    // stories260K ties lm_head to the embedding: no lm_head.weight, yet transformers builds an lm_head
    // Linear, which compressed-tensors' targets ["Linear"] would quantize unless it is ignored.
    Path in = Fixtures.write(tmp.resolve("in"), List.of(Fixtures.bf16("model.embed_tokens.weight", 8, 64),
        Fixtures.bf16("model.layers.0.mlp.up_proj.weight", 32, 64)));
    Path out = tmp.resolve("out");

    assertEquals(0, Fixtures.run("quantize", "--format", "int8", in.toString(), out.toString()).exit());

    assertEquals(List.of("lm_head"), quantizationConfig(out).get("ignore"));
  }

  @Test
  void nvfp4WithoutCalibrationIsRefusedNamingTheOption() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");

    Fixtures.Run run = Fixtures.run("quantize", "--format", "nvfp4", in.toString(), out.toString());

    assertEquals(ExitCodes.USAGE, run.exit());
    assertEquals("error: --format nvfp4 writes a checkpoint whose input scales are static (modelopt NVFP4:"
        + " vLLM and MAX need an input_scale for every quantized projection), and jquant has no activation"
        + " ranges to compute them from; pass recorded ones with --calibration FILE (see 'jquant quantize"
        + " --help')\n", run.err());
    assertEquals("", run.out());
    assertFalse(Files.exists(out));
  }

  @Test
  void modeloptExcludesAddTheSubtreeGlobsOfWholeRoles() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    try (Checkpoint checkpoint = Checkpoint.open(in)) {
      QuantizePlan plan = QuantizePlan.of(checkpoint,
          TensorSelection.excluding(List.of("re:model\\.layers\\.1\\.self_attn\\.")), FormatPreset.NVFP4);

      // Checkpoint order (the file's sorted names), then the glob MAX's newer modelopt parser honours.
      assertEquals(List.of("lm_head", "model.layers.1.self_attn.k_proj", "model.layers.1.self_attn.o_proj",
          "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj", "model.layers.1.self_attn*"),
          plan.ignore());
    }
  }

  private static Map<String, Object> quantizationConfig(Path out) throws IOException {
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json",
        Files.readString(out.resolve("config.json")));
    @SuppressWarnings("unchecked")
    Map<String, Object> block = (Map<String, Object>) config.get("quantization_config");
    return block;
  }

  @Test
  void largeCheckpointsAreShardedWithAnIndex() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");

    assertEquals(0, Fixtures.run("quantize", "--format", "int8", "--max-shard-size", "20KB", in.toString(),
        out.toString()).exit());

    assertTrue(Files.exists(out.resolve("model.safetensors.index.json")));
    assertFalse(Files.exists(out.resolve("model.safetensors")));
    try (Checkpoint output = Checkpoint.open(out)) {
      assertTrue(output.files().size() > 1, output.files().toString());
      assertEquals(19 + 14, output.tensorNames().size());
    }
  }

  @Test
  void aShardedInputGivesTheSameTensorsAsASingleFile() throws IOException {
    Path single = Fixtures.llama(tmp.resolve("single"));
    Path sharded = Files.createDirectories(tmp.resolve("sharded"));
    try (Checkpoint input = Checkpoint.open(single)) {
      CheckpointWriter writer = CheckpointWriter.open(sharded, 16_000);
      for (String name : input.tensorNames()) {
        writer.add(input.tensor(name));
      }
      writer.close();
    }
    Files.copy(single.resolve("config.json"), sharded.resolve("config.json"));

    assertEquals(0, Fixtures.run("quantize", "--format", "mxfp8", single.toString(),
        tmp.resolve("a").toString()).exit());
    Fixtures.Run run = Fixtures.run("quantize", "--format", "mxfp8", sharded.toString(),
        tmp.resolve("b").toString());

    assertEquals(0, run.exit(), run.err());
    try (Checkpoint input = Checkpoint.open(sharded)) {
      assertTrue(input.files().size() > 1, "the input is sharded");
    }
    assertEquals(-1L, Files.mismatch(tmp.resolve("a/model.safetensors"), tmp.resolve("b/model.safetensors")));
  }

  private static String layout(Checkpoint checkpoint, String prefix) {
    List<String> parts = new ArrayList<>();
    for (String name : checkpoint.tensorNames()) {
      if (name.startsWith(prefix)) {
        TensorView view = checkpoint.tensor(name);
        parts.add(name.substring(prefix.length()) + " " + view.dtype() + " " + view.shape());
      }
    }
    return String.join(", ", parts);
  }

  /** The BF16 weight as float32, decoded here with the scalar codec. */
  private static FloatMatrix floats(TensorView view) {
    ByteBuffer bytes = view.data().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[(int) view.elementCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Bf16.decode(bytes.getShort(2 * i));
    }
    return new FloatMatrix(view.name(), view.shape().get(0).intValue(), view.shape().get(1).intValue(),
        values);
  }

  /** {@code err} without the lines of EngineWarnings, which QuantizeEngineWarningsTest pins. */
  private static String withoutEngineWarnings(String err) {
    return err.lines().filter(line -> !(line.startsWith("warning: ") && line.endsWith("]")
        && line.contains(" [Serving."))).map(line -> line + "\n").collect(Collectors.joining());
  }
}
