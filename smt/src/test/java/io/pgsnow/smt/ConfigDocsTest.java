package io.pgsnow.smt;

import io.pgsnow.testkit.ConfigDocs;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code smt/docs/*.md} equal to the ConfigDefs. Run with {@code PGSNOW_WRITE_DOCS=true} to
 * rewrite them after changing a config.
 */
class ConfigDocsTest {
  private static final Path DOCS = Paths.get("docs");

  @Test
  void everyConfigKeyIsDocumented() {
    TransformDocs.ALL.forEach(ConfigDocs::assertEveryKeyDocumented);
  }

  @Test
  void checkedInDocsMatchTheConfigDefs() throws Exception {
    for (ConfigDocs.Documented doc : TransformDocs.ALL) {
      ConfigDocs.assertUpToDate(DOCS, doc);
    }
  }
}
