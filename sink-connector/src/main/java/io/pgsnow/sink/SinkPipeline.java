package io.pgsnow.sink;

import io.pgsnow.common.retry.Retries;
import io.pgsnow.sink.auth.PrivateKeys;
import io.pgsnow.sink.buffer.RowSerializer;
import io.pgsnow.sink.buffer.SealPolicy;
import io.pgsnow.sink.ingest.ConnectionSettings;
import io.pgsnow.sink.ingest.ModelProvisioner;
import io.pgsnow.sink.ingest.ObjectProvisioner;
import io.pgsnow.sink.ingest.Session;
import io.pgsnow.sink.ingest.SnowflakeErrors;
import io.pgsnow.sink.ingest.SnowflakeSession;
import io.pgsnow.sink.ingest.Snowpipe;
import io.pgsnow.sink.ingest.SnowpipeClient;
import io.pgsnow.sink.ingest.StagePurge;
import io.pgsnow.sink.model.ShapeCache;
import io.pgsnow.sink.naming.ObjectNames;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.partition.PartitionState;
import io.pgsnow.sink.partition.PartitionState.Replay;
import io.pgsnow.sink.recovery.RecoveryPlan;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink task's composition root and the put/preCommit flow: buffer each record in its
 * partition's state, hand full files to {@link FileDelivery}, and let Kafka commit only offsets
 * whose records are loaded or handled. Recovery ({@link PartitionRecovery}), load confirmation
 * ({@link LoadConfirmation}), failed loads ({@link FailedLoads}, {@link ErrorTable}) and the
 * background thread ({@link BackgroundLoads}) are units of their own.
 */
final class SinkPipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SinkPipeline.class);

  private final SnowflakeSinkConfig config;
  private final SinkTaskContext context;
  private final RowSerializer serializer;
  private final SealPolicy policy;
  private final Session session;
  private final Snowpipe snowpipe;
  private final ObjectProvisioner provisioner;
  private final SinkMetrics metrics;
  private final Targets targets;
  private final TableEvolution evolution;
  private final ErrantRecords errant;
  private final PartitionRecovery recovery;
  private final FileDelivery delivery;
  private final BackgroundLoads background;
  private final OpeningPartitions opening;
  private final Map<TopicPartition, PartitionState> states = new ConcurrentHashMap<>();
  private final Retries retries;

  SinkPipeline(SnowflakeSinkConfig config, String connectorName, SinkTaskContext context) {
    this(config, connectorName, context, settings(config));
  }

  private SinkPipeline(
      SnowflakeSinkConfig config,
      String connectorName,
      SinkTaskContext context,
      ConnectionSettings settings) {
    this(
        config,
        connectorName,
        context,
        new SnowflakeSession(settings),
        new SnowpipeClient(settings));
  }

  SinkPipeline(
      SnowflakeSinkConfig config,
      String connectorName,
      SinkTaskContext context,
      Session session,
      Snowpipe snowpipe) {
    this.config = config;
    this.context = context;
    this.session = session;
    this.snowpipe = snowpipe;
    this.retries = new Retries(config.retryPolicy(), RetriableException.class::isInstance);
    ObjectNames names = new ObjectNames(connectorName);
    Clock clock = Clock.systemUTC();
    this.serializer = new RowSerializer(config.metadataFields(), config.schematization());
    this.policy = config.sealPolicy();
    this.provisioner = new ObjectProvisioner(session, config.schematization());
    this.metrics = new SinkMetrics(connectorName);
    this.targets = Targets.of(config, names);
    this.evolution =
        new TableEvolution(
            provisioner,
            config.modelSettings().any()
                ? new ModelProvisioner(session, config.modelSettings())
                : null,
            new ShapeCache(config.schematization()));
    this.errant =
        new ErrantRecords(
            config.toleratesBadRecords() ? context.errantRecordReporter() : null, metrics);
    FailedLoads failedLoads =
        new FailedLoads(
            config,
            new ErrorTable(session, provisioner, names.errorTable(), clock),
            metrics,
            errant.reporting());
    StagePurge purge = new StagePurge();
    this.recovery =
        new PartitionRecovery(
            session, snowpipe, failedLoads::failed, purge, config.purgeLoaded(), clock);
    LoadConfirmation confirmation =
        new LoadConfirmation(
            snowpipe, failedLoads::failed, purge, config.purgeLoaded(), metrics, clock);
    this.delivery =
        new FileDelivery(
            session,
            snowpipe,
            policy,
            confirmation,
            metrics,
            System::nanoTime,
            config.maxInFlightFiles(),
            config.retryPolicy());
    this.background =
        new BackgroundLoads(states, targets, delivery, confirmation, failedLoads, purge, session);
    background.start(names.connector(), config.loadCheckInterval(), policy);
    this.opening = new OpeningPartitions(names.connector());
  }

  static ConnectionSettings settings(SnowflakeSinkConfig config) {
    try {
      return new ConnectionSettings(
          config.url(),
          config.user(),
          PrivateKeys.parse(config.privateKey().value(), config.passphrase().value()),
          config.database(),
          config.schema(),
          config.role(),
          config.warehouse(),
          config.clientTimeouts());
    } catch (IllegalArgumentException e) {
      throw new ConnectException(SnowflakeSinkConfig.PRIVATE_KEY + ": " + e.getMessage(), e);
    }
  }

  void put(Collection<SinkRecord> records) {
    background.throwIfFailed();
    delivery.throwIfFailed();
    try {
      for (SinkRecord record : records) {
        accept(record);
      }
      finishReplays();
      retries.succeeded();
    } catch (RetriableException e) {
      Optional<Duration> backoff = retries.failed(e);
      if (backoff.isEmpty()) {
        throw new ConnectException(
            "Giving up after "
                + retries.failures()
                + " attempts ("
                + SnowflakeSinkConfig.RETRY_MAX
                + ", "
                + SnowflakeSinkConfig.RETRY.deadline()
                + "): "
                + e.getMessage(),
            e);
      }
      LOG.warn(
          "Transient Snowflake fault, retrying in {} ms: {}",
          backoff.get().toMillis(),
          e.getMessage());
      context.timeout(backoff.get().toMillis());
      throw e;
    }
  }

  private void accept(SinkRecord record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
    PartitionState state = stateFor(tp);
    long offset = record.kafkaOffset();
    state.armDue(System.nanoTime(), false);
    Optional<Replay> replay = state.replayFor(offset);
    if (replay.isPresent()) {
      replay(tp, state, replay.get(), record);
      return;
    }
    if (!state.isNew(offset)) {
      return;
    }
    if (record.value() == null && config.nullValues() == SnowflakeSinkConfig.NullValues.IGNORE) {
      state.skip(offset);
      return;
    }
    RowSerializer.Row row;
    try {
      row = serializer.row(record);
    } catch (DataException e) {
      errant.badRecord(record, e);
      state.skip(offset);
      return;
    }
    Target target = targets.of(tp);
    evolution.ensureColumns(tp, target.table(), row.columns());
    evolution.ensureModels(tp, target.table(), record);
    state.append(offset, row.buffer(), row.length(), System.nanoTime());
    metrics.buffered(tp, state.bufferedRecords(), offset);
    if (state.isFull(policy)) {
      delivery.sealFull(tp, state, target);
    }
  }

  /**
   * A record Kafka delivers again for a failed file: into the next attempt's file, or to the errant
   * record reporter. Records that were not rows of the file (skipped tombstones, bad records
   * reported when first seen) are passed over again.
   */
  private void replay(TopicPartition tp, PartitionState state, Replay replay, SinkRecord record) {
    long offset = record.kafkaOffset();
    RowSerializer.Row row = null;
    if (record.value() != null || config.nullValues() != SnowflakeSinkConfig.NullValues.IGNORE) {
      try {
        row = serializer.row(record);
      } catch (DataException e) {
        LOG.debug("Record at {} offset {} was reported when first seen", tp, offset);
      }
    }
    if (row == null) {
      state.replayed(replay, offset);
    } else if (replay.kind() == PartitionState.ReplayKind.RELOAD) {
      evolution.ensureColumns(tp, targets.of(tp).table(), row.columns());
      state.replayed(replay, offset, row.buffer(), row.length(), System.nanoTime());
    } else {
      errant.rejected(tp, record, replay.failed());
      state.replayed(replay, offset);
    }
  }

  /**
   * After a batch: waits until the errant records reported in it are acknowledged, releases the
   * offsets of files whose records are all reported, and rewinds partitions whose failed files are
   * due to be read again. Kafka delivers from the rewound offset in the next batch.
   */
  private void finishReplays() {
    errant.awaitRejected();
    long now = System.nanoTime();
    for (Map.Entry<TopicPartition, PartitionState> e : states.entrySet()) {
      PartitionState state = e.getValue();
      for (StageFileName reported : state.reportedFiles()) {
        state.done(reported);
        LOG.info(
            "Reported the records of {} (offsets {}-{} of {}) as errant",
            reported.path(),
            reported.startOffset(),
            reported.endOffset(),
            e.getKey());
      }
      OptionalLong rewind = state.armDue(now, true);
      if (rewind.isPresent()) {
        LOG.info(
            "Reading {} again from offset {} for the records of a failed file",
            e.getKey(),
            rewind.getAsLong());
        context.offset(e.getKey(), rewind.getAsLong());
      }
    }
  }

  /**
   * Starts preparing the newly assigned partitions in parallel: {@link #put} then finds each one
   * ready, or waits for the one it needs.
   */
  void open(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      if (!states.containsKey(tp)) {
        Target target = targets.of(tp);
        opening.open(tp, () -> prepare(tp, target));
      }
    }
  }

  /** The partition's state; the first time, once its preparation at open (or now) is done. */
  private PartitionState stateFor(TopicPartition tp) {
    PartitionState state = states.get(tp);
    if (state != null) {
      return state;
    }
    state = opening.await(tp, () -> prepare(tp, targets.of(tp)));
    states.put(tp, state);
    return state;
  }

  /** Prepares the partition's table, stage and pipe and recovers where it stands. */
  private PartitionState prepare(TopicPartition tp, Target target) {
    try {
      provisioner.ensureTable(target.table());
      provisioner.ensureStage(target.stage());
      provisioner.ensurePipe(target.pipeObject(), target.table(), target.stage());
      RecoveryPlan plan = recovery.recover(tp, target);
      PartitionState state = new PartitionState(tp.topic(), tp.partition(), target.directory());
      state.recover(plan.skipThrough(), plan.pending());
      return state;
    } catch (ConnectException e) {
      throw e;
    } catch (Exception e) {
      throw SnowflakeErrors.classify("Preparing the table, stage and pipe of " + tp, e);
    }
  }

  /**
   * The offsets whose records are in the table or handled. Also after a failure that stops the
   * task: they never pass a file whose records are not loaded.
   */
  Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (TopicPartition tp : current.keySet()) {
      PartitionState state = states.get(tp);
      if (state != null) {
        state
            .committableOffset()
            .ifPresent(
                o -> {
                  out.put(tp, new OffsetAndMetadata(o));
                  metrics.committed(tp, o);
                });
      }
    }
    return out;
  }

  /**
   * Forgets the partitions once no background tick and no upload of theirs is running; their files
   * not uploaded yet are dropped, their offsets never committed.
   */
  void close(Collection<TopicPartition> partitions) {
    opening.revoke(partitions);
    background.betweenTicks(
        () -> {
          for (TopicPartition tp : partitions) {
            delivery.revoke(
                tp,
                states.get(tp),
                () -> {
                  states.remove(tp);
                  targets.forget(tp);
                  metrics.remove(tp);
                });
          }
        });
  }

  @Override
  public void close() {
    opening.close();
    background.close();
    delivery.close();
    snowpipe.close();
    session.close();
    metrics.close();
  }
}
