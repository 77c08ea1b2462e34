package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.source.SourceItSupport.Event;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Columns of types the source has no mapping for — a user-defined base type, ranges, a multirange,
 * a composite, a domain over a range, arrays of them, geometric and text-search types — arrive as
 * optional strings holding exactly PostgreSQL's text of the value, in the snapshot and when
 * streamed, next to the mapped columns of the same row; nothing stops the task and nothing is null
 * that was not null.
 */
class UnknownTypesIT {
  private static final String DB = "unknown_types_it";

  /** Column name to its type: each one has no mapping in the source. */
  private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("c_base", "myint");
    COLUMNS.put("c_int4range", "int4range");
    COLUMNS.put("c_tstzrange", "tstzrange");
    COLUMNS.put("c_numrange", "numrange");
    COLUMNS.put("c_multirange", "int4multirange");
    COLUMNS.put("c_composite", "pair");
    COLUMNS.put("c_domain", "positive_span");
    COLUMNS.put("c_range_array", "int4range[]");
    COLUMNS.put("c_composite_array", "pair[]");
    COLUMNS.put("c_point", "point");
    COLUMNS.put("c_tsvector", "tsvector");
    COLUMNS.put("c_inet", "inet");
  }

  private static final String[] ROW_1 = {
    "'42'",
    "'[1,10)'",
    "'[2024-01-01 00:00+00,2024-02-01 00:00+00)'",
    "'(1.5,2.5]'",
    "'{[1,3), [5,7)}'",
    "ROW(1, 'a \"quoted\", text')",
    "'[1,5)'",
    "ARRAY['[1,2)'::int4range, 'empty'::int4range]",
    "ARRAY[ROW(1, 'x')::pair, ROW(2, NULL)::pair]",
    "'(1.5,-2)'",
    "'the quick brown fox'",
    "'192.168.0.1/24'"
  };

  private static LocalPostgres pg;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    StringBuilder columns = new StringBuilder();
    COLUMNS.forEach((name, type) -> columns.append(", ").append(name).append(' ').append(type));
    pg.executeIn(
        DB,
        // A base type PostgreSQL itself does not know, built as an extension would build one.
        "CREATE TYPE myint",
        "CREATE FUNCTION myint_in(cstring) RETURNS myint AS 'int4in' LANGUAGE internal"
            + " IMMUTABLE STRICT",
        "CREATE FUNCTION myint_out(myint) RETURNS cstring AS 'int4out' LANGUAGE internal"
            + " IMMUTABLE STRICT",
        "CREATE TYPE myint (INPUT = myint_in, OUTPUT = myint_out, LIKE = int4)",
        "CREATE TYPE pair AS (n int, label text)",
        "CREATE DOMAIN positive_span AS int4range CHECK (lower(VALUE) > 0)",
        "CREATE TABLE oddities (id int PRIMARY KEY, note text" + columns + ")",
        "INSERT INTO oddities VALUES (1, 'snapshot', " + String.join(", ", ROW_1) + ")",
        "INSERT INTO oddities (id, note) VALUES (2, 'nulls')");
    connect = SourceItSupport.sharedCluster();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  @Test
  void valuesOfTypesWithoutAMappingArriveAsPostgresText() throws Exception {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "odd");
    config.put("snapshot.mode", "initial");
    SourceItSupport.startConnector(connect, pg, DB, "odd", config);
    pg.executeIn(
        DB,
        "INSERT INTO oddities VALUES (3, 'streamed', " + String.join(", ", ROW_1) + ")",
        "UPDATE oddities SET c_base = '-7', c_int4range = 'empty', c_multirange = '{}',"
            + " c_composite = ROW(NULL, NULL) WHERE id = 3",
        "DELETE FROM oddities WHERE id = 2");

    List<Event> events =
        SourceItSupport.events(SourceItSupport.awaitRecords(connect, "odd.public.oddities", 6));
    assertThat(events)
        .extracting(e -> e.value() == null ? "tombstone" : e.op())
        .containsExactly("r", "r", "c", "u", "d", "tombstone");

    Map<Integer, Map<String, String>> expected = postgresText();
    assertThat(textOf(events.get(0).after())).isEqualTo(expected.get(1));
    assertThat(textOf(events.get(1).after())).isEqualTo(nulls());
    assertThat(textOf(events.get(2).after())).isEqualTo(expected.get(1));
    assertThat(textOf(events.get(3).after())).isEqualTo(expected.get(3));
    assertThat(events.get(3).after().get("c_base").asText()).isEqualTo("-7");
    assertThat(events.get(3).after().get("c_composite").asText()).isEqualTo("(,)");
    assertThat(events.get(4).before().get("id").asInt()).isEqualTo(2);

    JsonNode after = after(events.get(0).value().get("schema"));
    for (String column : COLUMNS.keySet()) {
      JsonNode field = field(after, column);
      assertThat(field.get("optional").asBoolean()).as(column).isTrue();
      String type = COLUMNS.get(column).endsWith("[]") ? "array" : "string";
      assertThat(field.get("type").asText()).as(column).isEqualTo(type);
    }
  }

  /** The unknown columns of an event's row, array elements joined as PostgreSQL would. */
  private static Map<String, String> textOf(JsonNode row) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String column : COLUMNS.keySet()) {
      JsonNode value = row.get(column);
      if (value.isArray()) {
        List<String> items = new ArrayList<>();
        value.forEach(v -> items.add(v.isNull() ? null : v.asText()));
        out.put(column, items.toString());
      } else {
        out.put(column, value.isNull() ? null : value.asText());
      }
    }
    return out;
  }

  private static Map<String, String> nulls() {
    Map<String, String> out = new LinkedHashMap<>();
    COLUMNS.keySet().forEach(c -> out.put(c, null));
    return out;
  }

  /** Each row's unknown columns as PostgreSQL prints them (arrays element by element). */
  private static Map<Integer, Map<String, String>> postgresText() throws Exception {
    Map<Integer, Map<String, String>> out = new LinkedHashMap<>();
    StringBuilder select = new StringBuilder("SELECT id");
    for (Map.Entry<String, String> c : COLUMNS.entrySet()) {
      select.append(", ");
      if (c.getValue().endsWith("[]")) {
        select.append("(SELECT array_agg(e::text) FROM unnest(").append(c.getKey());
        select.append(") e)::text[]");
      } else {
        select.append(c.getKey()).append("::text");
      }
    }
    try (Connection conn = pg.connect(DB);
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(select + " FROM oddities")) {
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        int i = 2;
        for (Map.Entry<String, String> c : COLUMNS.entrySet()) {
          if (c.getValue().endsWith("[]")) {
            java.sql.Array array = rs.getArray(i++);
            row.put(
                c.getKey(),
                array == null
                    ? null
                    : java.util.Arrays.asList((Object[]) array.getArray()).toString());
          } else {
            row.put(c.getKey(), rs.getString(i++));
          }
        }
        out.put(rs.getInt(1), row);
      }
    }
    return out;
  }

  private static JsonNode after(JsonNode envelope) {
    return field(envelope, "after");
  }

  private static JsonNode field(JsonNode struct, String name) {
    for (JsonNode f : struct.get("fields")) {
      if (f.get("field").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no field " + name + " in " + struct);
  }
}
