package io.jquant.config.hf;

import io.jquant.config.tensor.StorageDType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Recognises a checkpoint layout from its tensors; the rules are {@link FormatDetector}'s. */
final class TensorLayouts {
  private TensorLayouts() {}

  static CheckpointFormat detect(List<TensorInfo> tensors) {
    Map<String, TensorInfo> byName = new HashMap<>();
    tensors.forEach(t -> byName.put(t.name(), t));
    CheckpointFormat found = null;
    for (TensorInfo t : tensors) {
      CheckpointFormat f = layerFormat(t, byName);
      if (f != null && (found == null || f.ordinal() < found.ordinal())) {
        found = f;
      }
    }
    return found == null ? CheckpointFormat.UNQUANTIZED : found;
  }

  /** The format one tensor shows together with its siblings, or null if it shows none. */
  private static CheckpointFormat layerFormat(TensorInfo t, Map<String, TensorInfo> byName) {
    String name = t.name();
    if (name.endsWith("_blocks") && t.dtype() == StorageDType.U8) {
      TensorInfo scales = byName.get(name.substring(0, name.length() - "_blocks".length()) + "_scales");
      return scales != null && scales.dtype() == StorageDType.U8 ? CheckpointFormat.GPT_OSS_MXFP4 : null;
    }
    if (name.endsWith(".weight_packed")) {
      String base = name.substring(0, name.length() - ".weight_packed".length());
      return byName.containsKey(base + ".weight_global_scale")
          ? CheckpointFormat.COMPRESSED_TENSORS_NVFP4
          : CheckpointFormat.COMPRESSED_TENSORS_MXFP4;
    }
    if (!name.endsWith(".weight")) {
      return null;
    }
    String base = name.substring(0, name.length() - ".weight".length());
    TensorInfo scale = byName.get(base + ".weight_scale");
    if (t.dtype() == StorageDType.U8 && scale != null && scale.dtype() == StorageDType.F8_E4M3
        && byName.containsKey(base + ".weight_scale_2")) {
      return CheckpointFormat.MODELOPT_NVFP4;
    }
    if (t.dtype() == StorageDType.F8_E4M3) {
      if (byName.containsKey(base + ".weight_scale_inv")) {
        return CheckpointFormat.FP8_BLOCK;
      }
      if (scale == null) {
        return null;
      }
      if ((scale.dtype() == StorageDType.U8 || scale.dtype() == StorageDType.F8_E8M0)
          && isMxScale(t, scale)) {
        return CheckpointFormat.COMPRESSED_TENSORS_MXFP8;
      }
      if (scale.shape().size() == 2 && scale.shape().get(1) == 1 && !scale.isScalar()) {
        return CheckpointFormat.FBGEMM_FP8;
      }
      if (scale.isScalar()) {
        return CheckpointFormat.FP8_TENSORWISE;
      }
      return null;
    }
    if (t.dtype() == StorageDType.I8 && scale != null) {
      return CheckpointFormat.COMPRESSED_TENSORS_INT8;
    }
    return null;
  }

  private static boolean isMxScale(TensorInfo weight, TensorInfo scale) {
    List<Long> w = weight.shape();
    List<Long> s = scale.shape();
    return w.size() == 2 && s.size() == 2 && s.get(0).equals(w.get(0)) && s.get(1) == (w.get(1) + 31) / 32;
  }
}
