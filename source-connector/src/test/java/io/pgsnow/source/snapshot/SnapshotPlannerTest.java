package io.pgsnow.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.source.replication.ReplicationSetup.TableName;
import io.pgsnow.source.snapshot.SnapshotConfig.Mode;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class SnapshotPlannerTest {
  private static final TableName ORDERS = new TableName("public", "orders");
  private static final TableName RATES = new TableName("public", "rates");
  private static final TableName SIGNALS = new TableName("ops", "signals");

  private static SnapshotConfig config(Map<String, String> settings) {
    ConfigDef def = new ConfigDef();
    SnapshotConfig.define(def);
    return new SnapshotConfig(new AbstractConfig(def, settings));
  }

  @Test
  void eachModeSnapshotsAllTablesOnlyWhenItsRuleSays() {
    assertThat(SnapshotPlanner.snapshotsAll(Mode.INITIAL, true, true)).isTrue();
    assertThat(SnapshotPlanner.snapshotsAll(Mode.INITIAL, false, false)).isFalse();
    assertThat(SnapshotPlanner.snapshotsAll(Mode.INITIAL_ONLY, true, false)).isTrue();
    assertThat(SnapshotPlanner.snapshotsAll(Mode.INITIAL_ONLY, false, true)).isFalse();
    assertThat(SnapshotPlanner.snapshotsAll(Mode.WHEN_NEEDED, false, false)).isTrue();
    assertThat(SnapshotPlanner.snapshotsAll(Mode.WHEN_NEEDED, false, true)).isFalse();
    assertThat(SnapshotPlanner.snapshotsAll(Mode.WHEN_NEEDED, true, true)).isTrue();
    assertThat(SnapshotPlanner.snapshotsAll(Mode.ALWAYS, false, true)).isTrue();
    assertThat(SnapshotPlanner.snapshotsAll(Mode.NO_DATA, true, false)).isFalse();
  }

  @Test
  void anExportIsDueOnlyWithoutOffsets() {
    assertThat(SnapshotPlanner.exportDue(Mode.INITIAL, null)).isTrue();
    assertThat(SnapshotPlanner.exportDue(Mode.INITIAL, Map.of())).isTrue();
    assertThat(SnapshotPlanner.exportDue(Mode.INITIAL, Map.of("lsn", 1L))).isFalse();
    assertThat(SnapshotPlanner.exportDue(Mode.WHEN_NEEDED, Map.of("lsn", 1L))).isTrue();
    assertThat(SnapshotPlanner.exportDue(Mode.NO_DATA, null)).isFalse();
  }

  @Test
  void lookupTablesComeFirstAndTheOthersKeepTheirOrder() {
    TableName a = new TableName("public", "a");
    assertThat(SnapshotPlanner.lookupTablesFirst(List.of(ORDERS, a, RATES), List.of(RATES)))
        .containsExactly(RATES, ORDERS, a);
    assertThat(SnapshotPlanner.lookupTablesFirst(List.of(ORDERS, a), List.of()))
        .containsExactly(ORDERS, a);
  }

  @Test
  void theSignalTableAndTablesNotIncludedAreNotSnapshotted() {
    SnapshotConfig config =
        config(
            Map.of(
                SnapshotConfig.SIGNAL_TABLE, "ops.signals",
                SnapshotConfig.INCLUDE, "public\\..*,ops\\..*"));
    TableName other = new TableName("other", "t");
    assertThat(SnapshotPlanner.eligible(config, List.of(ORDERS, SIGNALS, other, RATES)))
        .containsExactly(ORDERS, RATES);
    assertThat(SnapshotPlanner.eligible(config(Map.of()), List.of(ORDERS, SIGNALS, other)))
        .containsExactly(ORDERS, SIGNALS, other);
  }

  @Test
  void onlyTablesCapturedSinceTheLastRunGetAnIncrementalSnapshot() {
    SnapshotProgress progress = new SnapshotProgress();
    SnapshotPlanner.addNewTables(
        progress, List.of(ORDERS, RATES), CapturedTables.encode(List.of(ORDERS)));
    assertThat(progress.currentKeyed())
        .hasValueSatisfying(t -> assertThat(t.table()).isEqualTo("rates"));
    assertThat(progress.pendingTables()).isEqualTo(1);

    SnapshotProgress none = new SnapshotProgress();
    SnapshotPlanner.addNewTables(
        none, List.of(ORDERS, RATES), CapturedTables.encode(List.of(RATES, ORDERS)));
    assertThat(none.complete()).isTrue();
  }
}
