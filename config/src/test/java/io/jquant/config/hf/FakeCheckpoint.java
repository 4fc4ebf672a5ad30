package io.jquant.config.hf;

import io.jquant.annotations.DType;
import io.jquant.config.QuantConfig;
import io.jquant.config.tensor.StorageDType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor list a Llama checkpoint quantized as a {@link QuantConfig} holds (names, dtypes, shapes and
 * scalar values), so the parser's tensor look-ups can be tested without safetensors files. Layers are 64
 * wide; gate and up scalars are equal exactly when {@code fusedScalars}.
 */
final class FakeCheckpoint {
  static final long H = 64;

  private FakeCheckpoint() {}

  static CheckpointTensors of(QuantConfig config, int numLayers, boolean fusedScalars) {
    List<TensorInfo> tensors = new ArrayList<>();
    Map<String, Double> scalars = new HashMap<>();
    DType embed = config.embeddingOutputDtype() == null ? DType.BFLOAT16 : config.embeddingOutputDtype();
    tensors.add(TensorInfo.of("model.embed_tokens.weight", storage(embed), 256, H));
    ModuleNames llama = ModuleNames.llama();
    for (int layer = 0; layer < numLayers; layer++) {
      for (String p : llama.mlp()) {
        add(tensors, scalars, config, llama.module(layer, p), config.mlpQuantizedLayers().contains(layer),
            p.equals("mlp.up_proj") && !fusedScalars ? 2.0 : 1.0);
      }
      for (String p : llama.attention()) {
        add(tensors, scalars, config, llama.module(layer, p), config.attnQuantizedLayers().contains(layer),
            1.0);
      }
      if (config.biasDtype() != null) {
        tensors.add(TensorInfo.of(llama.module(layer, "self_attn.q_proj") + ".bias",
            storage(config.biasDtype()), H));
      }
    }
    tensors.add(TensorInfo.of("lm_head.weight", StorageDType.BF16, 256, H));
    return CheckpointTensors.of(tensors, scalars);
  }

  private static void add(List<TensorInfo> tensors, Map<String, Double> scalars, QuantConfig c, String module,
      boolean quantized, double scalar) {
    if (!quantized) {
      tensors.add(TensorInfo.of(module + ".weight", StorageDType.BF16, H, H));
      return;
    }
    tensors.add(switch (c.format()) {
      case NVFP4, MXFP4 -> TensorInfo.of(module + ".weight", StorageDType.U8, H, H / 2);
      case INT8_W8A8 -> TensorInfo.of(module + ".weight", StorageDType.I8, H, H);
      default -> TensorInfo.of(module + ".weight", StorageDType.F8_E4M3, H, H);
    });
    String scaleName = module + ".weight_scale";
    StorageDType scaleType = storage(c.weightScale().dtype());
    switch (c.weightScale().granularity()) {
      case TENSOR -> {
        tensors.add(TensorInfo.of(scaleName, scaleType));
        scalars.put(scaleName, scalar);
      }
      case ROWWISE -> tensors.add(TensorInfo.of(scaleName, scaleType, H, 1));
      case BLOCK -> tensors.add(TensorInfo.of(scaleName, scaleType,
          ceil(H, c.weightScale().blockSize().rows()), ceil(H, c.weightScale().blockSize().cols())));
      default -> throw new AssertionError(c.weightScale());
    }
    if (c.isNvfp4()) {
      tensors.add(TensorInfo.of(module + ".weight_scale_2", StorageDType.F32));
      scalars.put(module + ".weight_scale_2", scalar);
    }
    if (c.isStatic()) {
      tensors.add(TensorInfo.of(module + ".input_scale", storage(c.inputScale().dtype())));
      scalars.put(module + ".input_scale", scalar);
    }
  }

  private static long ceil(long a, long b) {
    return (a + b - 1) / b;
  }

  static StorageDType storage(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> StorageDType.F32;
      case BFLOAT16 -> StorageDType.BF16;
      case FLOAT16 -> StorageDType.F16;
      case FLOAT8_E4M3FN -> StorageDType.F8_E4M3;
      case FLOAT8_E5M2 -> StorageDType.F8_E5M2;
      case FLOAT8_E8M0FNU -> StorageDType.U8; // raw E8M0 bytes, as vLLM and gpt-oss store them
      case FLOAT4_E2M1FN -> StorageDType.F4;
      case INT8 -> StorageDType.I8;
      case UINT8 -> StorageDType.U8;
    };
  }
}
