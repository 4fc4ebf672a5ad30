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
 * <p>The checkpoint is looked up, in order: the system property {@value #PROPERTY}; a directory
 * {@code shared/models/stories260K} beside the working directory or beside one of its parents (the repository's
 * checkout sits next to {@code shared/}, so this finds it from the repository root and from a module).
 */
public final class Stories260k {
  /** The system property naming the checkpoint directory. */
  public static final String PROPERTY = "jquant.stories260k";
  private static final Path RELATIVE = Path.of("shared", "models", "stories260K");

  private Stories260k() {}

  /**
   * The checkpoint directory.
   *
   * @throws IllegalStateException naming the places searched when there is none
   */
  public static Path locate() {
    String property = System.getProperty(PROPERTY);
    if (property != null) {
      Path dir = Path.of(property);
      if (!Files.isRegularFile(dir.resolve("config.json"))) {
        throw new IllegalStateException("-D" + PROPERTY + "=" + property + " has no config.json");
      }
      return dir;
    }
    Path cwd = Path.of("").toAbsolutePath();
    for (Path dir = cwd; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE);
      if (Files.isRegularFile(candidate.resolve("config.json"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("stories260K not found: no " + RELATIVE + " in " + cwd
        + " or a parent directory; pass the directory or set -D" + PROPERTY);
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
