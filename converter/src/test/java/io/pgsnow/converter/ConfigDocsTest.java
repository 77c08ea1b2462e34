package io.pgsnow.converter;

import io.pgsnow.testkit.ConfigDocs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code converter/docs/fast-json-converter.md} equal to the ConfigDef. Run with {@code
 * PGSNOW_WRITE_DOCS=true} to rewrite it after changing a config.
 */
class ConfigDocsTest {
  private static final ConfigDocs.Documented DOC =
      new ConfigDocs.Documented(
          "fast-json-converter.md",
          "FastJsonConverter",
          List.of(FastJsonConverter.class),
          FastJsonConverter.OVERVIEW_DOC,
          FastJsonConverterConfig.CONFIG_DEF);

  @Test
  void everyConfigKeyIsDocumented() {
    ConfigDocs.assertEveryKeyDocumented(DOC);
  }

  @Test
  void checkedInDocsMatchTheConfigDef() throws Exception {
    ConfigDocs.assertUpToDate(Path.of("docs"), DOC);
  }
}
