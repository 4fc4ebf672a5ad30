package io.jquant.samples.llama;

import io.jquant.config.hf.HfQuantConfigParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where stories260K lives and what transformers computed with it ({@code reference.json}).
 *
 * <p>The checkpoint is the test data of this module, {@code samples/src/test/data/stories260K} (its README
 * says where it comes from). It is looked up, in order: the system property {@value #PROPERTY}; {@code
 * src/test/data/stories260K} under the working directory (the module, where Maven runs its tests and the
 * sample); {@code samples/src/test/data/stories260K} under it (the repository root). Nothing outside the
 * repository is searched.
 */
public final class Stories260k {
  /** The system property naming the checkpoint directory. */
  public static final String PROPERTY = "jquant.stories260k";
  private static final Path IN_MODULE = Path.of("src", "test", "data", "stories260K");
  private static final Path IN_ROOT = Path.of("samples").resolve(IN_MODULE);

  private Stories260k() {}

  /**
   * The checkpoint directory.
   *
   * @throws IllegalStateException naming the places searched when there is none
   */
  public static Path locate() {
    return locate(System.getProperty(PROPERTY), Path.of("").toAbsolutePath());
  }

  /** {@link #locate()} for a given property value (null: unset) and working directory. */
  static Path locate(String property, Path cwd) {
    if (property != null) {
      Path dir = Path.of(property);
      if (!Files.isRegularFile(dir.resolve("config.json"))) {
        throw new IllegalStateException("-D" + PROPERTY + "=" + property + " has no config.json");
      }
      return dir;
    }
    for (Path relative : List.of(IN_MODULE, IN_ROOT)) {
      Path candidate = cwd.resolve(relative);
      if (Files.isRegularFile(candidate.resolve("config.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("stories260K not found: no " + IN_MODULE + " or " + IN_ROOT + " in " + cwd
        + "; pass the directory or set -D" + PROPERTY);
  }

  /**
   * transformers' outputs in float32 (reference.json).
   *
   * @param greedyPrompt the prompt of the greedy run ({@code [BOS]})
   * @param greedy the 64 ids generated greedily after it
   * @param logitsPrompt a 16-token prompt
   * @param argmaxPerPosition the largest logit's id at each of its positions
   * @param lastLogits all logits at its last position
   */
  public record Reference(int[] greedyPrompt, int[] greedy, int[] logitsPrompt, int[] argmaxPerPosition,
      float[] lastLogits) {
    /**
     * Reads {@code directory/reference.json}.
     *
     * @throws IllegalArgumentException naming the file and key when one is missing
     */
    public static Reference read(Path directory) throws IOException {
      Path file = directory.resolve("reference.json");
      Map<String, Object> json = HfQuantConfigParser.readJson(file.toString(), Files.readString(file));
      Map<String, Object> greedy = object(file, json, "greedy");
      Map<String, Object> logits = object(file, json, "logits_prompt");
      float[] last = floats(file, logits, "last_position_logits");
      return new Reference(ints(file, greedy, "prompt_ids"), ints(file, greedy, "generated_ids"),
          ints(file, logits, "prompt_ids"), ints(file, logits, "argmax_per_position"), last);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Path file, Map<String, Object> json, String key) {
      if (json.get(key) instanceof Map<?, ?> map) {
        return (Map<String, Object>) map;
      }
      throw new IllegalArgumentException(file + ": no object '" + key + "'");
    }

    private static List<?> list(Path file, Map<String, Object> json, String key) {
      if (json.get(key) instanceof List<?> list) {
        return list;
      }
      throw new IllegalArgumentException(file + ": no list '" + key + "'");
    }

    private static int[] ints(Path file, Map<String, Object> json, String key) {
      return list(file, json, key).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    private static float[] floats(Path file, Map<String, Object> json, String key) {
      List<?> values = list(file, json, key);
      float[] out = new float[values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) values.get(i)).floatValue();
      }
      return out;
    }
  }
}
