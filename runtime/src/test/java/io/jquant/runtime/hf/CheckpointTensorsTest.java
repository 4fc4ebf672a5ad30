package io.jquant.runtime.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.runtime.tensor.StorageDType;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CheckpointTensorsTest {
  @Test
  void viewsGiveScalarValuesOfOneElementFloatTensors() {
    CheckpointTensors t = CheckpointTensors.ofViews(List.of(
        new StoredTensor("a", StorageDType.F32, List.of(), new byte[] {0, 0, (byte) 0xC0, 0x3F}).view(), // 1.5f
        new StoredTensor("b", StorageDType.BF16, List.of(1L), new byte[] {0x40, 0x40}).view(),           // 3.0
        new StoredTensor("c", StorageDType.F32, List.of(2L), new byte[8]).view()));
    assertEquals(OptionalDouble.of(1.5), t.scalar("a"));
    assertEquals(OptionalDouble.of(3.0), t.scalar("b"));
    assertEquals(OptionalDouble.empty(), t.scalar("c"));
    assertEquals(List.of(1L), t.get("b").orElseThrow().shape());
  }

  @Test
  void duplicateNamesAreRefused() {
    TensorInfo a = TensorInfo.of("x", StorageDType.F32);
    assertEquals("tensor x appears twice in the checkpoint", assertThrows(IllegalArgumentException.class,
        () -> CheckpointTensors.of(List.of(a, a))).getMessage());
  }
}
