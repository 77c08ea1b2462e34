package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each archive has the Confluent Hub layout, our version, no Kafka jars, and fits the size cap. */
class PluginArchivesIT {
  private static final long CONFLUENT_CLOUD_LIMIT = 200L * 1024 * 1024;

  @ParameterizedTest
  @ValueSource(strings = {"pgsnow-postgres-source", "pgsnow-snowflake-sink", "pgsnow-transforms"})
  void hasTheConfluentHubLayout(String name) throws Exception {
    Path zip = PluginArchives.zip(name);
    assertThat(Files.size(zip)).isLessThan(CONFLUENT_CLOUD_LIMIT);
    String root = name + "-" + PluginArchives.VERSION + "/";
    try (ZipFile file = new ZipFile(zip.toFile())) {
      ZipEntry manifest = file.getEntry(root + "manifest.json");
      assertThat(manifest).isNotNull();
      JsonNode json = new ObjectMapper().readTree(file.getInputStream(manifest));
      assertThat(json.get("name").asText()).isEqualTo(name);
      assertThat(json.get("version").asText()).isEqualTo(PluginArchives.VERSION);
      for (String field :
          List.of(
              "title",
              "description",
              "owner",
              "component_types",
              "license",
              "requirements",
              "features",
              "documentation_url")) {
        assertThat(json.has(field)).as(field).isTrue();
      }
      assertThat(file.getEntry(root + json.get("documentation_url").asText())).isNotNull();
      assertThat(file.getEntry(root + "doc/README.md")).isNotNull();
      assertThat(file.getEntry(root + "doc/LICENSE")).isNotNull();
      assertThat(file.getEntry(root + "doc/THIRD-PARTY.md")).isNotNull();
      List<String> libs = new ArrayList<>();
      file.stream()
          .filter(e -> e.getName().startsWith(root + "lib/") && !e.isDirectory())
          .forEach(e -> libs.add(e.getName().substring((root + "lib/").length())));
      assertThat(libs).anyMatch(l -> l.startsWith("pgsnow-smt-"));
      // FastJsonConverter, with its reference next to the plugin's.
      assertThat(libs).anyMatch(l -> l.startsWith("pgsnow-converter-"));
      assertThat(file.getEntry(root + "doc/converter/fast-json-converter.md")).isNotNull();
      // The version, retry policy and bounded calls every plugin shares.
      assertThat(libs).anyMatch(l -> l.startsWith("pgsnow-common-"));
      // The transforms' own runtime dependencies (lookup cache, jdbc lookup source).
      assertThat(libs).anyMatch(l -> l.startsWith("caffeine-"));
      assertThat(libs).anyMatch(l -> l.startsWith("postgresql-"));
      assertThat(libs).noneMatch(l -> l.startsWith("kafka") || l.startsWith("connect-"));
      assertThat(libs).noneMatch(l -> l.startsWith("slf4j"));
      assertThat(
              file.stream()
                  .anyMatch(e -> e.getName().startsWith(root + "etc/") && !e.isDirectory()))
          .isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pgsnow-postgres-source", "pgsnow-snowflake-sink", "pgsnow-transforms"})
  void registersEveryPluginForServiceLoading(String name) throws Exception {
    Path lib =
        PluginArchives.pluginPath().resolve(name + "-" + PluginArchives.VERSION).resolve("lib");
    Path smtJar =
        Files.list(lib)
            .filter(p -> p.getFileName().toString().startsWith("pgsnow-smt-"))
            .findFirst()
            .orElseThrow();
    Path converterJar =
        Files.list(lib)
            .filter(p -> p.getFileName().toString().startsWith("pgsnow-converter-"))
            .findFirst()
            .orElseThrow();
    try (JarFile jar = new JarFile(converterJar.toFile())) {
      for (String service :
          List.of(
              "org.apache.kafka.connect.storage.Converter",
              "org.apache.kafka.connect.storage.HeaderConverter")) {
        assertThat(
                PluginArchives.read(
                    jar.getInputStream(jar.getEntry("META-INF/services/" + service))))
            .as(service)
            .contains("io.pgsnow.converter.FastJsonConverter");
      }
    }
    try (JarFile jar = new JarFile(smtJar.toFile())) {
      String services =
          PluginArchives.read(
              jar.getInputStream(
                  jar.getEntry(
                      "META-INF/services/org.apache.kafka.connect.transforms.Transformation")));
      for (String transform :
          List.of("UnwrapChangeEvent", "Flatten", "LookupJoin", "ConcatFields")) {
        assertThat(services)
            .contains(
                "io.pgsnow.smt." + transform + "$Key", "io.pgsnow.smt." + transform + "$Value");
      }
    }
  }
}
