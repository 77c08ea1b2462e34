package io.pgsnow.sink;

import io.pgsnow.sink.ingest.Snowpipe;
import io.pgsnow.sink.ingest.StagePurge;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState;
import io.pgsnow.sink.partition.PartitionState.Tracked;
import io.pgsnow.sink.recovery.LoadStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the files registered with Snowpipe until their load outcome is final: one insertReport per
 * pipe, and the pipe's load history for files registered longer ago than insertReport covers. A
 * loaded file releases its offsets; a file that did not load is marked failed for {@link
 * FailedLoads} to decide.
 */
final class LoadConfirmation {

  private static final Logger LOG = LoggerFactory.getLogger(LoadConfirmation.class);

  /** How long after its registration a file may be missing from insertReport's answer. */
  static final Duration REPORT_GRACE = Duration.ofMinutes(2);

  /** What confirmation needs of one partition: its state and its target. */
  record Partition(TopicPartition tp, PartitionState state, Target target) {}

  private final Snowpipe snowpipe;
  private final Consumer<LoadStatus> failed;
  private final StagePurge purge;
  private final boolean purgeLoaded;
  private final SinkMetrics metrics;
  private final Clock clock;
  private final Map<String, Instant> registeredAt = new ConcurrentHashMap<>();

  LoadConfirmation(
      Snowpipe snowpipe,
      Consumer<LoadStatus> failed,
      StagePurge purge,
      boolean purgeLoaded,
      SinkMetrics metrics,
      Clock clock) {
    this.snowpipe = snowpipe;
    this.failed = failed;
    this.purge = purge;
    this.purgeLoaded = purgeLoaded;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Notes when files were registered (the first registration counts). */
  void registered(Collection<String> paths) {
    Instant now = clock.instant();
    paths.forEach(p -> registeredAt.putIfAbsent(p, now));
  }

  /**
   * Asks Snowpipe for the outcomes of the registered files of {@code partitions} and applies them.
   */
  void confirm(Collection<Partition> partitions) throws Exception {
    Map<String, List<Map.Entry<Partition, Tracked>>> byPipe = new LinkedHashMap<>();
    for (Partition p : partitions) {
      for (Tracked t : p.state().files(FileState.REGISTERED)) {
        byPipe.computeIfAbsent(p.target().pipe(), k -> new ArrayList<>()).add(Map.entry(p, t));
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
      List<Map.Entry<Partition, Tracked>> files, Map<String, LoadStatus> outcomes) {
    Instant cutoff = clock.instant().minus(REPORT_GRACE);
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

  private void apply(Partition p, Tracked file, LoadStatus status) {
    if (status == null || !status.isFinal()) {
      return;
    }
    String path = file.name().path();
    registeredAt.remove(path);
    if (status.isLoaded()) {
      p.state().done(file.name());
      if (purgeLoaded) {
        // Earlier attempts of the range failed and are never loaded: they go too.
        for (int attempt = 0; attempt <= file.name().attempt(); attempt++) {
          purge.loaded(p.target().stage(), file.name().withAttempt(attempt));
        }
      }
      metrics.loaded(p.tp(), file.name().endOffset(), status.rowsLoaded());
    } else {
      LOG.debug("Snowpipe could not load {}: {} {}", path, status.status(), status.firstError());
      failed.accept(status);
      p.state().transition(file.name(), FileState.FAILED);
    }
  }
}
