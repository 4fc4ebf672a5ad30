package io.jquant.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.config.hf.CheckpointTensors;
import io.jquant.config.tensor.StorageDType;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class TensorViewsTest {
  @Test
  void viewsGiveScalarValuesOfOneElementFloatTensors() {
    // a holds 1.5f, b holds 3.0 in BF16, c is not one element.
    CheckpointTensors t = TensorViews.checkpointTensors(List.of(
        new StoredTensor("a", StorageDType.F32, List.of(), new byte[] { 0, 0, (byte) 0xC0, 0x3F }).view(),
        new StoredTensor("b", StorageDType.BF16, List.of(1L), new byte[] { 0x40, 0x40 }).view(),
        new StoredTensor("c", StorageDType.F32, List.of(2L), new byte[8]).view()));
    assertEquals(OptionalDouble.of(1.5), t.scalar("a"));
    assertEquals(OptionalDouble.of(3.0), t.scalar("b"));
    assertEquals(OptionalDouble.empty(), t.scalar("c"));
    assertEquals(List.of(1L), t.get("b").orElseThrow().shape());
  }
}
