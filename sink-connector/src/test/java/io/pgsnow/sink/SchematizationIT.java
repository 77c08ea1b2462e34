package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@code snowflake.enable.schematization} the table has one typed column per field next to
 * {@code RECORD_METADATA}; a record with a new field adds its column, and its values land there.
 */
class SchematizationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  @RegisterExtension static final SinkEnvironment ENV = new SinkEnvironment("sink-schematization");

  private static String withSchema(boolean withCoupon, long id, String name, String coupon) {
    String fields =
        "{\"field\":\"id\",\"type\":\"int64\"},{\"field\":\"amount\",\"type\":\"double\"},"
            + "{\"field\":\"name\",\"type\":\"string\",\"optional\":true},"
            + "{\"field\":\"active\",\"type\":\"boolean\"}"
            + (withCoupon ? ",{\"field\":\"coupon\",\"type\":\"string\",\"optional\":true}" : "");
    String payload =
        "{\"id\":"
            + id
            + ",\"amount\":"
            + (id + 0.25)
            + ",\"name\":\""
            + name
            + "\",\"active\":"
            + (id % 2 == 0)
            + (withCoupon ? ",\"coupon\":\"" + coupon + "\"" : "")
            + "}";
    return "{\"schema\":{\"type\":\"struct\",\"fields\":["
        + fields
        + "]},\"payload\":"
        + payload
        + "}";
  }

  private static Map<String, String> columns(String table) throws Exception {
    Map<String, String> types = new LinkedHashMap<>();
    for (List<String> row : rows(ENV.emulator, "DESC TABLE " + table)) {
      types.put(row.get(0), row.get(1));
    }
    return types;
  }

  private static void awaitRows(String table, long expected) {
    await("rows in " + table)
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM " + table) == expected);
  }

  @Test
  void typedColumnsFromTheSchemaAndANewFieldAddsAColumn() throws Exception {
    ENV.connect.kafka().createTopic("orders_typed", 1);
    for (long id = 1; id <= 3; id++) {
      ENV.connect
          .kafka()
          .produce("orders_typed", 0, "\"k" + id + "\"", withSchema(false, id, "n" + id, null));
    }
    Map<String, String> config =
        SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "orders_typed", true);
    config.put("snowflake.enable.schematization", "true");
    ENV.connect.createConnector("typed_sink", config);
    ENV.connect.awaitRunning("typed_sink", 1, TIMEOUT);
    awaitRows("ORDERS_TYPED", 3);

    assertThat(columns("ORDERS_TYPED"))
        .containsOnlyKeys("RECORD_METADATA", "ID", "AMOUNT", "NAME", "ACTIVE")
        .hasEntrySatisfying("RECORD_METADATA", t -> assertThat(t).startsWith("VARIANT"))
        .hasEntrySatisfying("ID", t -> assertThat(t).startsWith("NUMBER"))
        .hasEntrySatisfying("AMOUNT", t -> assertThat(t).startsWith("FLOAT"))
        .hasEntrySatisfying("NAME", t -> assertThat(t).startsWith("VARCHAR"))
        .hasEntrySatisfying("ACTIVE", t -> assertThat(t).startsWith("BOOLEAN"));
    assertThat(
            rows(
                ENV.emulator,
                "SELECT ID, AMOUNT, NAME, UPPER(ACTIVE::VARCHAR) FROM ORDERS_TYPED ORDER BY ID"))
        .containsExactly(
            List.of("1", "1.25", "n1", "FALSE"),
            List.of("2", "2.25", "n2", "TRUE"),
            List.of("3", "3.25", "n3", "FALSE"));
    String meta =
        rows(ENV.emulator, "SELECT RECORD_METADATA FROM ORDERS_TYPED WHERE ID = 2").get(0).get(0);
    assertThat(JSON.readTree(meta).get("offset").asLong()).isEqualTo(1);
    assertThat(JSON.readTree(meta).get("topic").asText()).isEqualTo("orders_typed");
    assertThat(
            rows(ENV.emulator, "DESC PIPE SNOWFLAKE_KAFKA_CONNECTOR_TYPED_SINK_PIPE_ORDERS_TYPED_0")
                .get(0)
                .get(4))
        .containsIgnoringCase("MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE");

    for (long id = 4; id <= 5; id++) {
      ENV.connect
          .kafka()
          .produce("orders_typed", 0, "\"k" + id + "\"", withSchema(true, id, "n" + id, "c" + id));
    }
    awaitRows("ORDERS_TYPED", 5);
    assertThat(columns("ORDERS_TYPED"))
        .hasEntrySatisfying("COUPON", t -> assertThat(t).startsWith("VARCHAR"));
    assertThat(rows(ENV.emulator, "SELECT ID, NAME, COUPON FROM ORDERS_TYPED ORDER BY ID"))
        .containsExactly(
            java.util.Arrays.asList("1", "n1", null),
            java.util.Arrays.asList("2", "n2", null),
            java.util.Arrays.asList("3", "n3", null),
            List.of("4", "n4", "c4"),
            List.of("5", "n5", "c5"));
  }

  @Test
  void schemalessRecordsGetInferredColumns() throws Exception {
    ENV.connect.kafka().createTopic("events-raw", 1);
    ENV.connect
        .kafka()
        .produce("events-raw", 0, null, "{\"event_id\":1,\"Kind\":\"open\",\"score\":0.5}");
    ENV.connect
        .kafka()
        .produce("events-raw", 0, null, "{\"event_id\":2,\"Kind\":\"close\",\"score\":1.5}");
    Map<String, String> config =
        SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "events-raw", false);
    config.put("snowflake.enable.schematization", "true");
    config.put("snowflake.topic2table.map", "events-raw:EVENTS");
    ENV.connect.createConnector("events_sink", config);
    ENV.connect.awaitRunning("events_sink", 1, TIMEOUT);
    awaitRows("EVENTS", 2);
    assertThat(columns("EVENTS"))
        .containsOnlyKeys("RECORD_METADATA", "EVENT_ID", "KIND", "SCORE")
        .hasEntrySatisfying("EVENT_ID", t -> assertThat(t).startsWith("NUMBER"))
        .hasEntrySatisfying("KIND", t -> assertThat(t).startsWith("VARCHAR"))
        .hasEntrySatisfying("SCORE", t -> assertThat(t).startsWith("FLOAT"));

    ENV.connect
        .kafka()
        .produce(
            "events-raw", 0, null, "{\"event_id\":3,\"Kind\":\"open\",\"tags\":[\"a\",\"b\"]}");
    awaitRows("EVENTS", 3);
    assertThat(columns("EVENTS"))
        .hasEntrySatisfying("TAGS", t -> assertThat(t).startsWith("ARRAY"));
    List<List<String>> loaded =
        rows(ENV.emulator, "SELECT EVENT_ID, KIND, SCORE, TAGS FROM EVENTS ORDER BY EVENT_ID");
    assertThat(loaded).extracting(r -> r.get(0)).containsExactly("1", "2", "3");
    assertThat(loaded).extracting(r -> r.get(1)).containsExactly("open", "close", "open");
    assertThat(loaded.get(0).get(3)).isNull();
    assertThat(loaded.get(2).get(2)).isNull();
    assertThat(JSON.readTree(loaded.get(2).get(3)).toString()).isEqualTo("[\"a\",\"b\"]");
  }

  @Test
  void aValueItsColumnCannotTakeSendsTheRejectedFilesRecordsToTheDeadLetterQueue()
      throws Exception {
    ENV.connect.kafka().createTopic("typed_amounts", 1);
    for (String value :
        List.of(
            "{\"id\":0,\"qty\":1}",
            "{\"id\":1,\"qty\":2}",
            "{\"id\":2,\"qty\":\"abc\"}",
            "{\"id\":3,\"qty\":4}")) {
      ENV.connect.kafka().produce("typed_amounts", 0, null, value);
    }
    Map<String, String> config =
        SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "typed_amounts", false);
    config.put("snowflake.enable.schematization", "true");
    config.put("buffer.count.records", "2");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", "typed_amounts_dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    ENV.connect.createConnector("typed-amounts", config);

    // Snowpipe skips a bad file whole: both records of the rejected file are reported.
    assertThat(ENV.connect.kafka().consume(2, TIMEOUT.toMillis(), "typed_amounts_dlq"))
        .extracting(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
        .containsExactly("{\"id\":2,\"qty\":\"abc\"}", "{\"id\":3,\"qty\":4}");
    await("offsets committed past the rejected file")
        .atMost(TIMEOUT)
        .until(() -> SinkItSupport.committed(ENV.connect, "typed-amounts").equals(Map.of(0, 4L)));
    assertThat(rows(ENV.emulator, "SELECT ID, QTY FROM TYPED_AMOUNTS ORDER BY ID"))
        .containsExactly(List.of("0", "1"), List.of("1", "2"));
    assertThat(
            rows(
                ENV.emulator,
                "SELECT FIRST_ERROR, START_OFFSET, END_OFFSET FROM"
                    + " SNOWFLAKE_KAFKA_CONNECTOR_TYPED_AMOUNTS_LOAD_ERRORS"))
        .containsExactly(List.of("Numeric value 'abc' is not recognized", "2", "3"));
  }
}
