package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's Debezium compatibility section is the list DebeziumDifferentialIT checks; run the
 * build with {@code PGSNOW_WRITE_DOCS=true} to rewrite it after changing the list.
 */
class DebeziumDifferencesReadmeTest {
  private static final Path README = Path.of("..", "README.md");

  @Test
  void everyListedDifferenceHasAReason() {
    assertThat(DebeziumDifferences.listed()).isNotEmpty();
    DebeziumDifferences.listed()
        .forEach((path, reason) -> assertThat(reason).as(path).hasSizeGreaterThan(20));
  }

  @Test
  void readmeSectionEqualsTheList() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf(DebeziumDifferences.README_START);
    int end = readme.indexOf(DebeziumDifferences.README_END);
    assertThat(start).as("README has the section markers").isNotNegative();
    assertThat(end).isGreaterThan(start);
    String current = readme.substring(start, end + DebeziumDifferences.README_END.length());
    String expected = DebeziumDifferences.readmeSection();
    if (Boolean.parseBoolean(System.getenv("PGSNOW_WRITE_DOCS"))) {
      Files.writeString(README, readme.replace(current, expected), StandardCharsets.UTF_8);
      current = expected;
    }
    assertThat(current)
        .as("README's Debezium compatibility section is stale: run with PGSNOW_WRITE_DOCS=true")
        .isEqualTo(expected);
  }
}
