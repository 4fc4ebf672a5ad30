package io.jquant.samples.minilm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.QuantConfig;
import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.AmaxRecorder;
import io.jquant.runtime.model.CalibratedCheckpoint;
import io.jquant.runtime.model.Calibration;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * all-MiniLM-L6-v2 calibrated end to end on the bench's 64 sentences: the declaration's static NVFP4 input
 * scales recorded in calibrating mode through {@link MiniLmEncoder}'s own forward code, written with the ONNX
 * weights into a checkpoint with {@code input_scale} for all 36 projections, and loaded back through the
 * generated {@link MiniLmWiring} to exactly the embeddings of the calibration applied on the fly.
 */
class MiniLmCalibrationTest {
  private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  @TempDir
  Path dir;

  @Test
  void aCalibratedCheckpointCarriesEveryInputScaleAndLoadsToTheOnTheFlyEmbeddings() throws IOException {
    MiniLmFixture f = MiniLmFixture.get();
    QuantConfig config = MiniLmQuantConfig.config();
    AmaxRecorder recorder = new AmaxRecorder();
    MiniLmEncoder recording = MiniLmEncoder.create(MiniLmWiring.of(f.source, config).recordInputs(recorder));
    for (int[] ids : f.ids) {
      recording.embed(ids, KernelThreads.single());
    }
    Calibration calibration = recorder.calibration();
    Set<String> modules = CalibratedCheckpoint.quantizedModules(config, MiniLmWiring.LAYOUT.moduleNames());
    assertEquals(36, modules.size());
    assertEquals(modules, calibration.amax().keySet());
    Path out = dir.resolve("calibrated");
    CalibratedCheckpoint.write(MiniLmWiring.of(f.source, config), calibration, out);
    try (Checkpoint checkpoint = Checkpoint.open(out)) {
      for (String module : modules) {
        TensorView scale = checkpoint.tensor(module + ".input_scale");
        assertEquals(StorageDType.F32, scale.dtype(), module);
        assertEquals(List.of(), scale.shape(), module);
        assertEquals(Float.floatToIntBits(calibration.amax().get(module) / 2688.0f),
            Float.floatToIntBits(scale.data().get(F32_LE, 0)), module);
        assertEquals(StorageDType.U8, checkpoint.tensor(module + ".weight").dtype(), module);
      }
    }

    MiniLmEncoder onTheFly = MiniLmEncoder
        .create(MiniLmWiring.of(f.source, config).useCalibration(calibration));
    double min = 1;
    double sum = 0;
    try (ModelWeights stored = MiniLmWiring.open(out)) {
      MiniLmEncoder fromCheckpoint = MiniLmEncoder.create(stored);
      for (int s = 0; s < f.ids.size(); s++) {
        float[] expected = onTheFly.embed(f.ids.get(s), KernelThreads.single());
        assertArrayEquals(expected, fromCheckpoint.embed(f.ids.get(s), KernelThreads.single()),
            "sentence " + s);
        double cosine = MiniLmFixture.cosine(expected, f.reference.get(s));
        min = Math.min(min, cosine);
        sum += cosine;
      }
    }
    double mean = sum / f.ids.size();
    System.out.printf(Locale.ROOT, "NVFP4 calibrated static inputs: cosine min %.6f mean %.6f%n", min, mean);
    // Measured 0.938611 min, 0.965179 mean (per-call dynamic scales: 0.949493, 0.965344; static scales with
    // each weight's own weight_scale_2, which engines cannot fuse: 0.949742, 0.965158): q/k/v sharing the
    // largest weight amax costs the worst sentence 0.011. A floor 0.01 under it, and within 0.002.
    assertTrue(min > 0.928, "min cosine " + min);
    assertEquals(0.938611, min, 0.002);
    assertEquals(0.965179, mean, 0.002);
  }
}
