package io.pgsnow.sink.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.sink.buffer.FlushPolicy;
import io.pgsnow.sink.buffer.SealedFile;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.recovery.LoadStatus;
import io.pgsnow.sink.recovery.RecoveryPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionStateTest {
  private static final FlushPolicy POLICY = new FlushPolicy(3, 1_000_000, Duration.ofSeconds(60));
  private static final byte[] ROW = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static void add(PartitionState s, long from, long to) {
    for (long o = from; o <= to; o++) {
      if (s.isNew(o)) {
        s.append(o, ROW, 0);
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
}
