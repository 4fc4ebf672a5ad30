package io.jquant.samples.llama;

import io.jquant.runtime.Fp32Linear;
import io.jquant.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

// TODO(lead): temporary float32 path straight from the checkpoint until ModelWeights lands; then delete.
final class Fp32Stories {
  private Fp32Stories() {}

  static LlamaModel load(Path dir) throws IOException {
    LlamaConfig config = LlamaConfig.read(dir);
    try (Checkpoint c = Checkpoint.open(dir)) {
      List<LlamaAttention> attention = new ArrayList<>();
      List<LlamaMlp> mlp = new ArrayList<>();
      List<float[]> an = new ArrayList<>();
      List<float[]> mn = new ArrayList<>();
      for (int i = 0; i < config.layers(); i++) {
        String p = "model.layers." + i + ".";
        attention.add(new LlamaAttention(lin(c, p + "self_attn.q_proj"), lin(c, p + "self_attn.k_proj"),
            lin(c, p + "self_attn.v_proj"), lin(c, p + "self_attn.o_proj")));
        mlp.add(new LlamaMlp(lin(c, p + "mlp.gate_proj"), lin(c, p + "mlp.up_proj"), lin(c, p + "mlp.down_proj")));
        an.add(floats(c, p + "input_layernorm.weight"));
        mn.add(floats(c, p + "post_attention_layernorm.weight"));
      }
      return new LlamaModel(config, floats(c, LlamaModel.EMBEDDING), (v, f, t) -> { }, attention, mlp, an, mn,
          floats(c, LlamaModel.FINAL_NORM));
    }
  }

  private static Fp32Linear lin(Checkpoint c, String module) {
    return Fp32Linear.of(module, c.tensor(module + ".weight"), null);
  }

  private static float[] floats(Checkpoint c, String name) {
    return c.tensor(name).data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
  }
}
