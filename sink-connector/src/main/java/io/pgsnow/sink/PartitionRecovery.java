package io.pgsnow.sink;

import io.pgsnow.sink.ingest.Session;
import io.pgsnow.sink.ingest.Snowpipe;
import io.pgsnow.sink.ingest.StagePurge;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.recovery.LoadStatus;
import io.pgsnow.sink.recovery.RecoveryPlan;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns where a partition stands when the task takes it over: which files of its directory are on
 * the stage, what the pipe's load history says of them, and so which offsets are already in files
 * and which files still await their outcome.
 */
final class PartitionRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionRecovery.class);
  static final Duration HISTORY_WINDOW = Duration.ofDays(14);

  private final Session session;
  private final Snowpipe snowpipe;
  private final Consumer<LoadStatus> failed;
  private final StagePurge purge;
  private final boolean purgeLoaded;
  private final Clock clock;

  /**
   * @param failed told of each file the history reports as finally not loaded
   * @param purgeLoaded whether loaded files found on the stage are queued for removal
   */
  PartitionRecovery(
      Session session,
      Snowpipe snowpipe,
      Consumer<LoadStatus> failed,
      StagePurge purge,
      boolean purgeLoaded,
      Clock clock) {
    this.session = session;
    this.snowpipe = snowpipe;
    this.failed = failed;
    this.purge = purge;
    this.purgeLoaded = purgeLoaded;
    this.clock = clock;
  }

  RecoveryPlan recover(TopicPartition tp, Target target) throws Exception {
    String tag = StageFileName.topicTag(tp.topic());
    List<StageFileName> staged = new ArrayList<>();
    for (Session.StagedFile file : session.list(target.stage(), target.directory())) {
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
        snowpipe.history(target.pipe(), clock.instant().minus(HISTORY_WINDOW));
    for (LoadStatus status : scanned.values()) {
      StageFileName.parse(status.path())
          .filter(f -> f.topicTag().equals(tag) && f.directory().equals(target.directory()))
          .ifPresent(
              f -> {
                historical.add(f);
                history.put(f.path(), status);
                if (status.isFinal() && !status.isLoaded()) {
                  failed.accept(status);
                }
              });
    }
    RecoveryPlan plan = RecoveryPlan.of(staged, historical, history);
    if (purgeLoaded) {
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
}
