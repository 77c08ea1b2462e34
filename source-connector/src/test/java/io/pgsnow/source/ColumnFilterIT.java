package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** column.exclude.list leaves columns out of before and after, key columns stay in the key. */
class ColumnFilterIT {

  @Test
  void excludedColumnsAreLeftOutOfRowsButNotOutOfKeys() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("column_filter");
    pg.executeIn(
        db,
        "CREATE TABLE customers (id int PRIMARY KEY, name text, secret text)",
        "ALTER TABLE customers REPLICA IDENTITY FULL");
    try (ConnectCluster connect = SourceItSupport.sharedCluster()) {
      Map<String, String> config = SourceItSupport.connectorConfig(pg, db, "cols");
      config.put("column.exclude.list", "public\\.customers\\.(secret|id)");
      connect.createConnector("cols", config);
      connect.awaitRunning("cols", 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(db, "cols_slot");
      pg.executeIn(
          db,
          "INSERT INTO customers VALUES (1, 'ann', 's3cr3t')",
          "UPDATE customers SET name = 'anne', secret = 'other' WHERE id = 1");
      String topic = "cols.public.customers";
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> connect.kafka().endOffset(new TopicPartition(topic, 0)) >= 2);
      List<SourceItSupport.Event> events =
          SourceItSupport.events(connect.kafka().consume(2, 30_000, topic));
      SourceItSupport.Event update = events.get(1);
      assertThat(update.op()).isEqualTo("u");
      assertThat(fieldNames(update.after())).containsExactly("name");
      assertThat(fieldNames(update.before())).containsExactly("name");
      assertThat(update.after().get("name").asText()).isEqualTo("anne");
      assertThat(update.before().get("name").asText()).isEqualTo("ann");
      assertThat(update.keyPayload().get("id").asInt()).isEqualTo(1);
      assertThat(new String(connect.kafka().consume(2, 30_000, topic).iterator().next().value()))
          .doesNotContain("s3cr3t");
      connect.connect().deleteConnector("cols");
    }
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
