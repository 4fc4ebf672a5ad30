package io.jquant.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredTensorTest {
  @Test
  void theByteCountMustBeTheShapeTimesTheElementWidth() {
    StoredTensor scales = StoredTensor.of("weight_scale", StorageDType.F8_E4M3, new byte[12], 3, 4);
    assertEquals(List.of(3L, 4L), scales.shape());

    IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
        () -> StoredTensor.of("weight_scale_2", StorageDType.F32, new byte[3]));
    assertEquals("tensor weight_scale_2: F32 [] needs 32 bits, got 3 bytes", tooFew.getMessage());
  }

  @Test
  void subByteTypesCountBitsAndMustFillWholeBytes() {
    assertEquals(List.of(2L, 6L), StoredTensor.of("w", StorageDType.F4, new byte[6], 2, 6).shape());
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> StoredTensor.of("w", StorageDType.F4, new byte[2], 1, 3));
    assertEquals("tensor w: F4 [1, 3] needs 12 bits, got 2 bytes", odd.getMessage());
  }

  @Test
  void negativeDimensionsAreRefusedWithTheShape() {
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> StoredTensor.of("w", StorageDType.U8, new byte[0], 2, -1));
    assertEquals("tensor w: negative dimension in shape [2, -1]", negative.getMessage());
  }

  @Test
  void equalityComparesTheBytesNotTheArrays() {
    StoredTensor a = StoredTensor.of("w", StorageDType.I8, new byte[] { 1, 2 }, 2);
    assertEquals(a, StoredTensor.of("w", StorageDType.I8, new byte[] { 1, 2 }, 2));
    assertEquals(a.hashCode(), StoredTensor.of("w", StorageDType.I8, new byte[] { 1, 2 }, 2).hashCode());
    assertNotEquals(a, StoredTensor.of("w", StorageDType.I8, new byte[] { 1, 3 }, 2));
  }

  @Test
  void dtypeCodesAreSafetensorsOwn() {
    assertEquals(StorageDType.F8_E8M0, StorageDType.ofCode("F8_E8M0"));
    assertEquals(16, StorageDType.ofCode("BF16").bits());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> StorageDType.ofCode("FP8"));
    assertEquals(true,
        unknown.getMessage().startsWith("unknown safetensors dtype \"FP8\"; known: [BOOL, F4,"),
        unknown.getMessage());
  }
}
