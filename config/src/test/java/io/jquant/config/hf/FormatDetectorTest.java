package io.jquant.config.hf;

import static io.jquant.config.tensor.StorageDType.BF16;
import static io.jquant.config.tensor.StorageDType.F32;
import static io.jquant.config.tensor.StorageDType.F8_E4M3;
import static io.jquant.config.tensor.StorageDType.F8_E8M0;
import static io.jquant.config.tensor.StorageDType.I8;
import static io.jquant.config.tensor.StorageDType.U8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.layout.LayoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatDetectorTest {
  private static final String P = "model.layers.0.mlp.down_proj";

  private static CheckpointFormat detect(TensorInfo... tensors) {
    return FormatDetector.detect(List.of(tensors));
  }

  @Test
  void eachLayout() {
    assertEquals(CheckpointFormat.MODELOPT_NVFP4, detect(TensorInfo.of(P + ".weight", U8, 64, 32),
        TensorInfo.of(P + ".weight_scale", F8_E4M3, 64, 4), TensorInfo.of(P + ".weight_scale_2", F32),
        TensorInfo.of(P + ".input_scale", F32)));
    assertEquals(CheckpointFormat.COMPRESSED_TENSORS_NVFP4,
        detect(TensorInfo.of(P + ".weight_packed", U8, 64, 32),
            TensorInfo.of(P + ".weight_scale", F8_E4M3, 64, 4),
            TensorInfo.of(P + ".weight_global_scale", F32, 1)));
    assertEquals(CheckpointFormat.FP8_BLOCK, detect(TensorInfo.of(P + ".weight", F8_E4M3, 256, 256),
        TensorInfo.of(P + ".weight_scale_inv", F32, 2, 2)));
    assertEquals(CheckpointFormat.GPT_OSS_MXFP4, detect(
        TensorInfo.of("model.layers.0.mlp.experts.gate_up_proj_blocks", U8, 4, 128, 2, 16),
        TensorInfo.of("model.layers.0.mlp.experts.gate_up_proj_scales", U8, 4, 128, 2)));
    assertEquals(CheckpointFormat.COMPRESSED_TENSORS_MXFP8,
        detect(TensorInfo.of(P + ".weight", F8_E4M3, 64, 64),
            TensorInfo.of(P + ".weight_scale", U8, 64, 2)));
    assertEquals(CheckpointFormat.COMPRESSED_TENSORS_MXFP8,
        detect(TensorInfo.of(P + ".weight", F8_E4M3, 64, 64),
            TensorInfo.of(P + ".weight_scale", F8_E8M0, 64, 2)));
    assertEquals(CheckpointFormat.FBGEMM_FP8, detect(TensorInfo.of(P + ".weight", F8_E4M3, 64, 64),
        TensorInfo.of(P + ".weight_scale", F32, 64, 1)));
    assertEquals(CheckpointFormat.FP8_TENSORWISE, detect(TensorInfo.of(P + ".weight", F8_E4M3, 64, 64),
        TensorInfo.of(P + ".weight_scale", F32)));
    assertEquals(CheckpointFormat.COMPRESSED_TENSORS_INT8, detect(TensorInfo.of(P + ".weight", I8, 64, 64),
        TensorInfo.of(P + ".weight_scale", BF16, 64, 1)));
    assertEquals(CheckpointFormat.UNQUANTIZED, detect(TensorInfo.of(P + ".weight", BF16, 64, 64)));
    assertEquals(CheckpointFormat.UNQUANTIZED, detect());
  }

  /** Layouts the detector missed before it read the layout table. */
  @Test
  void jquantsMxfp4CompressedTensorsMxfp4AndBlockFp8WithWeightScale() {
    assertEquals(CheckpointFormat.GPT_OSS_MXFP4, detect(TensorInfo.of(P + ".weight", U8, 64, 32),
        TensorInfo.of(P + ".weight_scale", U8, 64, 2)));
    assertEquals(CheckpointFormat.COMPRESSED_TENSORS_MXFP4,
        detect(TensorInfo.of(P + ".weight_packed", U8, 64, 32),
            TensorInfo.of(P + ".weight_scale", U8, 64, 2)));
    assertEquals(CheckpointFormat.COMPRESSED_TENSORS_FP8_BLOCK,
        detect(TensorInfo.of(P + ".weight", F8_E4M3, 256, 384),
            TensorInfo.of(P + ".weight_scale", BF16, 2, 3)));
  }

  @Test
  void aLayerThatDoesNotFitItsLayoutIsRefusedWithTheTablesMessage() {
    LayoutException e = assertThrows(LayoutException.class, () -> detect(
        TensorInfo.of(P + ".weight_packed", U8, 64, 32), TensorInfo.of(P + ".weight_scale", F8_E4M3, 64, 2),
        TensorInfo.of(P + ".weight_global_scale", F32, 1)));
    assertEquals("tensor " + P + ".weight_scale: compressed-tensors NVFP4 weight [64, 64] needs F8_E4M3"
        + " [64, 4], got F8_E4M3 [64, 2]", e.getMessage());
    assertEquals(P + ".weight_scale", e.tensor());
  }

  @Test
  void anUnquantizedLayerBesideQuantizedOnesDoesNotHideThem() {
    assertEquals(CheckpointFormat.FP8_BLOCK, detect(TensorInfo.of("lm_head.weight", BF16, 64, 64),
        TensorInfo.of(P + ".weight", F8_E4M3, 256, 256), TensorInfo.of(P + ".weight_scale_inv", F32, 2, 2)));
  }
}
