package io.pgsnow.sink;

import io.pgsnow.sink.buffer.SealPolicy;
import io.pgsnow.sink.buffer.SealedFile;
import io.pgsnow.sink.ingest.Session;
import io.pgsnow.sink.ingest.SnowflakeErrors;
import io.pgsnow.sink.ingest.Snowpipe;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState;
import io.pgsnow.sink.partition.PartitionState.Tracked;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a partition's sealed files to its stage and registers them with Snowpipe. The put thread
 * and the background thread both deliver; one lock per partition keeps each partition's seal,
 * upload and register in order, while different partitions deliver in parallel.
 */
final class FileDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(FileDelivery.class);

  /**
   * Files put() writes wait for the background tick to be registered together, in one {@code
   * insertFiles} call per partition, unless this many are already waiting.
   */
  static final int REGISTER_BATCH = 16;

  private final Session session;
  private final Snowpipe snowpipe;
  private final SealPolicy policy;
  private final LoadConfirmation confirmation;
  private final SinkMetrics metrics;
  private final LongSupplier nanoTime;
  private final Map<TopicPartition, ReentrantLock> locks = new ConcurrentHashMap<>();

  FileDelivery(
      Session session,
      Snowpipe snowpipe,
      SealPolicy policy,
      LoadConfirmation confirmation,
      SinkMetrics metrics,
      LongSupplier nanoTime) {
    this.session = session;
    this.snowpipe = snowpipe;
    this.policy = policy;
    this.confirmation = confirmation;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  /**
   * Uploads the sealed (or due, or with {@code force} any buffered) file of a partition and files
   * to retry, then registers its staged files with one call: always when {@code registerAll} (the
   * background tick), otherwise once {@link #REGISTER_BATCH} files wait. Offsets wait for the loads
   * either way, so a file staged but not yet registered is only later, never lost (a restart finds
   * it on the stage and registers it).
   */
  void deliver(
      TopicPartition tp, PartitionState state, Target target, boolean force, boolean registerAll) {
    ReentrantLock lock = lockOf(tp);
    lock.lock();
    try {
      deliverLocked(tp, state, target, force, registerAll);
    } finally {
      lock.unlock();
    }
  }

  /** Like {@link #deliver}, unless the partition is delivering now; then nothing. */
  void deliverIfIdle(TopicPartition tp, PartitionState state, Target target) {
    ReentrantLock lock = lockOf(tp);
    if (!lock.tryLock()) {
      return;
    }
    try {
      deliverLocked(tp, state, target, false, true);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code action} while no delivery of {@code tp} runs. */
  void excluding(TopicPartition tp, Runnable action) {
    ReentrantLock lock = lockOf(tp);
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  private ReentrantLock lockOf(TopicPartition tp) {
    return locks.computeIfAbsent(tp, p -> new ReentrantLock());
  }

  private void deliverLocked(
      TopicPartition tp, PartitionState state, Target target, boolean force, boolean registerAll) {
    try {
      var sealed = state.sealIfDue(policy, nanoTime.getAsLong(), force);
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
    confirmation.registered(paths);
    for (Tracked t : staged) {
      state.transition(t.name(), FileState.REGISTERED);
    }
    LOG.debug("Registered {} files of {} with {}", paths.size(), tp, target.pipe());
  }
}
