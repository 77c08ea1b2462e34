package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.source.SourceItSupport.Event;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tables whose names Kafka topic names cannot hold stream to their sanitised topics, with Connect
 * schema names valid for Avro, beside the connector's other tables; a table created later whose
 * topic would collide with one already in use fails the task with a message naming both.
 */
class TopicNamingIT {
  private static final String DB = "topic_naming_it";
  private static final String AVRO_FULL_NAME = "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*";

  /** PostgreSQL table (quoted as SQL needs it) and the topic it must stream to. */
  private static final List<String[]> TABLES =
      List.of(
          new String[] {"public.plain", "names.public.plain"},
          new String[] {"public.\"order lines\"", "names.public.order_lines"},
          new String[] {"public.\"we\"\"ird\"", "names.public.we_ird"},
          new String[] {"public.\"a.b\"", "names.public.a.b"},
          new String[] {"public.\"café ☕\"", "names.public.caf___"},
          new String[] {"public.\"emoji😀\"", "names.public.emoji__"},
          new String[] {"public.\"2024-orders\"", "names.public.2024-orders"},
          new String[] {"\"Sales EU\".\"Orders\"", "names.Sales_EU.Orders"});

  private static LocalPostgres pg;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    pg.executeIn(DB, "CREATE SCHEMA \"Sales EU\"");
    for (String[] table : TABLES) {
      pg.executeIn(DB, "CREATE TABLE " + table[0] + " (id int PRIMARY KEY, v text)");
    }
    connect = SourceItSupport.sharedCluster();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  @Test
  void oddTableNamesStreamToSanitisedTopicsBesideTheOtherTables() throws Exception {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "names");
    connect.createConnector("names", config);
    connect.awaitRunning("names", 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(DB, "names_slot");

    pg.executeIn(DB, "INSERT INTO public.plain VALUES (0, 'before')");
    for (String[] table : TABLES) {
      pg.executeIn(DB, "INSERT INTO " + table[0] + " VALUES (1, " + literal(table[0]) + ")");
    }
    pg.executeIn(DB, "INSERT INTO public.plain VALUES (2, 'after')");

    for (String[] table : TABLES) {
      int expected = table[1].equals("names.public.plain") ? 3 : 1;
      List<Event> events = consume(table[1], expected);
      Event event = events.get(table[1].equals("names.public.plain") ? 1 : 0);
      assertThat(event.after().get("v").asText()).as(table[0]).isEqualTo(table[0]);
      String name = event.value().get("schema").get("name").asText();
      assertThat(name).as(table[0]).endsWith(".Envelope").matches(AVRO_FULL_NAME);
      assertThat(event.key().get("schema").get("name").asText())
          .as(table[0])
          .endsWith(".Key")
          .matches(AVRO_FULL_NAME);
    }
    // The source block keeps the real names.
    Event odd = consume("names.public.order_lines", 1).get(0);
    assertThat(odd.payload().get("source").get("table").asText()).isEqualTo("order lines");
    assertThat(consume("names.Sales_EU.Orders", 1).get(0).payload().get("source").get("schema"))
        .hasToString("\"Sales EU\"");
    assertThat(consume("names.public.2024-orders", 1).get(0).value().get("schema").get("name"))
        .hasToString("\"names.public._2024_orders.Envelope\"");

    // A table created now whose topic would be order lines' fails the task, naming both.
    pg.executeIn(
        DB, "CREATE TABLE order_lines (id int PRIMARY KEY)", "INSERT INTO order_lines VALUES (1)");
    Awaitility.await("the task fails on the colliding table")
        .atMost(Duration.ofSeconds(60))
        .until(() -> !connect.failedTaskTrace("names").isEmpty());
    assertThat(connect.failedTaskTrace("names"))
        .contains(
            "Tables public.\"order lines\" and public.order_lines both go to topic"
                + " names.public.order_lines")
        .contains("table.exclude.list");
    assertThat(connect.kafka().endOffset(new TopicPartition("names.public.order_lines", 0)))
        .isEqualTo(1L);
    connect.connect().deleteConnector("names");
  }

  @Test
  void kafkaRefusesTopicsThatDifferOnlyInDotVersusUnderscore() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("probe.a.b", 1, (short) 1))).all().get();
      assertThatThrownBy(
              () ->
                  admin.createTopics(List.of(new NewTopic("probe.a_b", 1, (short) 1))).all().get())
          .hasCauseInstanceOf(InvalidTopicException.class)
          .hasMessageContaining("collides with existing topic");
    }
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static List<Event> consume(String topic, int expected) throws Exception {
    Awaitility.await(topic + " has " + expected + " records")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> connect.kafka().endOffset(new TopicPartition(topic, 0)) >= expected);
    List<Event> events = SourceItSupport.events(connect.kafka().consumeAll(30_000, topic));
    assertThat(events).hasSize(expected);
    return events;
  }
}
