package io.jquant.samples.llama;

import io.jquant.runtime.Fp32Linear;
import io.jquant.runtime.Linear;
import io.jquant.runtime.config.QuantConfig;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.kernel.Kernels;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
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
    return load(dir, null);
  }

  static LlamaModel load(Path dir, QuantConfig q) throws IOException {
    LlamaConfig config = LlamaConfig.read(dir);
    try (Checkpoint c = Checkpoint.open(dir)) {
      List<LlamaAttention> attention = new ArrayList<>();
      List<LlamaMlp> mlp = new ArrayList<>();
      List<float[]> an = new ArrayList<>();
      List<float[]> mn = new ArrayList<>();
      for (int i = 0; i < config.layers(); i++) {
        String p = "model.layers." + i + ".";
        QuantConfig a = q != null && q.attnQuantizedLayers().contains(i) ? q : null;
        QuantConfig m = q != null && q.mlpQuantizedLayers().contains(i) ? q : null;
        attention.add(new LlamaAttention(lin(c, p + "self_attn.q_proj", a), lin(c, p + "self_attn.k_proj", a),
            lin(c, p + "self_attn.v_proj", a), lin(c, p + "self_attn.o_proj", a)));
        LlamaMlp layerMlp = new LlamaMlp(lin(c, p + "mlp.gate_proj", m), lin(c, p + "mlp.up_proj", m),
            lin(c, p + "mlp.down_proj", m));
        mlp.add(q != null && q.canUseFusedMlp() ? layerMlp.fused() : layerMlp);
        an.add(floats(c, p + "input_layernorm.weight"));
        mn.add(floats(c, p + "post_attention_layernorm.weight"));
      }
      return new LlamaModel(config, floats(c, LlamaModel.EMBEDDING), (v, f, t) -> { }, attention, mlp, an, mn,
          floats(c, LlamaModel.FINAL_NORM));
    }
  }

  private static Linear lin(Checkpoint c, String module, QuantConfig q) {
    Fp32Linear f = Fp32Linear.of(module, c.tensor(module + ".weight"), null);
    if (q == null) {
      return f;
    }
    float[] w = floats(c, module + ".weight");
    int out = f.outFeatures();
    int in = f.inFeatures();
    int block = q.format() == io.jquant.annotations.QuantFormat.NVFP4 ? 16
        : q.isFp4() || q.isMxfp8() ? 32 : 1;
    int padded = (in + block - 1) / block * block;
    float[] pw = new float[out * padded];
    for (int r = 0; r < out; r++) {
      System.arraycopy(w, r * in, pw, r * padded, in);
    }
    QuantizedWeights qw = WeightQuantizer.forConfig(q).quantize(new FloatMatrix(module, out, padded, pw));
    Linear k = Kernels.linear(module, qw, InputActivations.quantized(ActivationQuantizer.forConfig(q, null)), null);
    return padded == in ? k : new Padded(k, in);
  }

  record Padded(Linear inner, int in) implements Linear {
    public String name() { return inner.name(); }
    public int inFeatures() { return in; }
    public int outFeatures() { return inner.outFeatures(); }
    public long weightBytes() { return inner.weightBytes(); }
    public void forward(float[] x, float[] y, int rows, KernelThreads t) {
      int p = inner.inFeatures();
      float[] xp = new float[rows * p];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(x, r * in, xp, r * p, in);
      }
      inner.forward(xp, y, rows, t);
    }
  }

  private static float[] floats(Checkpoint c, String name) {
    return c.tensor(name).data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
  }
}
