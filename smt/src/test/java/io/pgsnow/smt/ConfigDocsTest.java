package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code smt/docs/*.md} equal to the ConfigDefs. Run with {@code PGSNOW_WRITE_DOCS=true} to
 * rewrite them after changing a config.
 */
class ConfigDocsTest {
  private static final Path DOCS = Paths.get("docs");

  @Test
  void everyConfigKeyIsDocumented() {
    for (ConfigDocs.Documented doc : ConfigDocs.ALL) {
      for (ConfigKey key : doc.def().configKeys().values()) {
        assertThat(key.documentation).as(doc.title() + " " + key.name).isNotBlank();
        assertThat(key.group).as(doc.title() + " " + key.name).isNotBlank();
        assertThat(key.displayName).as(doc.title() + " " + key.name).isNotBlank();
      }
    }
  }

  @Test
  void checkedInDocsMatchTheConfigDefs() throws Exception {
    boolean write = Boolean.parseBoolean(System.getenv("PGSNOW_WRITE_DOCS"));
    for (ConfigDocs.Documented doc : ConfigDocs.ALL) {
      Path file = DOCS.resolve(doc.file());
      String expected = ConfigDocs.render(doc);
      if (write) {
        Files.createDirectories(DOCS);
        Files.writeString(file, expected, StandardCharsets.UTF_8);
      }
      assertThat(file).as("%s is stale: run the build with PGSNOW_WRITE_DOCS=true", file).exists();
      assertThat(Files.readString(file, StandardCharsets.UTF_8))
          .as("%s is stale: run the build with PGSNOW_WRITE_DOCS=true", file)
          .isEqualTo(expected);
    }
  }
}
