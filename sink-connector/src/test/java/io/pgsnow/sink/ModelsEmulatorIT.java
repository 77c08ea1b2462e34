package io.pgsnow.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.sink.model.ModelSettings;
import io.pgsnow.sink.model.ModelSettings.CurrentState;
import io.pgsnow.sink.model.ModelShape;
import io.pgsnow.sink.model.ModelSql;
import io.pgsnow.sink.model.ShapeReader;
import io.pgsnow.sink.naming.Identifier;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated models run on the emulator over a raw table holding change events in an order that
 * is not their source order: the current state follows the source position, applies deletes, key
 * changes and a truncate, and keeps unchanged TOAST values.
 */
class ModelsEmulatorIT {

  private static final Schema ROW =
      SchemaBuilder.struct()
          .optional()
          .field("id", Schema.INT64_SCHEMA)
          .field(
              "amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").optional())
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("born", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
          .field(
              "clock", SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build())
          .field(
              "seen",
              SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
          .field(
              "seen_tz",
              SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
          .field("data", Schema.OPTIONAL_BYTES_SCHEMA)
          .field("doc", SchemaBuilder.string().name("io.debezium.data.Json").optional().build())
          .field("Mixed Case", Schema.OPTIONAL_BOOLEAN_SCHEMA)
          .build();
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .field("commit_lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("event_index", Schema.OPTIONAL_INT64_SCHEMA)
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .build();

  private static SnowflakeEmulator emulator;
  private static Connection conn;
  private final List<String> rows = new ArrayList<>();
  private long offset;

  @BeforeAll
  static void start() throws Exception {
    emulator = SinkItSupport.emulator(SinkItSupport.newKeyPair());
    conn = SinkItSupport.connect(emulator, SinkItSupport.DATABASE);
  }

  @AfterAll
  static void stop() throws Exception {
    conn.close();
    emulator.close();
  }

  private static String row(long id, String name) {
    return "{\"id\":"
        + id
        + ",\"amount\":12.30,\"name\":"
        + (name == null ? "null" : "\"" + name + "\"")
        + ",\"born\":19000,\"clock\":3723000001,\"seen\":1700000000123456,"
        + "\"seen_tz\":\"2023-11-14T22:13:20.123456Z\",\"data\":\"AQID\","
        + "\"doc\":{\"a\":[1,2]},\"Mixed Case\":true}";
  }

  private void event(long lsn, long index, String op, Long key, String before, String after) {
    event(lsn, index, op, key, before, after, null);
  }

  private void event(
      long lsn, long index, String op, Long key, String before, String after, String toast) {
    String meta =
        "{\"offset\":"
            + offset++
            + ",\"topic\":\"t\",\"partition\":0,\"CreateTime\":1700000000000"
            + (key == null ? "" : ",\"key\":{\"id\":" + key + "}")
            + (toast == null
                ? ""
                : ",\"headers\":{\"pgsnow.unchanged.toast.columns\":\"" + toast + "\"}")
            + "}";
    String content =
        "{\"before\":"
            + before
            + ",\"after\":"
            + after
            + ",\"op\":\""
            + op
            + "\",\"source\":{\"commit_lsn\":"
            + lsn
            + ",\"event_index\":"
            + index
            + "}}";
    rows.add("SELECT PARSE_JSON('" + meta + "'), PARSE_JSON('" + content + "')");
  }

  private ModelShape shape() {
    Schema key = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    Struct value =
        new Struct(ENVELOPE)
            .put("op", "c")
            .put("source", new Struct(SOURCE).put("commit_lsn", 1L).put("event_index", 0L));
    SinkRecord record =
        new SinkRecord("t", 0, key, new Struct(key).put("id", 1L), ENVELOPE, value, 0);
    return ShapeReader.read(record, false).orElseThrow();
  }

  @Test
  void theCurrentStateFollowsTheSourcePositionNotTheOffsets() throws Exception {
    event(100, 0, "c", 1L, "null", row(1, "one"));
    event(100, 1, "c", 2L, "null", row(2, "two"));
    event(200, 0, "u", 1L, "null", row(1, null), "name");
    event(150, 0, "u", 2L, "null", row(2, "two again"));
    event(300, 0, "d", 2L, "{\"id\":2}", "null");
    event(90, 0, "c", 9L, "null", row(9, "before the truncate"));
    event(400, 0, "t", null, "null", "null");
    event(400, 1, "c", 4L, "null", row(4, "four"));
    event(500, 0, "d", 4L, "{\"id\":4}", "null");
    event(500, 2, "c", 5L, "null", row(5, "five"));
    event(600, 0, "c", 6L, "null", row(6, "six"));
    event(700, 0, "u", 6L, "null", row(6, null), "doc,name");
    event(610, 0, "c", 7L, "null", row(7, "seven"));
    event(620, 0, "u", 7L, "null", row(7, null));
    event(630, 0, "u", 7L, "null", row(7, null), "name");
    SinkItSupport.exec(
        conn,
        "CREATE TABLE EVENTS (RECORD_METADATA VARIANT, RECORD_CONTENT VARIANT)",
        "INSERT INTO EVENTS " + String.join(" UNION ALL ", rows));
    Identifier table = Identifier.of("EVENTS");
    ModelSettings dynamic =
        new ModelSettings(
            true, CurrentState.DYNAMIC_TABLE, "1 minute", Optional.of(Identifier.of("WH")));
    ModelSettings asView = new ModelSettings(false, CurrentState.VIEW, "", Optional.empty());
    SinkItSupport.exec(
        conn,
        ModelSql.view(table, shape()),
        ModelSql.current(table, shape(), dynamic),
        ModelSql.current(table, shape(), asView)
            .replace("VIEW EVENTS_CURRENT ", "VIEW EVENTS_CURRENT_AS_VIEW "));
    for (String current : List.of("EVENTS_CURRENT", "EVENTS_CURRENT_AS_VIEW")) {
      assertThat(
              SinkItSupport.rows(conn, "SELECT ID, NAME, AMOUNT FROM " + current + " ORDER BY ID"))
          .as(current)
          .containsExactly(
              List.of("5", "five", "12.30"),
              List.of("6", "six", "12.30"),
              Arrays.asList("7", null, "12.30"));
    }
    try (var st = conn.createStatement();
        var rs =
            st.executeQuery(
                "SELECT BORN, DATEDIFF(MICROSECOND, '00:00:00'::TIME, CLOCK), SEEN, SEEN_TZ, DATA,"
                    + " DOC, \"Mixed Case\" FROM EVENTS_CURRENT WHERE ID = 5")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getDate(1).toLocalDate()).hasToString("2022-01-08");
      assertThat(rs.getLong(2)).isEqualTo(3723000001L);
      assertThat(rs.getTimestamp(3).toLocalDateTime()).hasToString("2023-11-14T22:13:20.123456");
      assertThat(rs.getTimestamp(4).toInstant()).hasToString("2023-11-14T22:13:20.123456Z");
      assertThat(rs.getBytes(5)).containsExactly(1, 2, 3);
      assertThat(rs.getString(6).replaceAll("\\s", "")).isEqualTo("{\"a\":[1,2]}");
      assertThat(rs.getBoolean(7)).isTrue();
    }
    List<List<String>> view =
        SinkItSupport.rows(
            conn,
            "SELECT ID, NAME, _OPERATION, _COMMIT_LSN, CREATED_AT FROM EVENTS_VIEW WHERE _COMMIT_LSN = 300");
    assertThat(view)
        .containsExactly(Arrays.asList("2", null, "d", "300", "2023-11-14 22:13:20.000"));
  }
}
