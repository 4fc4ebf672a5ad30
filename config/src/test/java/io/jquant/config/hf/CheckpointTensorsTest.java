package io.jquant.config.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTensorsTest {
  @Test
  void duplicateNamesAreRefused() {
    TensorInfo a = TensorInfo.of("x", StorageDType.F32);
    assertEquals("tensor x appears twice in the checkpoint", assertThrows(IllegalArgumentException.class,
        () -> CheckpointTensors.of(List.of(a, a))).getMessage());
  }
}
