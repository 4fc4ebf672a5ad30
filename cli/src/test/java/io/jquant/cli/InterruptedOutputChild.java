package io.jquant.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM for {@link OutputTransactionTest}: begins the output named by its argument, writes a file into
 * the temporary directory, prints that directory's path and waits to be signalled, as a quantize run in the
 * middle of its tensors does.
 */
public final class InterruptedOutputChild {
  private InterruptedOutputChild() {}

  /** Runs until killed. */
  public static void main(String[] args) throws Exception {
    OutputTransaction output = OutputTransaction.begin(Path.of(args[0]));
    Files.writeString(output.dir().resolve("model-00001-of-00002.safetensors"), "pending shard");
    System.out.println(output.dir());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
