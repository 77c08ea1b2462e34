package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Connect 4.3.1 worker with {@code plugin.path} pointing at the unzipped archives and {@code
 * plugin.discovery=service_load}: no pgsnow class is on the test classpath, so the worker finds our
 * plugins the way it does on a user's machine.
 */
class PluginLoadingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    connect = PluginArchives.sharedCluster();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  @Test
  void ourClassesAreNotOnTheTestClasspath() {
    assertThat(
            getClass()
                .getClassLoader()
                .getResource("io/pgsnow/source/PostgresCdcSourceConnector.class"))
        .isNull();
    assertThat(getClass().getClassLoader().getResource("io/pgsnow/smt/LookupJoin.class")).isNull();
    assertThat(
            getClass().getClassLoader().getResource("io/pgsnow/converter/FastJsonConverter.class"))
        .isNull();
  }

  @Test
  void listsEveryPluginWithOurVersion() throws Exception {
    JsonNode plugins =
        JSON.readTree(
            get(
                connect.connect().endpointForResource("connector-plugins")
                    + "?connectorsOnly=false"));
    Map<String, String> versions = new HashMap<>();
    plugins.forEach(p -> versions.put(p.get("class").asText(), p.path("version").asText("")));
    assertThat(versions)
        .containsEntry("io.pgsnow.source.PostgresCdcSourceConnector", PluginArchives.VERSION)
        .containsEntry("io.pgsnow.sink.SnowflakeSinkConnector", PluginArchives.VERSION)
        .containsEntry("io.pgsnow.converter.FastJsonConverter", PluginArchives.VERSION);
    for (String transform :
        new String[] {"UnwrapChangeEvent", "Flatten", "LookupJoin", "ConcatFields"}) {
      assertThat(versions)
          .containsEntry("io.pgsnow.smt." + transform + "$Key", PluginArchives.VERSION)
          .containsEntry("io.pgsnow.smt." + transform + "$Value", PluginArchives.VERSION);
    }
  }

  @Test
  void aPipelineRunsFromTheArchives() {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("plugin_loading");
    pg.executeIn(db, "CREATE TABLE items (id int PRIMARY KEY, name text)");
    Map<String, String> config = PluginArchives.sourceConfig(pg, db, "loaded");
    config.put("transforms", "unwrap,flatten");
    config.put("transforms.flatten.type", "io.pgsnow.smt.Flatten$Value");
    // The converter from the archives too, as a worker that names it would load it.
    config.put("value.converter", "io.pgsnow.converter.FastJsonConverter");
    connect.createConnector("loaded", config);
    connect.awaitRunning("loaded", 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(db, "loaded_slot");
    pg.executeIn(db, "INSERT INTO items VALUES (1, 'one'), (2, 'two')");
    Awaitility.await("rows in Kafka")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> connect.kafka().endOffset(new TopicPartition("loaded.public.items", 0)) >= 2);
    String first =
        new String(
            connect.kafka().consume(1, 30_000, "loaded.public.items").iterator().next().value());
    assertThat(first).contains("\"name\":\"one\"").doesNotContain("\"after\"");
  }

  static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
