package io.pgsnow.source.snapshot;

import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.util.List;

/**
 * What one task's snapshot is about: the database, the snapshot settings, the slot, the name its
 * metrics go under, the offsets it starts from and the tables the connector captures.
 */
record SnapshotScope(
    PgConnections connections,
    SnapshotConfig config,
    String slotName,
    String connectorName,
    SnapshotPhase.TaskOffsets offsets,
    List<TableName> captured) {

  /** The captured tables as the offsets name them, to see later which tables are new. */
  String encodedCaptured() {
    return CapturedTables.encode(captured);
  }
}
