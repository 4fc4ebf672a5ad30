package io.jquant.annotations.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's rule table is the catalog: same ids, same order, same summaries. */
class ReadmeRulesTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Za-z]+\\.[A-Za-z]+)` \\| (.*) \\|$",
      Pattern.MULTILINE);

  @Test
  void readmeListsEveryRuleWithItsSummary() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> documented = new ArrayList<>();
    Matcher row = ROW.matcher(readme);
    while (row.find()) {
      documented.add(row.group(1) + " | " + row.group(2).replace("\\|", "|"));
    }
    List<String> catalog = new ArrayList<>();
    for (RuleId rule : RuleId.values()) {
      catalog.add(rule.id() + " | " + rule.summary());
    }
    assertEquals(catalog, documented);
  }
}
