package io.jquant.config.hf;

import io.jquant.config.layout.ModuleTensors;
import io.jquant.config.layout.StoredLayout;
import io.jquant.config.layout.StoredModule;
import io.jquant.config.tensor.StorageDType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Recognises a checkpoint layout from its tensors; the rules are {@link FormatDetector}'s. */
final class TensorLayouts {
  private TensorLayouts() {}

  static CheckpointFormat detect(List<TensorInfo> tensors) {
    CheckpointFormat found = gptOss(tensors);
    Map<String, Map<String, TensorInfo>> modules = ModuleTensors.byModule(tensors, TensorInfo::name);
    for (Map.Entry<String, Map<String, TensorInfo>> module : modules.entrySet()) {
      Optional<StoredModule> stored = StoredLayout.find(module.getKey(), module.getValue(),
          StoredLayout.DEFAULT_FP8_BLOCK);
      if (stored.isPresent()) {
        CheckpointFormat f = stored.get().layout().detected();
        if (found == null || f.ordinal() < found.ordinal()) {
          found = f;
        }
      }
    }
    return found == null ? CheckpointFormat.UNQUANTIZED : found;
  }

  /** gpt-oss MoE experts ({@code *_blocks} U8 with {@code *_scales} U8), which are no linear layer. */
  private static CheckpointFormat gptOss(List<TensorInfo> tensors) {
    Map<String, TensorInfo> byName = new java.util.HashMap<>();
    tensors.forEach(t -> byName.put(t.name(), t));
    for (TensorInfo t : tensors) {
      String name = t.name();
      if (name.endsWith("_blocks") && t.dtype() == StorageDType.U8) {
        TensorInfo scales = byName.get(name.substring(0, name.length() - "_blocks".length()) + "_scales");
        if (scales != null && scales.dtype() == StorageDType.U8) {
          return CheckpointFormat.GPT_OSS_MXFP4;
        }
      }
    }
    return null;
  }
}
