package io.pgsnow.source;

import io.pgsnow.source.events.RecordSizeLimit;
import io.pgsnow.source.events.TransactionAssembler;
import io.pgsnow.source.naming.TopicAssignments;
import io.pgsnow.source.naming.TopicNamer;
import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup;
import io.pgsnow.source.replication.TypeCatalog;
import io.pgsnow.source.schema.ColumnTypes;
import io.pgsnow.source.snapshot.SharedSnapshot;
import io.pgsnow.source.snapshot.SnapshotPhase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * The composition root of a task other than task 0 while the connector's initial snapshot is spread
 * over tasks: it reads the chunks the task owns under the connector's exported snapshot, with the
 * same record building as task 0, and hands them to {@code poll()} (so this task's own converter
 * and producer send them). It holds no slot and streams nothing; once its chunks are read it is
 * idle.
 */
final class ChunkTaskPipeline implements TaskPipeline {
  private final SnapshotPhase snapshot;
  private final RecordBatches batches;

  private ChunkTaskPipeline(SnapshotPhase snapshot, RecordBatches batches) {
    this.snapshot = snapshot;
    this.batches = batches;
  }

  static ChunkTaskPipeline start(
      PostgresCdcSourceConfig config,
      OffsetStorageReader offsets,
      SharedSnapshot.Assignment shared) {
    PgConnections connections = new PgConnections(config.connectionOptions());
    TopicAssignments topics =
        new TopicAssignments(new TopicNamer(config.topicPrefix(), config.schemaNameAdjustment()));
    TypeCatalog types = new TypeCatalog(connections);
    SnapshotPhase snapshot;
    try {
      // Again from the start while PostgreSQL restarts: nothing here changes the database.
      snapshot =
          PgConnections.whenReady(
              config.replicationRetry(),
              "prepare snapshot task " + shared.task() + " on " + connections.url(),
              () -> {
                try (Connection c = connections.regular()) {
                  // The same topic names as task 0, collisions failing the same way.
                  for (ReplicationSetup.TableName t :
                      ReplicationSetup.capturedTables(c, config.tableFilter())) {
                    topics.assignAtStart(t.schema(), t.table());
                  }
                  types.load();
                  SnapshotPhase.TaskOffsets own =
                      new SnapshotPhase.TaskOffsets(
                          offsets.offset(
                              SharedSnapshot.partition(config.topicPrefix(), shared.task())),
                          offsets,
                          config.topicPrefix());
                  return SnapshotPhase.prepareChunks(
                      connections, config.snapshot(), config.connectorName(), own, shared);
                }
              });
    } catch (SQLException e) {
      throw new ConnectException(
          "Cannot prepare snapshot task " + shared.task() + " on " + connections.url(), e);
    }
    ColumnTypes columnTypes =
        new ColumnTypes(config.decimalHandling(), config.typeOptions(), types);
    TransactionAssembler.Settings settings =
        SourcePipeline.settings(config, connections, columnTypes, topics, null);
    BlockingQueue<SourceRecord> queue = new ArrayBlockingQueue<>(config.maxQueueSize());
    PostgresCdcSourceConfig.RecordSizeLimitSetting limit = config.recordSizeLimit();
    RecordSizeLimit sizeLimit = new RecordSizeLimit(limit.bytes(), limit.source());
    snapshot.startChunks(settings, queue, sizeLimit);
    return new ChunkTaskPipeline(snapshot, new RecordBatches(queue, sizeLimit, config));
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    batches.throwIfTooLarge();
    if (batches.drained()) {
      snapshot.throwIfFailed();
    }
    return batches.next();
  }

  @Override
  public void offsetsCommitted() {
    // The chunks' progress is in the offsets; task 0 reads it there.
  }

  @Override
  public void close() {
    snapshot.close();
  }
}
