package io.pgsnow.source;

import io.pgsnow.common.Version;
import io.pgsnow.source.events.RecordSizeLimit;
import io.pgsnow.source.events.SourceInfo;
import io.pgsnow.source.events.TransactionAssembler;
import io.pgsnow.source.heartbeat.Heartbeat;
import io.pgsnow.source.metrics.SourceTaskMetrics;
import io.pgsnow.source.naming.TopicAssignments;
import io.pgsnow.source.naming.TopicNamer;
import io.pgsnow.source.offsets.SlotConfirmation;
import io.pgsnow.source.offsets.SourcePosition;
import io.pgsnow.source.replication.CatalogPrimaryKeys;
import io.pgsnow.source.replication.LogicalStream;
import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup;
import io.pgsnow.source.replication.ReselectQuery;
import io.pgsnow.source.replication.StatusUpdater;
import io.pgsnow.source.replication.StreamReader;
import io.pgsnow.source.replication.TypeCatalog;
import io.pgsnow.source.schema.ColumnTypes;
import io.pgsnow.source.snapshot.SharedSnapshot;
import io.pgsnow.source.snapshot.SnapshotPhase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source task's composition root: sets up the publication and slot, starts the reader and
 * status threads, and hands queued records to {@code poll()}.
 */
final class SourcePipeline implements TaskPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(SourcePipeline.class);

  private final PostgresCdcSourceConfig config;
  private final PgConnections connections;
  private final StreamReader reader;
  private final StatusUpdater status;
  private final SourceTaskMetrics metrics;
  private final RecordBatches batches;
  private final Thread readerThread;
  private final Thread statusThread;
  private SnapshotPhase snapshot;
  private final Heartbeat heartbeat;
  private ReselectQuery reselect;

  private SourcePipeline(
      PostgresCdcSourceConfig config,
      PgConnections connections,
      BlockingQueue<SourceRecord> queue,
      StreamReader reader,
      StatusUpdater status,
      SourceTaskMetrics metrics,
      Heartbeat heartbeat,
      RecordSizeLimit sizeLimit) {
    this.config = config;
    this.heartbeat = heartbeat;
    this.metrics = metrics;
    this.connections = connections;
    this.reader = reader;
    this.status = status;
    this.batches = new RecordBatches(queue, sizeLimit, config);
    this.readerThread = new Thread(reader, "pgsnow-source-reader-" + config.slotName());
    this.statusThread = new Thread(status, "pgsnow-source-status-" + config.slotName());
  }

  /**
   * @param shared task 0's part of a snapshot spread over tasks, or null
   */
  static SourcePipeline start(
      PostgresCdcSourceConfig config,
      OffsetStorageReader offsets,
      SharedSnapshot.Assignment shared) {
    PgConnections connections = new PgConnections(config.connectionOptions());
    Map<String, Object> partition = SourcePosition.partition(config.topicPrefix());
    Map<String, Object> offset = offsets.offset(partition);
    Prepared prepared = prepareWhenReady(config, connections, offsets, offset, shared);
    int serverVersion = prepared.serverVersion();
    long slotConfirmed = prepared.slotConfirmed();
    TopicAssignments topics = prepared.topics();
    SnapshotPhase snapshot = prepared.snapshot();
    TypeCatalog types = prepared.types();
    SourcePosition resume =
        snapshot.streamsFromNewSlot() ? null : SourcePosition.fromOffset(offset).orElse(null);
    LOG.info(
        "Starting from {}",
        resume == null
            ? "the slot's confirmed position " + Long.toUnsignedString(slotConfirmed)
            : "after " + resume);

    ColumnTypes columnTypes =
        new ColumnTypes(config.decimalHandling(), config.typeOptions(), types);
    ReselectQuery reselect =
        config.typeOptions().toastReselect() ? new ReselectQuery(connections) : null;
    TransactionAssembler.Settings settings =
        settings(config, connections, columnTypes, topics, reselect);
    BlockingQueue<SourceRecord> queue = new ArrayBlockingQueue<>(config.maxQueueSize());
    SourceTaskMetrics.Counters counters = new SourceTaskMetrics.Counters();
    counters.countSpecialValues(columnTypes.specialValues()::count);
    PostgresCdcSourceConfig.RecordSizeLimitSetting limit = config.recordSizeLimit();
    RecordSizeLimit sizeLimit = new RecordSizeLimit(limit.bytes(), limit.source());
    StreamReader reader =
        streamReader(
            config, connections, serverVersion, resume, settings, queue, sizeLimit, counters);
    Heartbeat heartbeat = Heartbeats.create(config, connections);
    reader.heartbeat(heartbeat);
    SlotConfirmation policy = new SlotConfirmation(slotConfirmed);
    SourceTaskMetrics metrics =
        new SourceTaskMetrics(
                counters, queue::size, () -> reader.state().caughtUpLsn(), policy::confirmed)
            .register(config.connectorName());
    StatusUpdater status =
        new StatusUpdater(
            reader,
            () -> SourcePosition.fromOffset(offsets.offset(partition)).orElse(null),
            policy,
            config.statusUpdateInterval());
    SourcePipeline pipeline =
        new SourcePipeline(
            config, connections, queue, reader, status, metrics, heartbeat, sizeLimit);
    pipeline.snapshot = snapshot;
    pipeline.reselect = reselect;
    snapshot.start(
        settings,
        queue,
        sizeLimit,
        reader,
        serverVersion,
        () -> {
          pipeline.readerThread.start();
          pipeline.statusThread.start();
        });
    return pipeline;
  }

  /** What a start reads and sets up in PostgreSQL before the threads start. */
  private record Prepared(
      int serverVersion,
      long slotConfirmed,
      TopicAssignments topics,
      TypeCatalog types,
      SnapshotPhase snapshot) {}

  /**
   * Sets up the publication, the snapshot's plan and the slot, again from the start under the
   * replication retry policy when the connection fails transiently on the way (PostgreSQL
   * restarting while a task starts): each step is idempotent, and a slot created by a failed
   * attempt makes the next one read the snapshot between watermarks, so nothing is lost.
   */
  private static Prepared prepareWhenReady(
      PostgresCdcSourceConfig config,
      PgConnections connections,
      OffsetStorageReader offsets,
      Map<String, Object> offset,
      SharedSnapshot.Assignment shared) {
    try {
      return PgConnections.whenReady(
          config.replicationRetry(),
          "prepare replication from " + connections.url(),
          () -> prepare(config, connections, offsets, offset, shared));
    } catch (SQLException e) {
      throw new ConnectException("Cannot prepare replication from " + connections.url(), e);
    }
  }

  private static Prepared prepare(
      PostgresCdcSourceConfig config,
      PgConnections connections,
      OffsetStorageReader offsets,
      Map<String, Object> offset,
      SharedSnapshot.Assignment shared)
      throws SQLException {
    TopicAssignments topics =
        new TopicAssignments(new TopicNamer(config.topicPrefix(), config.schemaNameAdjustment()));
    TypeCatalog types = new TypeCatalog(connections);
    SnapshotPhase snapshot = null;
    try (Connection c = connections.regularWhenReady(config.replicationRetry())) {
      int serverVersion = ReplicationSetup.serverVersionNum(c);
      types.load();
      ReplicationSetup.ensurePublication(
          c, config.publicationName(), config.publicationAutocreate(), config.tableFilter());
      // validate() refuses these; a publication changed since then must not lose changes unnoticed.
      for (PublicationCheck.Problem problem : PublicationCheck.problems(c, config)) {
        LOG.warn("{}", problem.message());
      }
      // Name every table captured now, so renamed tables are logged and collisions fail the start.
      List<ReplicationSetup.TableName> captured =
          ReplicationSetup.capturedTables(c, config.tableFilter());
      List<ReplicationSetup.TableName> lookupTables = new ArrayList<>();
      for (ReplicationSetup.TableName t : captured) {
        String topic = topics.assignAtStart(t.schema(), t.table()).topic();
        if (config.chainLookupTopics().contains(topic)) {
          lookupTables.add(t);
        }
      }
      SnapshotPhase.TaskOffsets taskOffsets =
          new SnapshotPhase.TaskOffsets(offset, offsets, config.topicPrefix());
      snapshot =
          prepareSnapshot(c, connections, config, taskOffsets, captured, lookupTables, shared);
      Long confirmed =
          ReplicationSetup.ensureSlot(c, config.slotName(), config.dbname()).confirmedFlushLsn();
      // Fail now, not after a minute of reconnecting, when another client streams from the slot.
      Optional<String> held =
          ReplicationSetup.heldByAnotherClient(c, config.slotName(), config.connectorName());
      if (held.isPresent()) {
        throw new ConnectException(held.get());
      }
      return new Prepared(
          serverVersion, confirmed == null ? 0L : confirmed, topics, types, snapshot);
    } catch (SQLException | RuntimeException e) {
      if (snapshot != null) {
        snapshot.close();
      }
      throw e;
    }
  }

  static TransactionAssembler.Settings settings(
      PostgresCdcSourceConfig config,
      PgConnections connections,
      ColumnTypes columnTypes,
      TopicAssignments topics,
      ReselectQuery reselect) {
    return new TransactionAssembler.Settings(
        config.topicPrefix(),
        config.tableFilter(),
        config.skippedOperations(),
        config.tombstonesOnDelete(),
        columnTypes,
        new CatalogPrimaryKeys(connections),
        new SourceInfo(Version.get(), config.topicPrefix(), config.dbname()),
        config.streamingMaxBufferedBytes(),
        topics,
        reselect,
        config.transactionTopic().orElse(null));
  }

  private static SnapshotPhase prepareSnapshot(
      Connection c,
      PgConnections connections,
      PostgresCdcSourceConfig config,
      SnapshotPhase.TaskOffsets offsets,
      List<ReplicationSetup.TableName> captured,
      List<ReplicationSetup.TableName> lookupTables,
      SharedSnapshot.Assignment shared)
      throws SQLException {
    SignalTablePublication.ensure(c, config);
    return SnapshotPhase.prepare(
        connections,
        config.snapshot(),
        config.slotName(),
        config.connectorName(),
        offsets,
        captured,
        lookupTables,
        ReplicationSetup.slot(c, config.slotName()).isPresent(),
        shared);
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    batches.throwIfTooLarge();
    if (batches.drained()) {
      snapshot.throwIfFailed();
    }
    Throwable failure = reader.failure();
    if (failure != null && batches.drained()) {
      throw new ConnectException("Replication from " + connections.url() + " failed", failure);
    }
    return batches.next();
  }

  @Override
  public void offsetsCommitted() {
    status.offsetsCommitted();
  }

  @Override
  public void close() {
    if (snapshot != null) {
      snapshot.close();
    }
    status.stop();
    reader.stop();
    join(readerThread);
    join(statusThread);
    if (reselect != null) {
      reselect.close();
    }
    metrics.close();
    heartbeat.close();
    if (config.dropSlotOnStop()) {
      try (Connection c = connections.regular()) {
        ReplicationSetup.dropSlot(c, config.slotName());
      } catch (SQLException e) {
        LOG.warn("Could not drop replication slot {}", config.slotName(), e);
      }
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The reader of the replication stream, reconnecting under the replication retry policy. */
  private static StreamReader streamReader(
      PostgresCdcSourceConfig config,
      PgConnections connections,
      int serverVersion,
      SourcePosition resume,
      TransactionAssembler.Settings settings,
      BlockingQueue<SourceRecord> queue,
      RecordSizeLimit sizeLimit,
      SourceTaskMetrics.Counters counters) {
    return new StreamReader(
        (startLsn, streaming) ->
            LogicalStream.open(
                connections,
                new LogicalStream.Options(
                    config.slotName(),
                    config.publicationName(),
                    startLsn,
                    serverVersion,
                    config.streamInProgress() && streaming,
                    config.statusUpdateInterval())),
        resume,
        (resumeAfter, sink) ->
            new TransactionAssembler(settings, resumeAfter, sink, System::currentTimeMillis),
        queue,
        sizeLimit,
        counters,
        config.replicationRetry());
  }
}
