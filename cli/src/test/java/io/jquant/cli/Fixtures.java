package io.jquant.cli;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.SafetensorsWriter;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small float checkpoints written with the runtime's writer, and an in-process runner for the command. */
final class Fixtures {
  private Fixtures() {}

  /** What a command printed and returned. */
  record Run(int exit, String out, String err) {}

  /** Runs {@code jquant args} in this JVM with captured output. */
  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** A BF16 tensor of deterministic Gaussian values (seeded by the name), each exactly a BF16. */
  static StoredTensor bf16(String name, long... shape) {
    SplittableRandom random = new SplittableRandom(name.hashCode());
    int count = 1;
    for (long dim : shape) {
      count *= (int) dim;
    }
    byte[] bytes = new byte[count * 2];
    for (int i = 0; i < count; i++) {
      short bits = Bf16.encode((float) random.nextGaussian());
      bytes[2 * i] = (byte) bits;
      bytes[2 * i + 1] = (byte) (bits >> 8);
    }
    return StoredTensor.of(name, StorageDType.BF16, bytes, shape);
  }

  /**
   * A two-layer Llama-like checkpoint in {@code dir}: embeddings [32, 64], per layer q/k/v/o [64, 64],
   * gate/up [96, 64], down [64, 96], a norm [64]; a final norm and lm_head [32, 64]; config.json and
   * tokenizer.json.
   */
  static Path llama(Path dir) throws IOException {
    List<StoredTensor> tensors = new ArrayList<>();
    tensors.add(bf16("model.embed_tokens.weight", 32, 64));
    for (int i = 0; i < 2; i++) {
      String p = "model.layers." + i + ".";
      for (String proj : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
        tensors.add(bf16(p + "self_attn." + proj + ".weight", 64, 64));
      }
      tensors.add(bf16(p + "mlp.gate_proj.weight", 96, 64));
      tensors.add(bf16(p + "mlp.up_proj.weight", 96, 64));
      tensors.add(bf16(p + "mlp.down_proj.weight", 64, 96));
      tensors.add(bf16(p + "input_layernorm.weight", 64));
    }
    tensors.add(bf16("model.norm.weight", 64));
    tensors.add(bf16("lm_head.weight", 32, 64));
    return write(dir, tensors);
  }

  /** {@code tensors} as {@code dir/model.safetensors} with a two-layer config.json and a tokenizer.json. */
  static Path write(Path dir, List<StoredTensor> tensors) throws IOException {
    Files.createDirectories(dir);
    SafetensorsWriter.write(dir.resolve("model.safetensors"),
        tensors.stream().map(StoredTensor::view).toList(), Map.of("format", "pt"));
    Files.writeString(dir.resolve("config.json"), """
        {
          "architectures": ["LlamaForCausalLM"],
          "hidden_size": 64,
          "num_hidden_layers": 2,
          "torch_dtype": "bfloat16"
        }
        """);
    Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\"}\n");
    return dir;
  }

  /** A heap copy of a view, comparable with {@link StoredTensor#equals}. */
  static StoredTensor copy(TensorView view) {
    return FloatTensors.copy(view);
  }
}
