package io.jquant.samples.minilm;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * all-MiniLM-L6-v2's WordPiece tokenizer, loaded as langchain4j loads it: the DJL Hugging Face tokenizer over
 * the jar's {@code all-minilm-l6-v2-tokenizer.json}, without padding, [CLS] and [SEP] added; the file
 * truncates to 128 tokens. (langchain4j splits texts longer than 510 word pieces into parts; that never
 * happens at 128.)
 */
public final class MiniLmTokenizer implements AutoCloseable {
  /** The tokenizer's class-path resource in the langchain4j jar. */
  public static final String RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  private final HuggingFaceTokenizer tokenizer;

  private MiniLmTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /**
   * Loads the tokenizer from the class path. Set {@code OPT_OUT_TRACKING=true} first: DJL otherwise reports
   * start-up telemetry over the network.
   */
  public static MiniLmTokenizer load() throws IOException {
    try (InputStream in = MiniLmTokenizer.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("class-path resource " + RESOURCE + " not found");
      }
      return new MiniLmTokenizer(HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false")));
    }
  }

  /** The token ids of {@code text}, [CLS] first and [SEP] last. */
  public int[] ids(String text) {
    Encoding encoding = tokenizer.encode(text, true, false);
    long[] ids = encoding.getIds();
    int[] result = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      result[i] = Math.toIntExact(ids[i]);
    }
    return result;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
