package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.MaxConfigs;
import io.jquant.config.QuantConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The printed builder calls rebuild the very config they were printed from: compiled by javac and run, for
 * the config MAX's parser builds for every format, and for one that sets every optional field.
 */
class QuantConfigSourceTest {
  @Test
  void printedSourceRebuildsEqualConfigs() {
    List<QuantConfig> configs = new ArrayList<>();
    for (QuantFormat format : QuantFormat.values()) {
      configs.add(MaxConfigs.forFormat(format));
    }
    configs.add(QuantConfig.builder(QuantFormat.NVFP4)
        .mlpQuantizedLayers(0, 1, 2, 5, 7, 8)
        .attnQuantizedLayers(3)
        .embeddingOutputDtype(DType.BFLOAT16)
        .biasDtype(DType.FLOAT16)
        .canUseFusedMlp(true)
        .scalesPreInterleaved(true)
        .build());
    configs.add(MaxConfigs.fbgemm().toBuilder()
        .inputScale(MaxConfigs.fbgemm().inputScale().withActivationScaleUb(0.1))
        .build());

    for (int i = 0; i < configs.size(); i++) {
      QuantConfig config = configs.get(i);
      String source = "package test;\n"
          + "public final class Rebuilt {\n"
          + "  public static io.jquant.config.QuantConfig config() {\n"
          + "    return " + QuantConfigSource.expression(config) + ";\n"
          + "  }\n"
          + "}\n";
      Compilation c = TestSources.compiler().compile(JavaFileObjects.forSourceString("test.Rebuilt", source));
      assertThat(c).succeededWithoutWarnings();
      assertThat(TestSources.loadConfig(c, "test.Rebuilt")).isEqualTo(config);
    }
  }

  @Test
  void specsArePrintedThroughTheirNamedFactories() {
    // CodeBlock.toString wraps at the wrap points; joined, the calls read as one expression.
    String fbgemm = QuantConfigSource.expression(MaxConfigs.fbgemm()).toString().replaceAll("\\n\\s*", "");
    assertThat(fbgemm).contains(".inputScale(io.jquant.config.InputScaleSpec.colwise("
        + "io.jquant.annotations.ScaleOrigin.DYNAMIC, io.jquant.annotations.DType.FLOAT8_E4M3FN)"
        + ".withActivationScaleUb(1200.0))");
    assertThat(fbgemm).contains(".weightScale(io.jquant.config.WeightScaleSpec.rowwise("
        + "io.jquant.annotations.DType.FLOAT32))");
    assertThat(QuantConfigSource.expression(MaxConfigs.nvfp4()).toString()).contains(
        ".inputScale(" + InputScaleSpec.class.getName() + ".block(io.jquant.annotations.ScaleOrigin.STATIC, "
            + "io.jquant.annotations.DType.FLOAT32, 1, 16))");
  }
}
