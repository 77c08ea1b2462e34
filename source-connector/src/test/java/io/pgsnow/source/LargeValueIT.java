package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.source.SourceItSupport.Event;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 5 MB value: with the default limits it fails the task with a message naming the table, the key,
 * the size and the settings to raise, and nothing is skipped (also with {@code
 * errors.tolerance=all}); with the documented settings raised it reaches Kafka intact while the
 * connector's other tables keep flowing. A large row read by the snapshot stops the task the same
 * way.
 */
class LargeValueIT {
  private static final String DB = "large_value_it";
  private static final int FIVE_MB = 5 * 1024 * 1024;
  private static final String LARGE_LIMIT = Integer.toString(16 * 1024 * 1024);

  private static LocalPostgres pg;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    connect = SourceItSupport.sharedCluster();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  @Test
  void aValueOverTheDefaultLimitFailsClearlyAndFlowsOnceTheDocumentedSettingsAreRaised()
      throws Exception {
    String name = "big";
    pg.executeIn(
        DB,
        "CREATE TABLE docs (id int PRIMARY KEY, body text)",
        "CREATE TABLE other (id int PRIMARY KEY, n int)");
    Map<String, String> config = config(name, "docs|other");
    connect.createConnector(name, config);
    connect.awaitRunning(name, 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(DB, name + "_slot");

    pg.executeIn(DB, "INSERT INTO other VALUES (1, 1)");
    insertLargeDoc("docs", 7);
    pg.executeIn(DB, "INSERT INTO other VALUES (2, 2)");

    String trace = awaitFailure(name);
    assertThat(trace)
        .contains("A change of table public.docs with key Struct{id=7}")
        .contains("topic big.public.docs")
        .contains("in column body")
        .contains("over the limit of 1048576 bytes (the producer's default max.request.size)")
        .contains("producer.override.max.request.size")
        .contains("connector.client.config.override.policy")
        .contains("topic.creation.default.max.message.bytes");
    assertThat(trace).containsPattern("holds at least 524\\d{4} bytes");
    // What came before the large change went through; nothing after it did.
    assertThat(values(name + ".public.other", 1, "n")).containsExactly("1");

    // The documented settings: the producer's request size for this connector, and a topic that
    // takes messages that large (created by Connect with these settings).
    config.put("producer.override.max.request.size", LARGE_LIMIT);
    config.put("topic.creation.default.replication.factor", "1");
    config.put("topic.creation.default.partitions", "1");
    config.put("topic.creation.default.max.message.bytes", LARGE_LIMIT);
    // The new config restarts the failed task, which resumes from the large change.
    connect.createConnector(name, config);
    connect.awaitRunning(name, 1, Duration.ofSeconds(60));

    List<Event> docs = consume(name + ".public.docs", 1);
    String body = docs.get(0).payload().get("after").get("body").asText();
    assertThat(body).hasSize(FIVE_MB);
    assertThat(md5(body)).isEqualTo(md5InDatabase("docs", 7));
    pg.executeIn(DB, "INSERT INTO other VALUES (3, 3)");
    // Without exactly-once support a restart may repeat a record, never lose one.
    assertThat(values(name + ".public.other", 3, "n").stream().distinct())
        .containsExactly("1", "2", "3");
    assertThat(connect.failedTaskTrace(name)).isEmpty();
    connect.connect().deleteConnector(name);
  }

  @Test
  void errorsToleranceAllDoesNotTurnTheLargeValueIntoASkippedOne() throws Exception {
    String name = "tolerant";
    pg.executeIn(
        DB,
        "CREATE TABLE tolerant_docs (id int PRIMARY KEY, body text)",
        "CREATE TABLE tolerant_other (id int PRIMARY KEY, n int)");
    Map<String, String> config = config(name, "tolerant_docs|tolerant_other");
    config.put("errors.tolerance", "all");
    config.put("errors.log.enable", "true");
    connect.createConnector(name, config);
    connect.awaitRunning(name, 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(DB, name + "_slot");

    pg.executeIn(DB, "INSERT INTO tolerant_other VALUES (1, 1)");
    insertLargeDoc("tolerant_docs", 9);
    pg.executeIn(DB, "INSERT INTO tolerant_other VALUES (2, 2)");

    assertThat(awaitFailure(name))
        .contains("A change of table public.tolerant_docs with key Struct{id=9}")
        .contains("Nothing was skipped");
    assertThat(values(name + ".public.tolerant_other", 1, "n")).containsExactly("1");
    connect.connect().deleteConnector(name);
  }

  @Test
  void aSnapshotRowOverTheLimitFailsTheTaskAfterTheRowsReadBeforeIt() throws Exception {
    String name = "snapbig";
    pg.executeIn(
        DB,
        "CREATE TABLE snap_docs (id int PRIMARY KEY, body text)",
        "INSERT INTO snap_docs VALUES (1, 'a'), (2, 'b')");
    insertLargeDoc("snap_docs", 7);
    pg.executeIn(DB, "INSERT INTO snap_docs VALUES (8, 'c')");
    Map<String, String> config = config(name, "snap_docs");
    // One reader: the rows come in the order they were written.
    config.put("snapshot.max.threads", "1");
    connect.createConnector(name, config);

    // Measured on the snapshot reader's thread, stopped in poll() where it comes.
    assertThat(awaitFailure(name))
        .contains("A change of table public.snap_docs with key Struct{id=7}")
        .contains("Nothing was skipped");
    assertThat(values(name + ".public.snap_docs", 2, "body")).containsExactly("a", "b");
    connect.connect().deleteConnector(name);
  }

  private static Map<String, String> config(String name, String tables) {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, name);
    config.put("name", name);
    config.put("table.include.list", "public\\.(" + tables + ")");
    config.put("publication.autocreate.mode", "filtered");
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  /** A 5 MB value that does not repeat, so that a damaged copy cannot match it. */
  private static void insertLargeDoc(String table, int id) {
    pg.executeIn(
        DB,
        "INSERT INTO "
            + table
            + " SELECT "
            + id
            + ", string_agg(md5(g::text), '' ORDER BY g) FROM generate_series(1, "
            + FIVE_MB / 32
            + ") g");
  }

  private static String awaitFailure(String name) {
    Awaitility.await(name + " fails")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !connect.failedTaskTrace(name).isEmpty());
    return connect.failedTaskTrace(name);
  }

  private static List<String> values(String topic, int expected, String field) throws Exception {
    return consume(topic, expected).stream()
        .map(e -> e.payload().get("after").get(field).asText())
        .toList();
  }

  /** The records of a topic once it has at least {@code expected}. */
  private static List<Event> consume(String topic, int expected) throws Exception {
    Awaitility.await(topic + " has " + expected + " records")
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(() -> connect.kafka().endOffset(new TopicPartition(topic, 0)) >= expected);
    List<Event> events = SourceItSupport.events(connect.kafka().consumeAll(60_000, topic));
    assertThat(events).hasSizeGreaterThanOrEqualTo(expected);
    // Schemas are off: the payload is the value itself.
    return events.stream().map(LargeValueIT::withoutSchema).toList();
  }

  private static Event withoutSchema(Event e) {
    JsonNode wrapped =
        e.value() == null
            ? null
            : SourceItSupport.JSON.createObjectNode().set("payload", e.value());
    return new Event(e.topic(), e.key(), wrapped);
  }

  private static String md5(String text) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String md5InDatabase(String table, int id) throws Exception {
    try (Connection c = pg.connect(DB);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT md5(body) FROM " + table + " WHERE id = " + id)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
