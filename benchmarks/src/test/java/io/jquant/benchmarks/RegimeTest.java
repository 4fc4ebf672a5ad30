package io.jquant.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RegimeTest {
  @Test
  void hotIsOneBuffer() {
    assertEquals(1, Regime.HOT.buffers(9_437_184));
    assertEquals(1, Regime.HOT.buffers(3L << 30));
  }

  @Test
  void coldIsTheFewestBuffersThatPassOneGibibyte() {
    // 4096² float32 = 64 MiB: 16 make exactly 1 GiB, so 17.
    assertEquals(17, Regime.COLD.buffers(64L << 20));
    // 4096² NVFP4 = 9 MiB: 113 are 1017 MiB, 114 are 1026 MiB.
    assertEquals(114, Regime.COLD.buffers(9_437_184));
    // 11008x4096 float32 = 172 MiB: 6 are 1032 MiB.
    assertEquals(6, Regime.COLD.buffers(11008L * 4096 * 4));
    // A buffer larger than the pool still alternates between two.
    assertEquals(2, Regime.COLD.buffers(2L << 30));
  }

  @Test
  void parsesTheParameterSpelling() {
    assertEquals(Regime.COLD, Regime.parse("cold"));
    assertEquals("hot", Regime.HOT.label());
    assertEquals("regime HOT: expected hot or cold",
        assertThrows(IllegalArgumentException.class, () -> Regime.parse("HOT")).getMessage());
    assertEquals("a buffer needs at least one byte, got 0",
        assertThrows(IllegalArgumentException.class, () -> Regime.COLD.buffers(0)).getMessage());
  }
}
