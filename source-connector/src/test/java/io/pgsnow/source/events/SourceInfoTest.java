package io.pgsnow.source.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class SourceInfoTest {
  private final SourceInfo info = new SourceInfo("1.0", "pg", "db");

  @Test
  void hasDebeziumsFieldsInOrderThenPgsnowsPosition() {
    assertThat(SourceInfo.SCHEMA.fields().stream().map(Field::name))
        .containsExactly(
            "version",
            "connector",
            "name",
            "ts_ms",
            "snapshot",
            "db",
            "sequence",
            "ts_us",
            "ts_ns",
            "schema",
            "table",
            "txId",
            "lsn",
            "xmin",
            "commit_lsn",
            "event_index");
    assertThat(SourceInfo.SNAPSHOT_SCHEMA.name()).isEqualTo("io.debezium.data.Enum");
    assertThat(SourceInfo.SNAPSHOT_SCHEMA.parameters())
        .containsEntry(
            "allowed",
            "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental");
  }

  @Test
  void streamedEventsCarryTheirTransactionAndSequence() {
    Struct s =
        info.streamed("public", "t", new SourceInfo.Transaction(7, 300, 1_500_123, 200L), 250, 3);
    s.validate();
    assertThat(s.getString("sequence")).isEqualTo("[\"200\",\"250\"]");
    assertThat(s.getInt64("ts_ms")).isEqualTo(1_500L);
    assertThat(s.getInt64("ts_us")).isEqualTo(1_500_123L);
    assertThat(s.getInt64("ts_ns")).isEqualTo(1_500_123_000L);
    assertThat(s.getString("snapshot")).isEqualTo("false");
    assertThat(s.getInt64("commit_lsn")).isEqualTo(300L);
    assertThat(s.getInt64("event_index")).isEqualTo(3L);
    assertThat(s.get("xmin")).isNull();
    Struct first =
        info.streamed("public", "t", new SourceInfo.Transaction(7, 300, 0, null), 250, 0);
    assertThat(first.getString("sequence")).isEqualTo("[null,\"250\"]");
  }

  @Test
  void snapshotRecordsTakeTheMarkerAndTheConsistentLsn() {
    Struct s = info.snapshot("public", "t", "first_in_data_collection", 2_000, 9L, 400, 12);
    s.validate();
    assertThat(s.getString("snapshot")).isEqualTo("first_in_data_collection");
    assertThat(s.getInt64("lsn")).isEqualTo(400L);
    assertThat(s.getInt64("commit_lsn")).isEqualTo(400L);
    assertThat(s.getInt64("event_index")).isEqualTo(12L);
    assertThat(s.getInt64("txId")).isEqualTo(9L);
    assertThatThrownBy(() -> info.snapshot("public", "t", "yes", 0, null, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
