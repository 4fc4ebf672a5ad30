package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorPipelineTest {
  /** The in-flight window is twice the threads: computed in int it went negative and nothing ran. */
  @Test
  void theLargestThreadCountStillRunsEveryItemInOrder() {
    List<Integer> results = new ArrayList<>();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> TensorPipeline.run(List.of(1, 2, 3, 4, 5),
        Integer.MAX_VALUE, item -> item * 10, results::add));
    assertEquals(List.of(10, 20, 30, 40, 50), results);
  }

  @Test
  void twoThreadsKeepTheInputOrder() throws IOException {
    List<Integer> results = new ArrayList<>();
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      items.add(i);
    }
    TensorPipeline.run(items, 2, item -> -item, results::add);
    assertEquals(items.stream().map(i -> -i).toList(), results);
  }
}
