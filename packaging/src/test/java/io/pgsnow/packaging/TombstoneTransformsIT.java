package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ChangeEventJson;
import io.pgsnow.testkit.ConnectCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tombstones and null keys through every transform, in sinks loaded from the plugin archives:
 * UnwrapChangeEvent, Flatten, ConcatFields and LookupJoin pass a tombstone on untouched (the raw
 * layout loads it as a row with empty content), and with the unwrap settings the current-state
 * models need ({@code delete.tombstone.handling.mode=rewrite}) the tombstone is removed and the
 * delete removes its key from {@code <TABLE>_CURRENT}. No record is lost and none lands twice.
 */
class TombstoneTransformsIT {
  private static final String TOPIC = "tomb.public.people";
  private static final String LOOKUP = "tomb.public.cities";

  private static ConnectCluster connect;
  private static TestWarehouse warehouse;

  @BeforeAll
  static void start() throws Exception {
    connect = PluginArchives.sharedCluster();
    warehouse = new TestWarehouse();
    connect.kafka().createTopic(TOPIC, 1);
    connect.kafka().createTopic(LOOKUP, 1);
    connect.kafka().produce(LOOKUP, 0, "{\"id\":2}", "{\"id\":2,\"city\":\"Oslo\"}");
    List<String[]> records =
        List.of(
            new String[] {
              "{\"id\":1}",
              ChangeEventJson.envelope("people", "c", 100, "{\"id\":1,\"v\":\"a\"}", "null")
            },
            new String[] {
              "{\"id\":2}",
              ChangeEventJson.envelope("people", "c", 200, "{\"id\":2,\"v\":\"b\"}", "null")
            },
            new String[] {
              "{\"id\":1}",
              ChangeEventJson.envelope("people", "d", 300, "null", "{\"id\":1,\"v\":\"a\"}")
            },
            new String[] {"{\"id\":1}", null},
            new String[] {null, null},
            new String[] {
              null, ChangeEventJson.envelope("people", "c", 600, "{\"id\":3,\"v\":\"k\"}", "null")
            },
            new String[] {
              "{\"id\":2}",
              ChangeEventJson.envelope("people", "u", 700, "{\"id\":2,\"v\":\"c\"}", "null")
            });
    for (String[] r : records) {
      connect.kafka().produce(TOPIC, 0, r[0], r[1]);
    }
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (warehouse != null) {
      warehouse.close();
    }
  }

  private Map<String, String> sink(String table, String tombstones, String addFields) {
    Map<String, String> config = warehouse.sinkConfig(TOPIC, TOPIC + ":" + table);
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter.schemas.enable", "false");
    config.put("buffer.flush.time", "2");
    config.put("errors.tolerance", "all");
    config.put("transforms", "unwrap,flatten,concat,join");
    config.put("transforms.unwrap.type", "io.pgsnow.smt.UnwrapChangeEvent$Value");
    config.put("transforms.unwrap.delete.tombstone.handling.mode", tombstones);
    config.put("transforms.unwrap.add.fields", addFields);
    config.put("transforms.flatten.type", "io.pgsnow.smt.Flatten$Value");
    config.put("transforms.concat.type", "io.pgsnow.smt.ConcatFields$Value");
    config.put("transforms.concat.field", "label");
    config.put("transforms.concat.parts", "v, '!'");
    config.put("transforms.join.type", "io.pgsnow.smt.LookupJoin$Value");
    config.put("transforms.join.lookup.source", "topic");
    config.put("transforms.join.key.fields", "id");
    config.put("transforms.join.join.type", "left");
    config.put("transforms.join.fields", "city");
    config.put("transforms.join.topic.name", LOOKUP);
    config.put("transforms.join.topic.bootstrap.servers", connect.bootstrapServers());
    return config;
  }

  @Test
  void tombstonesPassEveryTransformAndDeletesLeaveTheCurrentState() throws Exception {
    connect.createConnector("tomb-raw", sink("PEOPLE_RAW", "tombstone", "op"));
    Map<String, String> modelled = sink("PEOPLE", "rewrite", "op,commit_lsn,event_index");
    modelled.put("snowflake.model.current_state", "view");
    connect.createConnector("tomb-models", modelled);
    awaitCommitted("tomb-raw", 7);
    awaitCommitted("tomb-models", 7);

    // Default unwrap: the delete becomes a tombstone and tombstones pass every transform; each
    // loads as an empty row, once.
    assertThat(
            rows(
                "SELECT RECORD_METADATA:offset::NUMBER, COALESCE(RECORD_CONTENT:label::STRING,"
                    + " '-'), COALESCE(RECORD_CONTENT:city::STRING, '-'), IFF(RECORD_CONTENT::STRING"
                    + " = '{}', 'empty', 'row') FROM PEOPLE_RAW ORDER BY 1"))
        .containsExactly(
            "0|a!|-|row",
            "1|b!|Oslo|row",
            "2|-|-|empty",
            "3|-|-|empty",
            "4|-|-|empty",
            "5|k!|-|row",
            "6|c!|Oslo|row");
    // Rewrite: the delete is a row marked deleted, tombstones are dropped by the unwrap (their
    // offsets are still committed); the current state keeps keys 2 and 3 only. The record
    // without a key is kept in the log and in the model. CITY is a VARIANT column: the first
    // records had no city, and schemaless nulls type a column VARIANT.
    assertThat(rows("SELECT RECORD_METADATA:offset::NUMBER FROM PEOPLE ORDER BY 1"))
        .containsExactly("0", "1", "2", "5", "6");
    assertThat(rows("SELECT ID, V, LABEL, CITY FROM PEOPLE_CURRENT ORDER BY 1"))
        .containsExactly("2|c|c!|\"Oslo\"", "3|k|k!|null");
  }

  private static List<String> rows(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = warehouse.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(String.join("|", row));
      }
    }
    return out;
  }

  private static void awaitCommitted(String connector, long end) {
    TopicPartition tp = new TopicPartition(TOPIC, 0);
    try (Admin admin = connect.kafka().createAdminClient()) {
      Awaitility.await(connector + " commits " + end)
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(
              () ->
                  admin
                          .listConsumerGroupOffsets("connect-" + connector)
                          .partitionsToOffsetAndMetadata()
                          .get()
                          .get(tp)
                          .offset()
                      == end);
    }
  }
}
