package io.jquant.samples.llama;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.ModelWeights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs stories260K in each format: greedy tokens from BOS, and for each format its agreement with
 * transformers' float32 reference when the checkpoint directory holds {@code reference.json}.
 *
 * <pre> LlamaMain [DIR] [--format F]... [--tokens N] [--threads N] </pre>
 *
 * DIR defaults to {@link Stories260k#locate()}; {@code --format} (repeatable) takes {@code float32},
 * {@code declared} or a {@link io.jquant.runtime.quant.FormatPreset}'s name, default all
 * ({@link LlamaFormats#all()}); {@code --tokens} defaults to 64; {@code --threads} to 1.
 */
public final class LlamaMain {

  private LlamaMain() {}

  /** The parsed command line. */
  record Options(Path dir, List<LlamaFormats.Format> formats, int tokens, int threads) {
    static Options parse(String... args) {
      Path dir = null;
      List<LlamaFormats.Format> formats = new ArrayList<>();
      int tokens = 64;
      int threads = 1;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--format" -> formats.add(LlamaFormats.ofOption(value(args, ++i, "--format")));
          case "--tokens" -> tokens = positive(value(args, ++i, "--tokens"), "--tokens");
          case "--threads" -> threads = positive(value(args, ++i, "--threads"), "--threads");
          default -> {
            if (args[i].startsWith("--") || dir != null) {
              throw new IllegalArgumentException(
                  "unexpected argument '" + args[i] + "'; usage: LlamaMain [DIR]"
                      + " [--format F]... [--tokens N] [--threads N]");
            }
            dir = Path.of(args[i]);
          }
        }
      }
      return new Options(dir != null ? dir : Stories260k.locate(),
          formats.isEmpty() ? LlamaFormats.all() : List.copyOf(formats), tokens, threads);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int positive(String text, String option) {
      try {
        int value = Integer.parseInt(text);
        if (value > 0) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(option + " takes a positive integer, not '" + text + "'");
    }
  }

  public static void main(String[] args) throws IOException {
    run(Options.parse(args), System.out);
  }

  /** Runs every format of {@code options} and prints the tokens and the agreement with the reference. */
  static void run(Options options, PrintStream out) throws IOException {
    LlamaConfig config = LlamaConfig.read(options.dir());
    Stories260k.Reference reference = Files.isRegularFile(options.dir().resolve("reference.json"))
        ? Stories260k.Reference.read(options.dir())
        : null;
    int[] prompt = reference != null ? reference.greedyPrompt() : new int[] { 1 };
    out.println(
        "stories260K from " + options.dir() + ": " + config.layers() + " layers, hidden " + config.hidden()
            + ", MLP " + config.intermediate() + "; " + options.tokens() + " greedy tokens after "
            + Arrays.toString(prompt)
            + " on " + options.threads() + " thread(s)");
    try (KernelThreads threads = KernelThreads.create(options.threads())) {
      for (LlamaFormats.Format format : options.formats()) {
        QuantConfig quant = format.config();
        try (ModelWeights weights = LlamaWiring.open(options.dir(), quant)) {
          LlamaModel model = LlamaModel.load(weights, config);
          out.println();
          out.println(format + (quant == null ? ""
              : " (" + quant.format().wireName() + ", MLP layers "
                  + quant.mlpQuantizedLayers() + ", attention layers " + quant.attnQuantizedLayers() + ")")
              + ", projection weights " + model.projectionWeightBytes() + " bytes");
          out.println("  generated " + Arrays.toString(model.generate(prompt, options.tokens(), threads)));
          if (reference != null) {
            out.println("  " + Agreement.measure(model, reference, threads).summary());
          }
        }
      }
    }
  }
}
