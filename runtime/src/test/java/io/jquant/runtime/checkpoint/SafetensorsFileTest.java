package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reader against files the Python safetensors package wrote (make_safetensors_fixtures.py). */
class SafetensorsFileTest {
  @Test
  void everyFixtureGivesTheExactBytesShapesAndOffsetOrder() throws Exception {
    Map<String, Fixtures.File> expected = Fixtures.expected();
    assertEquals(7, expected.size(), "fixture files in expected.txt");
    for (Map.Entry<String, Fixtures.File> file : expected.entrySet()) {
      try (SafetensorsFile opened = SafetensorsFile.open(Fixtures.path(file.getKey()))) {
        assertEquals(8 + file.getValue().headerBytes(), opened.dataStart(), file.getKey());
        assertEquals(file.getValue().tensors().stream().map(Fixtures.Tensor::name).toList(),
            opened.tensorNames(), file.getKey());
        for (Fixtures.Tensor tensor : file.getValue().tensors()) {
          TensorView view = opened.tensor(tensor.name());
          assertEquals(tensor.name(), view.name());
          assertEquals(StorageDType.ofCode(tensor.dtype()), view.dtype(), tensor.name());
          assertEquals(tensor.shape(), view.shape(), tensor.name());
          assertArrayEquals(tensor.bytes(), view.data().toArray(ValueLayout.JAVA_BYTE), tensor.name());
          assertTrue(view.data().isReadOnly(), tensor.name());
        }
      }
    }
  }

  @Test
  void theDtypeFixtureCoversEveryDtypeTorchWrites() throws Exception {
    try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("all_dtypes.safetensors"))) {
      Set<StorageDType> seen = EnumSet.noneOf(StorageDType.class);
      file.tensorNames().forEach(name -> seen.add(file.tensor(name).dtype()));
      // F6_E2M3 and F6_E3M2 have no torch dtype; SafetensorsCorruptTest reads a hand-made F6 file.
      assertEquals(EnumSet.complementOf(EnumSet.of(StorageDType.F6_E2M3, StorageDType.F6_E3M2)), seen);
      assertEquals(Map.of("format", "pt"), file.metadata());
      assertEquals(java.util.List.of(), file.tensor("scalar").shape());
      assertEquals(0, file.tensor("empty").data().byteSize());
      assertEquals(java.util.List.of(2L, 6L), file.tensor("f4").shape(), "F4 shapes count elements");
    }
  }

  @Test
  void metadataWithSeveralKeysAndNoTensors() throws Exception {
    try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("metadata_multi.safetensors"))) {
      assertEquals(Map.of("format", "pt", "producer", "jquant fixtures", "note", "café \"quoted\""),
          file.metadata());
    }
    try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path("empty.safetensors"))) {
      assertEquals(java.util.List.of(), file.tensorNames());
      assertEquals(Map.of(), file.metadata());
      assertEquals(16, file.dataStart());
    }
  }

  @Test
  void unknownNameNamesTheFileAndTheTensor() throws Exception {
    var path = Fixtures.path("names.safetensors");
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      assertFalse(file.contains("nope"));
      assertTrue(file.contains("\uD83D\uDE00"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> file.tensor("nope"));
      assertEquals(path + ": no tensor 'nope'", e.getMessage());
    }
  }

  @Test
  void viewsDieWithTheFile() throws Exception {
    SafetensorsFile file = SafetensorsFile.open(Fixtures.path("all_dtypes.safetensors"));
    TensorView view = file.tensor("f32");
    assertEquals(0x0e, view.data().get(ValueLayout.JAVA_BYTE, 0));
    file.close();
    assertThrows(IllegalStateException.class, () -> view.data().get(ValueLayout.JAVA_BYTE, 0));
    file.close(); // a second close does nothing
  }
}
