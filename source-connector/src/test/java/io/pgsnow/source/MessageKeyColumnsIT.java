package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.Test;

/**
 * message.key.columns keys the matched tables (regular expressions) by the named columns, in
 * snapshot and streamed records; a bad entry is refused by validate() on that key.
 */
class MessageKeyColumnsIT {

  @Test
  void recordKeysAreMadeOfTheConfiguredColumns() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("message_keys");
    pg.executeIn(
        db,
        "CREATE TABLE orders (id int PRIMARY KEY, note text, order_no text, customer_id int)",
        "ALTER TABLE orders REPLICA IDENTITY FULL",
        "CREATE TABLE items_a (id int PRIMARY KEY, sku text)",
        "CREATE TABLE other (id int PRIMARY KEY, sku text)",
        "INSERT INTO orders VALUES (1, 'snap', 'A-1', 7)");
    try (ConnectCluster connect = SourceItSupport.sharedCluster()) {
      Map<String, String> config = SourceItSupport.connectorConfig(pg, db, "mk");
      config.put("name", "mk");
      config.put("message.key.columns", "public.orders:order_no,customer_id");
      assertThat(errors(connect, config)).isEmpty();
      for (String bad : List.of("public.orders", "public.orders:", "public.(orders:id", "x:a,,b")) {
        config.put("message.key.columns", bad);
        assertThat(errors(connect, config))
            .as(bad)
            .containsOnlyKeys("message.key.columns")
            .extractingByKey("message.key.columns")
            .asString()
            .contains("<schema.table>:<column>");
      }
      config.put("message.key.columns", "public\\.orders:order_no,customer_id;public\\.item.*:s.u");
      SourceItSupport.startConnector(connect, pg, db, "mk", config);
      pg.executeIn(
          db,
          "INSERT INTO orders VALUES (2, 'new', 'B-2', 8)",
          "UPDATE orders SET note = 'changed' WHERE id = 2",
          "DELETE FROM orders WHERE id = 2",
          "INSERT INTO items_a VALUES (1, 'sku-1')",
          "INSERT INTO other VALUES (1, 'sku-1')");

      List<SourceItSupport.Event> orders = events(connect, "mk.public.orders", 5);
      // Snapshot read, insert, update, delete and its tombstone: all keyed alike, columns in table
      // order.
      for (SourceItSupport.Event e : orders) {
        assertThat(fieldNames(e.keyPayload())).containsExactly("order_no", "customer_id");
      }
      assertThat(orders.get(0).op()).isEqualTo("r");
      assertThat(orders.get(0).keyPayload().get("order_no").asText()).isEqualTo("A-1");
      assertThat(orders.get(0).keyPayload().get("customer_id").asInt()).isEqualTo(7);
      for (SourceItSupport.Event e : orders.subList(1, 5)) {
        assertThat(e.keyPayload().get("order_no").asText()).isEqualTo("B-2");
        assertThat(e.keyPayload().get("customer_id").asInt()).isEqualTo(8);
      }
      assertThat(orders.get(2).op()).isEqualTo("u");
      assertThat(orders.get(3).op()).isEqualTo("d");
      assertThat(orders.get(4).value()).isNull();
      JsonNode keySchema = orders.get(1).key().get("schema");
      assertThat(keySchema.get("name").asText()).isEqualTo("mk.public.orders.Key");

      SourceItSupport.Event item = events(connect, "mk.public.items_a", 1).get(0);
      assertThat(fieldNames(item.keyPayload())).containsExactly("sku");
      assertThat(item.keyPayload().get("sku").asText()).isEqualTo("sku-1");
      // A table no entry matches keeps its primary key.
      SourceItSupport.Event other = events(connect, "mk.public.other", 1).get(0);
      assertThat(fieldNames(other.keyPayload())).containsExactly("id");
      connect.connect().deleteConnector("mk");
    }
  }

  private static List<SourceItSupport.Event> events(
      ConnectCluster connect, String topic, int count) {
    List<SourceItSupport.Event> events =
        SourceItSupport.events(SourceItSupport.awaitRecords(connect, topic, count));
    assertThat(events).hasSize(count);
    return events;
  }

  private static Map<String, String> errors(ConnectCluster connect, Map<String, String> config) {
    ConfigInfos infos =
        connect
            .connect()
            .validateConnectorConfig(PostgresCdcSourceConnector.class.getName(), config);
    Map<String, String> errors = new java.util.HashMap<>();
    for (ConfigInfo info : infos.configs()) {
      if (!info.configValue().errors().isEmpty()) {
        errors.put(info.configValue().name(), String.join(" | ", info.configValue().errors()));
      }
    }
    return errors;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
