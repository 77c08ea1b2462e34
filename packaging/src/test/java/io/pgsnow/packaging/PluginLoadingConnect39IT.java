package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.LocalPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The archives on a Kafka Connect 3.9.2 worker, run as its own process from the jars Maven Central
 * serves (built into {@code packaging/runtimes/connect-3.9.2/target/lib}).
 */
class PluginLoadingConnect39IT {
  private static final Path CONNECT_39 = Path.of("runtimes", "connect-3.9.2", "target", "lib");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedKafkaCluster kafka;
  private static ConnectWorkerProcess worker;

  @BeforeAll
  static void start() {
    Properties broker = new Properties();
    broker.put("auto.create.topics.enable", "true");
    kafka = new EmbeddedKafkaCluster(1, broker);
    kafka.start();
    worker =
        ConnectWorkerProcess.builder(CONNECT_39)
            .bootstrapServers(kafka.bootstrapServers())
            .pluginPath(PluginArchives.pluginPath())
            .property("plugin.discovery", "service_load")
            .property("group.id", "connect-39")
            .workDirectory(Path.of("target", "connect-3.9.2-worker"))
            .start();
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  void listsEveryPluginWithOurVersion() throws Exception {
    JsonNode plugins = JSON.readTree(worker.get("/connector-plugins?connectorsOnly=false"));
    Map<String, String> versions = new HashMap<>();
    plugins.forEach(p -> versions.put(p.get("class").asText(), p.path("version").asText("")));
    assertThat(versions)
        .containsEntry("io.pgsnow.source.PostgresCdcSourceConnector", PluginArchives.VERSION)
        .containsEntry("io.pgsnow.sink.SnowflakeSinkConnector", PluginArchives.VERSION);
    for (String transform :
        new String[] {"UnwrapChangeEvent", "Flatten", "LookupJoin", "ConcatFields"}) {
      assertThat(versions)
          .containsEntry("io.pgsnow.smt." + transform + "$Key", PluginArchives.VERSION)
          .containsEntry("io.pgsnow.smt." + transform + "$Value", PluginArchives.VERSION);
    }
  }

  @Test
  void aPipelineRuns() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("connect39");
    pg.executeIn(db, "CREATE TABLE items (id int PRIMARY KEY, name text)");
    Map<String, String> config = PluginArchives.sourceConfig(pg, db, "v39");
    worker.put("/connectors/v39/config", JSON.writeValueAsString(config));
    Awaitility.await("connector running on Connect 3.9")
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode status = JSON.readTree(worker.get("/connectors/v39/status"));
              return "RUNNING".equals(status.at("/tasks/0/state").asText());
            });
    pg.awaitSlotActive(db, "v39_slot");
    pg.executeIn(db, "INSERT INTO items VALUES (1, 'one'), (2, 'two')");
    Awaitility.await("rows in Kafka")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> kafka.endOffset(new TopicPartition("v39.public.items", 0)) >= 2);
    String first =
        new String(kafka.consume(1, 30_000, "v39.public.items").iterator().next().value());
    assertThat(first).contains("\"name\":\"one\"");
  }
}
