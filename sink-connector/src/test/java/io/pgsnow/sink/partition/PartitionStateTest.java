package io.pgsnow.sink.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.sink.buffer.SealPolicy;
import io.pgsnow.sink.buffer.SealedFile;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.recovery.LoadStatus;
import io.pgsnow.sink.recovery.RecoveryPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionStateTest {
  private static final SealPolicy POLICY = new SealPolicy(3, 1_000_000, Duration.ofSeconds(60));
  private static final byte[] ROW = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static void add(PartitionState s, long from, long to) {
    for (long o = from; o <= to; o++) {
      if (s.isNew(o)) {
        s.append(o, ROW, ROW.length, 0);
      }
    }
  }

  @Test
  void commitsOnlyWhatIsLoaded() {
    PartitionState s = new PartitionState("t", 0, "C/T/0");
    assertThat(s.committableOffset()).isEmpty();
    add(s, 0, 2);
    assertThat(s.committableOffset()).hasValue(0);
    SealedFile file = s.sealIfDue(POLICY, 0, false).orElseThrow();
    add(s, 3, 3);
    s.uploaded(file);
    assertThat(s.committableOffset()).hasValue(0);
    StageFileName name = s.fileName(file);
    s.transition(name, FileState.REGISTERED);
    assertThat(s.committableOffset()).hasValue(0);
    s.done(name);
    assertThat(s.committableOffset()).hasValue(3);
    assertThat(s.sealIfDue(POLICY, 0, true)).isPresent();
  }

  @Test
  void retriedBatchesAreNotBufferedTwice() {
    PartitionState s = new PartitionState("t", 0, "C/T/0");
    add(s, 0, 1);
    add(s, 0, 1);
    assertThat(s.bufferedRecords()).isEqualTo(2);
  }

  @Test
  void aRecoveredPartitionSkipsWhatIsInFilesAndReflushesTheSameNames() {
    StageFileName first = StageFileName.of("C/T/0", "t", 0, 2);
    StageFileName second = StageFileName.of("C/T/0", "t", 3, 5);
    RecoveryPlan plan =
        RecoveryPlan.of(
            List.of(first, second),
            List.of(),
            Map.of(
                first.path(), new LoadStatus(first.path(), LoadStatus.Status.LOADED, 3, 3, null)));
    assertThat(plan.skipThrough()).isEqualTo(5);
    assertThat(plan.pending()).extracting(PartitionState.Tracked::name).containsExactly(second);
    PartitionState s = new PartitionState("t", 0, "C/T/0");
    s.recover(plan.skipThrough(), plan.pending());
    add(s, 3, 7);
    assertThat(s.bufferedRecords()).isEqualTo(2);
    assertThat(s.committableOffset()).hasValue(3);
    s.done(second);
    assertThat(s.committableOffset()).hasValue(6);
  }

  @Test
  void recoveredFilesBeforeTheCommittedOffsetAreDropped() {
    StageFileName old = StageFileName.of("C/T/0", "t", 0, 2);
    PartitionState s = new PartitionState("t", 0, "C/T/0");
    s.recover(2, List.of(new PartitionState.Tracked(old, FileState.STAGED, 0)));
    add(s, 3, 3);
    assertThat(s.files(FileState.STAGED)).isEmpty();
    assertThat(s.committableOffset()).hasValue(3);
  }

  @Test
  void failedFilesHoldTheOffsetUntilRecorded() {
    StageFileName f = StageFileName.of("C/T/0", "t", 0, 2);
    RecoveryPlan plan =
        RecoveryPlan.of(
            List.of(),
            List.of(f),
            Map.of(f.path(), new LoadStatus(f.path(), LoadStatus.Status.LOAD_FAILED, 3, 0, "bad")));
    assertThat(plan.pending())
        .extracting(PartitionState.Tracked::state)
        .containsExactly(FileState.FAILED);
    PartitionState s = new PartitionState("t", 0, "C/T/0");
    s.recover(plan.skipThrough(), plan.pending());
    add(s, 0, 3);
    assertThat(s.committableOffset()).hasValue(0);
    s.done(f);
    assertThat(s.committableOffset()).hasValue(3);
  }

  /** Offers offsets as the pipeline does: a replay's record, or a new one, or one seen before. */
  private static void deliver(PartitionState s, long from, long to) {
    for (long o = from; o <= to; o++) {
      var replay = s.replayFor(o);
      if (replay.isPresent()) {
        if (replay.get().kind() == PartitionState.ReplayKind.RELOAD) {
          s.replayed(replay.get(), o, ROW, ROW.length, 0);
        } else {
          s.replayed(replay.get(), o);
        }
      } else if (s.isNew(o)) {
        s.append(o, ROW, ROW.length, 0);
      }
    }
  }

  private static StageFileName registered(PartitionState s, long from, long to) {
    add(s, from, to);
    SealedFile file = s.sealIfDue(POLICY, 0, true).orElseThrow();
    s.uploaded(file);
    StageFileName name = s.fileName(file);
    s.transition(name, FileState.REGISTERED);
    return name;
  }

  @Test
  void aTransientFailureReadsTheRangeAgainIntoTheNextAttempt() {
    PartitionState s = new PartitionState("t", 0, "C/T/0");
    StageFileName failed = registered(s, 0, 2);
    add(s, 3, 4);
    s.transition(failed, FileState.FAILED);
    assertThat(s.retry(failed, 100)).isEqualTo(1);
    assertThat(s.files(FileState.RETRYING))
        .extracting(PartitionState.Tracked::name)
        .containsExactly(failed);
    assertThat(s.armDue(50, true)).as("not due yet").isEmpty();
    assertThat(s.armDue(100, false)).as("Kafka is past the range: only a rewind helps").isEmpty();
    assertThat(s.hasUnarmedReplays()).isTrue();
    assertThat(s.armDue(100, true)).hasValue(0);
    assertThat(s.committableOffset()).hasValue(0);

    deliver(s, 0, 6);
    assertThat(s.resealed())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(s.fileName(f)).isEqualTo(failed.nextAttempt());
              assertThat(f.records()).isEqualTo(3);
            });
    assertThat(s.bufferedRecords()).as("3, 4, 5 and 6 wait for the next file").isEqualTo(4);
    SealedFile again = s.resealed().get(0);
    s.uploaded(again);
    assertThat(s.resealed()).isEmpty();
    assertThat(s.files(FileState.STAGED))
        .extracting(PartitionState.Tracked::name)
        .containsExactly(failed.nextAttempt());
    assertThat(s.committableOffset()).hasValue(0);
    s.done(failed.nextAttempt());
    assertThat(s.committableOffset()).hasValue(3);
    assertThat(s.retries(0)).isZero();
  }

  @Test
  void aReplayWhoseRecordsKafkaHasNotDeliveredYetNeedsNoRewind() {
    StageFileName failed = StageFileName.of("C/T/0", "t", 5, 7);
    PartitionState s = new PartitionState("t", 0, "C/T/0");
    s.recover(7, List.of(new PartitionState.Tracked(failed, FileState.FAILED, 0)));
    deliver(s, 3, 3);
    s.retry(failed, 0);
    assertThat(s.armDue(0, false)).isEmpty();
    assertThat(s.hasUnarmedReplays()).isFalse();
    deliver(s, 4, 8);
    assertThat(s.resealed()).singleElement().satisfies(f -> assertThat(f.records()).isEqualTo(3));
    assertThat(s.committableOffset()).as("3 and 4 came before the failed file").hasValue(5);
  }

  @Test
  void aRejectedFilesRecordsAreReportedBeforeItsOffsetsAreDone() {
    PartitionState s = new PartitionState("t", 0, "C/T/0");
    StageFileName rejected = registered(s, 0, 2);
    add(s, 3, 3);
    s.transition(rejected, FileState.FAILED);
    s.report(rejected, 0);
    assertThat(s.armDue(0, true)).hasValue(0);
    deliver(s, 0, 1);
    assertThat(s.reportedFiles()).isEmpty();
    deliver(s, 2, 3);
    assertThat(s.reportedFiles()).containsExactly(rejected);
    assertThat(s.committableOffset()).hasValue(0);
    s.done(rejected);
    assertThat(s.committableOffset()).hasValue(3);
    assertThat(s.resealed()).isEmpty();
  }

  @Test
  void aReplayEndsWhenKafkaPassesItsRangeWithoutItsLastOffset() {
    PartitionState s = new PartitionState("t", 0, "C/T/0");
    StageFileName failed = registered(s, 0, 2);
    s.transition(failed, FileState.FAILED);
    s.retry(failed, 0);
    assertThat(s.armDue(0, true)).hasValue(0);
    deliver(s, 0, 1);
    deliver(s, 3, 3);
    assertThat(s.resealed()).singleElement().satisfies(f -> assertThat(f.records()).isEqualTo(2));
  }

  @Test
  void recoveryTakesTheLatestAttemptOfARangeAndNoneOnceOneLoaded() {
    StageFileName first = StageFileName.of("C/T/0", "t", 0, 2);
    StageFileName second = first.nextAttempt();
    StageFileName other = StageFileName.of("C/T/0", "t", 3, 5);
    LoadStatus failed = new LoadStatus(first.path(), LoadStatus.Status.LOAD_FAILED, 0, 0, "x");
    RecoveryPlan retried =
        RecoveryPlan.of(List.of(first, second), List.of(first), Map.of(first.path(), failed));
    assertThat(retried.pending())
        .containsExactly(new PartitionState.Tracked(second, FileState.STAGED, 0));
    RecoveryPlan loaded =
        RecoveryPlan.of(
            List.of(second, other),
            List.of(first, second),
            Map.of(
                first.path(),
                failed,
                second.path(),
                new LoadStatus(second.path(), LoadStatus.Status.LOADED, 3, 3, null)));
    assertThat(loaded.pending()).extracting(PartitionState.Tracked::name).containsExactly(other);
    assertThat(loaded.skipThrough()).isEqualTo(5);
    RecoveryPlan failedAgain =
        RecoveryPlan.of(
            List.of(),
            List.of(first, second),
            Map.of(
                first.path(),
                failed,
                second.path(),
                new LoadStatus(second.path(), LoadStatus.Status.LOAD_FAILED, 0, 0, "y")));
    assertThat(failedAgain.pending())
        .containsExactly(new PartitionState.Tracked(second, FileState.FAILED, 0));
  }
}
