package io.pgsnow.sink;

import io.pgsnow.sink.auth.PrivateKeys;
import io.pgsnow.sink.buffer.FlushPolicy;
import io.pgsnow.sink.buffer.RowSerializer;
import io.pgsnow.sink.buffer.SealedFile;
import io.pgsnow.sink.ddl.DdlBuilder;
import io.pgsnow.sink.ingest.ClientTimeouts;
import io.pgsnow.sink.ingest.ConnectionSettings;
import io.pgsnow.sink.ingest.ModelProvisioner;
import io.pgsnow.sink.ingest.ObjectProvisioner;
import io.pgsnow.sink.ingest.SnowflakeErrors;
import io.pgsnow.sink.ingest.SnowflakeSession;
import io.pgsnow.sink.ingest.SnowpipeClient;
import io.pgsnow.sink.ingest.StagePurge;
import io.pgsnow.sink.model.ModelShape;
import io.pgsnow.sink.model.ShapeCache;
import io.pgsnow.sink.naming.Identifier;
import io.pgsnow.sink.naming.ObjectNames;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.naming.TopicTableMap;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState;
import io.pgsnow.sink.partition.PartitionState.Replay;
import io.pgsnow.sink.partition.PartitionState.Tracked;
import io.pgsnow.sink.recovery.LoadStatus;
import io.pgsnow.sink.recovery.RecoveryPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink task's composition root and the flow of records to the table: buffer per partition, seal
 * into a file by count, bytes or age, upload to the table's stage, register with Snowpipe, confirm
 * the load, and only then let the offsets be committed. A background thread writes due buffers of
 * idle partitions and collects load outcomes; all Snowflake I/O is serialized.
 */
final class SinkPipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SinkPipeline.class);
  private static final Duration HISTORY_WINDOW = Duration.ofDays(14);
  private static final Duration REPORT_GRACE = Duration.ofMinutes(2);

  /**
   * Files put() writes wait for the background tick to be registered together, in one {@code
   * insertFiles} call per partition, unless this many are already waiting.
   */
  static final int REGISTER_BATCH = 16;

  /** Where one topic partition's rows go. */
  record Target(Identifier table, Identifier stage, String pipe, String directory) {}

  private final SnowflakeSinkConfig config;
  private final SinkTaskContext context;
  private final ObjectNames names;
  private final TopicTableMap tables;
  private final RowSerializer serializer;
  private final FlushPolicy policy;
  private final SnowflakeSession session;
  private final SnowpipeClient snowpipe;
  private final ObjectProvisioner provisioner;
  private final SinkMetrics metrics;
  private final ModelProvisioner models;
  private final ShapeCache shapes;
  private final ReentrantLock io = new ReentrantLock();
  private final Map<TopicPartition, PartitionState> states = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Target> targets = new ConcurrentHashMap<>();
  private final Map<String, Instant> registeredAt = new ConcurrentHashMap<>();
  private final ErrantRecordReporter reporter;
  private final FailedLoads failedLoads;
  private final List<Future<Void>> reports = new ArrayList<>();
  private final StagePurge purge = new StagePurge();
  private final AtomicReference<ConnectException> backgroundFailure = new AtomicReference<>();
  private final ScheduledExecutorService background;
  private int consecutiveFailures;

  SinkPipeline(SnowflakeSinkConfig config, String connectorName, SinkTaskContext context) {
    this.config = config;
    this.context = context;
    this.names = new ObjectNames(connectorName);
    this.tables = config.topicTableMap();
    this.serializer = new RowSerializer(config.metadataFields(), config.schematization());
    this.policy = config.flushPolicy();
    ConnectionSettings settings = settings(config);
    this.session = new SnowflakeSession(settings);
    this.snowpipe = new SnowpipeClient(settings);
    this.provisioner = new ObjectProvisioner(session, config.schematization());
    this.metrics = new SinkMetrics(connectorName);
    this.models =
        config.modelSettings().any() ? new ModelProvisioner(session, config.modelSettings()) : null;
    this.shapes = new ShapeCache(config.schematization());
    this.reporter = config.toleratesBadRecords() ? context.errantRecordReporter() : null;
    this.failedLoads =
        new FailedLoads(
            config, session, provisioner, names.errorTable(), metrics, reporter != null);
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pgsnow-sink-flusher-" + names.connector());
              t.setDaemon(true);
              return t;
            });
    long interval = Math.min(config.loadCheckInterval().toMillis(), policy.maxAge().toMillis());
    background.scheduleWithFixedDelay(
        this::backgroundTick, interval, interval, TimeUnit.MILLISECONDS);
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
          ClientTimeouts.from(config));
    } catch (IllegalArgumentException e) {
      throw new ConnectException(SnowflakeSinkConfig.PRIVATE_KEY + ": " + e.getMessage(), e);
    }
  }

  void put(Collection<SinkRecord> records) {
    throwIfBackgroundFailed();
    try {
      for (SinkRecord record : records) {
        accept(record);
      }
      finishReplays();
      consecutiveFailures = 0;
    } catch (RetriableException e) {
      consecutiveFailures++;
      if (consecutiveFailures >= config.retryMaxAttempts()) {
        throw new ConnectException(
            "Giving up after " + consecutiveFailures + " attempts: " + e.getMessage(), e);
      }
      long backoff = config.retryBackoff().toMillis() * Math.min(consecutiveFailures, 10);
      LOG.warn("Transient Snowflake fault, retrying in {} ms: {}", backoff, e.getMessage());
      context.timeout(backoff);
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
      reportBadRecord(record, e);
      state.skip(offset);
      return;
    }
    ensureColumns(tp, row.columns());
    ensureModels(tp, record);
    state.append(offset, row.buffer(), row.length(), System.nanoTime());
    metrics.buffered(tp, state.bufferedRecords(), offset);
    if (state.isFull(policy)) {
      flush(tp, state, true, false);
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
      ensureColumns(tp, row.columns());
      state.replayed(replay, offset, row.buffer(), row.length(), System.nanoTime());
    } else {
      reports.add(
          reporter.report(record, new DataException(FailedLoads.rejected(replay.failed()))));
      metrics.errant(tp);
      state.replayed(replay, offset);
    }
  }

  /**
   * After a batch: waits until the errant records reported in it are acknowledged, releases the
   * offsets of files whose records are all reported, and rewinds partitions whose failed files are
   * due to be read again. Kafka delivers from the rewound offset in the next batch.
   */
  private void finishReplays() {
    awaitReports();
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

  private void awaitReports() {
    try {
      for (Future<Void> report : reports) {
        report.get();
      }
      reports.clear();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new RetriableException("Interrupted while reporting errant records", ie);
    } catch (java.util.concurrent.ExecutionException ee) {
      throw new ConnectException("Cannot report errant records", ee.getCause());
    }
  }

  /**
   * Adds the columns a record needs before its row is buffered, so every file is registered with
   * Snowpipe only after its table has all the columns its rows carry.
   */
  private void ensureColumns(TopicPartition tp, List<DdlBuilder.Column> needed) {
    Identifier table = targetFor(tp).table();
    if (needed.isEmpty() || provisioner.missingColumns(table, needed).isEmpty()) {
      return;
    }
    io.lock();
    try {
      provisioner.addColumns(table, needed);
    } catch (Exception e) {
      throw SnowflakeErrors.classify("Adding columns to " + table.sql() + " for " + tp, e);
    } finally {
      io.unlock();
    }
  }

  /** Creates or extends the table's models when a record shows them a new shape. */
  private void ensureModels(TopicPartition tp, SinkRecord record) {
    if (models == null) {
      return;
    }
    Optional<ModelShape> shape = shapes.shapeOf(record);
    Identifier table = targetFor(tp).table();
    if (shape.isEmpty() || !models.needs(table, shape.get())) {
      return;
    }
    io.lock();
    try {
      models.ensure(table, shape.get());
    } catch (ConnectException e) {
      throw e;
    } catch (Exception e) {
      throw SnowflakeErrors.classify("Creating the models of " + table.sql() + " for " + tp, e);
    } finally {
      io.unlock();
    }
  }

  private void reportBadRecord(SinkRecord record, DataException e) {
    String where =
        "topic "
            + record.topic()
            + ", partition "
            + record.kafkaPartition()
            + ", offset "
            + record.kafkaOffset();
    if (reporter == null) {
      throw new DataException("Bad record at " + where + ": " + e.getMessage(), e);
    }
    LOG.error("Reporting bad record at {} as errant: {}", where, e.getMessage());
    metrics.errant(new TopicPartition(record.topic(), record.kafkaPartition()));
    try {
      reporter.report(record, e).get();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new RetriableException("Interrupted while reporting a bad record at " + where, ie);
    } catch (java.util.concurrent.ExecutionException ee) {
      throw new ConnectException("Cannot report the bad record at " + where, ee.getCause());
    }
  }

  private PartitionState stateFor(TopicPartition tp) {
    PartitionState state = states.get(tp);
    if (state != null) {
      return state;
    }
    io.lock();
    try {
      Target target = targetFor(tp);
      provisioner.ensureTable(target.table());
      provisioner.ensureStage(target.stage());
      provisioner.ensurePipe(pipeName(tp, target.table()), target.table(), target.stage());
      RecoveryPlan plan = recover(tp, target);
      state = new PartitionState(tp.topic(), tp.partition(), target.directory());
      state.recover(plan.skipThrough(), plan.pending());
      states.put(tp, state);
      return state;
    } catch (ConnectException e) {
      throw e;
    } catch (Exception e) {
      throw SnowflakeErrors.classify("Preparing the table, stage and pipe of " + tp, e);
    } finally {
      io.unlock();
    }
  }

  private Identifier pipeName(TopicPartition tp, Identifier table) {
    return config.pipePerTable() ? names.tablePipe(table) : names.pipe(table, tp.partition());
  }

  private Target targetFor(TopicPartition tp) {
    return targets.computeIfAbsent(
        tp,
        p -> {
          Identifier table = tables.tableFor(p.topic());
          Identifier pipe = pipeName(p, table);
          String restPipe =
              config.database().sql() + "." + config.schema().sql() + "." + pipe.sql();
          return new Target(
              table,
              names.stage(table),
              restPipe,
              StageFileName.directory(names.connector(), table, p.partition()));
        });
  }

  private RecoveryPlan recover(TopicPartition tp, Target target) throws Exception {
    String tag = StageFileName.topicTag(tp.topic());
    List<StageFileName> staged = new ArrayList<>();
    for (SnowflakeSession.StagedFile file : session.list(target.stage(), target.directory())) {
      if (file.size() == 0) {
        // An upload that did not store its bytes (see SnowflakeSession.upload) before the task
        // stopped: the file holds none of its records, which are written again.
        LOG.warn("Ignoring the empty staged file {} of {}", file.path(), tp);
        continue;
      }
      StageFileName.parse(file.path())
          .filter(f -> f.topicTag().equals(tag) && f.directory().equals(target.directory()))
          .ifPresent(staged::add);
    }
    Map<String, LoadStatus> history = new HashMap<>();
    List<StageFileName> historical = new ArrayList<>();
    Map<String, LoadStatus> scanned =
        snowpipe.history(target.pipe(), Instant.now().minus(HISTORY_WINDOW));
    for (LoadStatus status : scanned.values()) {
      StageFileName.parse(status.path())
          .filter(f -> f.topicTag().equals(tag) && f.directory().equals(target.directory()))
          .ifPresent(
              f -> {
                historical.add(f);
                history.put(f.path(), status);
                if (status.isFinal() && !status.isLoaded()) {
                  failedLoads.failed(status);
                }
              });
    }
    RecoveryPlan plan = RecoveryPlan.of(staged, historical, history);
    if (config.purgeLoaded()) {
      // Loaded files left by an earlier run (or by a run that kept them) go now.
      staged.stream()
          .filter(f -> history.containsKey(f.path()) && history.get(f.path()).isLoaded())
          .forEach(f -> purge.loaded(target.stage(), f));
    }
    LOG.info(
        "Recovered {}: {} staged files, {} in load history, records through offset {} are already"
            + " in files, {} files await their outcome",
        tp,
        staged.size(),
        historical.size(),
        plan.skipThrough(),
        plan.pending().size());
    return plan;
  }

  /**
   * Uploads the sealed (or due) file of a partition and registers its staged files with one call:
   * always when {@code registerAll} (the background tick), otherwise once {@link #REGISTER_BATCH}
   * files wait. Offsets wait for the loads either way, so a file staged but not yet registered is
   * only later, never lost (a restart finds it on the stage and registers it).
   */
  private void flush(TopicPartition tp, PartitionState state, boolean force, boolean registerAll) {
    io.lock();
    try {
      Target target = targetFor(tp);
      var sealed = state.sealIfDue(policy, System.nanoTime(), force);
      if (sealed.isPresent()) {
        upload(tp, state, target, sealed.get());
      }
      for (SealedFile again : state.resealed()) {
        upload(tp, state, target, again);
      }
      if (registerAll || state.files(FileState.STAGED).size() >= REGISTER_BATCH) {
        register(tp, state, target);
      }
    } catch (ConnectException e) {
      throw e;
    } catch (Exception e) {
      throw SnowflakeErrors.classify("Writing a file of " + tp, e);
    } finally {
      io.unlock();
    }
  }

  private void upload(TopicPartition tp, PartitionState state, Target target, SealedFile file)
      throws Exception {
    StageFileName name = state.fileName(file);
    session.upload(target.stage(), name.directory(), name.fileName(), file.gzip());
    state.uploaded(file);
    metrics.uploaded(tp, file.endOffset(), state.bufferedRecords());
    LOG.debug(
        "Uploaded {} ({} records, {} bytes)", name.path(), file.records(), file.gzip().length);
  }

  private void register(TopicPartition tp, PartitionState state, Target target) throws Exception {
    List<Tracked> staged = state.files(FileState.STAGED);
    if (staged.isEmpty() || state.committableOffset().isEmpty()) {
      // Recovered files wait for the partition's first record: it tells which are acknowledged.
      return;
    }
    List<String> paths = staged.stream().map(t -> t.name().path()).toList();
    snowpipe.insertFiles(target.pipe(), paths);
    Instant now = Instant.now();
    for (Tracked t : staged) {
      state.transition(t.name(), FileState.REGISTERED);
      registeredAt.putIfAbsent(t.name().path(), now);
    }
    LOG.debug("Registered {} files of {} with {}", paths.size(), tp, target.pipe());
  }

  private void backgroundTick() {
    if (backgroundFailure.get() != null || !io.tryLock()) {
      return;
    }
    try {
      for (Map.Entry<TopicPartition, PartitionState> e : states.entrySet()) {
        flush(e.getKey(), e.getValue(), false, true);
      }
      confirmLoads();
      decideFailures();
      purge.run(session);
    } catch (RetriableException e) {
      LOG.warn("Transient Snowflake fault in the background flush, retrying: {}", e.getMessage());
    } catch (ConnectException e) {
      LOG.error("Background flush failed", e);
      backgroundFailure.compareAndSet(null, e);
    } catch (Exception e) {
      ConnectException c = SnowflakeErrors.classify("Confirming loads", e);
      if (c instanceof RetriableException) {
        LOG.warn("Transient Snowflake fault while confirming loads: {}", c.getMessage());
      } else {
        backgroundFailure.compareAndSet(null, c);
      }
    } finally {
      io.unlock();
    }
  }

  private void confirmLoads() throws Exception {
    Map<String, List<Map.Entry<TopicPartition, Tracked>>> byPipe = new LinkedHashMap<>();
    for (Map.Entry<TopicPartition, PartitionState> e : states.entrySet()) {
      for (Tracked t : e.getValue().files(FileState.REGISTERED)) {
        byPipe
            .computeIfAbsent(targetFor(e.getKey()).pipe(), p -> new ArrayList<>())
            .add(Map.entry(e.getKey(), t));
      }
    }
    for (var pipe : byPipe.entrySet()) {
      Map<String, LoadStatus> outcomes = snowpipe.recentOutcomes(pipe.getKey());
      Instant oldest = oldestUnreported(pipe.getValue(), outcomes);
      if (oldest != null) {
        outcomes = new HashMap<>(outcomes);
        outcomes.putAll(snowpipe.history(pipe.getKey(), oldest.minus(Duration.ofHours(1))));
      }
      for (var entry : pipe.getValue()) {
        apply(entry.getKey(), entry.getValue(), outcomes.get(entry.getValue().name().path()));
      }
    }
  }

  /** Registration time of the oldest file insertReport no longer covers, or null. */
  private Instant oldestUnreported(
      List<Map.Entry<TopicPartition, Tracked>> files, Map<String, LoadStatus> outcomes) {
    Instant cutoff = Instant.now().minus(REPORT_GRACE);
    Instant oldest = null;
    for (var entry : files) {
      String path = entry.getValue().name().path();
      Instant at = registeredAt.getOrDefault(path, Instant.EPOCH);
      if (!outcomes.containsKey(path) && at.isBefore(cutoff)) {
        oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
      }
    }
    return oldest;
  }

  private void apply(TopicPartition tp, Tracked file, LoadStatus status) {
    PartitionState state = states.get(tp);
    if (state == null || status == null || !status.isFinal()) {
      return;
    }
    String path = file.name().path();
    registeredAt.remove(path);
    if (status.isLoaded()) {
      state.done(file.name());
      if (config.purgeLoaded()) {
        // Earlier attempts of the range failed and are never loaded: they go too.
        for (int attempt = 0; attempt <= file.name().attempt(); attempt++) {
          purge.loaded(targetFor(tp).stage(), file.name().withAttempt(attempt));
        }
      }
      metrics.loaded(tp, file.name().endOffset(), status.rowsLoaded());
    } else {
      LOG.debug("Snowpipe could not load {}: {} {}", path, status.status(), status.firstError());
      failedLoads.failed(status);
      state.transition(file.name(), FileState.FAILED);
    }
  }

  /**
   * Decides what happens to each failed file (see {@link FailedLoads}). A recovered file waits for
   * the partition's first record, which tells whether it was handled before the restart.
   */
  private void decideFailures() throws Exception {
    for (Map.Entry<TopicPartition, PartitionState> e : states.entrySet()) {
      PartitionState state = e.getValue();
      if (state.committableOffset().isEmpty()) {
        continue;
      }
      for (Tracked t : state.files(FileState.FAILED)) {
        Optional<ConnectException> fatal =
            failedLoads.decide(e.getKey(), state, targetFor(e.getKey()), t);
        if (fatal.isPresent()) {
          backgroundFailure.compareAndSet(null, fatal.get());
          return;
        }
      }
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

  void close(Collection<TopicPartition> partitions) {
    io.lock();
    try {
      for (TopicPartition tp : partitions) {
        states.remove(tp);
        targets.remove(tp);
        metrics.remove(tp);
      }
    } finally {
      io.unlock();
    }
  }

  private void throwIfBackgroundFailed() {
    ConnectException failure = backgroundFailure.get();
    if (failure != null) {
      throw new ConnectException(failure.getMessage(), failure);
    }
  }

  @Override
  public void close() {
    background.shutdownNow();
    try {
      background.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    io.lock();
    try {
      snowpipe.close();
      session.close();
      metrics.close();
    } finally {
      io.unlock();
    }
  }
}
