package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Confluent Cloud takes custom connector archives of at most 200 MB; the sink's Snowflake clients
 * are what could push an archive past it.
 */
class PluginArchiveSizeIT {

  /** 200 MB counted in decimal megabytes, the stricter reading of the limit. */
  static final long CONFLUENT_CLOUD_LIMIT_BYTES = 200L * 1000 * 1000;

  @ParameterizedTest
  @ValueSource(strings = {"pgsnow-postgres-source", "pgsnow-snowflake-sink", "pgsnow-transforms"})
  void archiveFitsConfluentCloudsLimit(String name) throws Exception {
    assertThat(Files.size(PluginArchives.zip(name)))
        .as("size in bytes of %s", PluginArchives.zip(name))
        .isLessThanOrEqualTo(CONFLUENT_CLOUD_LIMIT_BYTES);
  }

  @Test
  void sinkCarriesOneSnowflakeDriverAndNoIngestSdk() throws Exception {
    String lib = "pgsnow-snowflake-sink-" + PluginArchives.VERSION + "/lib/";
    try (ZipFile zip = new ZipFile(PluginArchives.zip("pgsnow-snowflake-sink").toFile())) {
      List<String> jars =
          zip.stream()
              .map(e -> e.getName())
              .filter(n -> n.startsWith(lib) && n.endsWith(".jar"))
              .map(n -> n.substring(lib.length()))
              .toList();
      assertThat(jars).filteredOn(j -> j.startsWith("snowflake-jdbc")).hasSize(1);
      assertThat(jars).filteredOn(j -> j.startsWith("snowflake-jdbc-4.")).hasSize(1);
      assertThat(jars).noneMatch(j -> j.startsWith("snowflake-ingest-sdk"));
    }
  }
}
