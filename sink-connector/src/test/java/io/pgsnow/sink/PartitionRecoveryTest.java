package io.pgsnow.sink;

import static io.pgsnow.sink.UnitFixtures.target;
import static io.pgsnow.sink.UnitFixtures.tp;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.sink.ingest.StagePurge;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.partition.PartitionState.Tracked;
import io.pgsnow.sink.recovery.LoadStatus;
import io.pgsnow.sink.recovery.RecoveryPlan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionRecoveryTest {

  private final FakeSession session = new FakeSession();
  private final FakeSnowpipe snowpipe = new FakeSnowpipe();
  private final List<LoadStatus> failed = new ArrayList<>();
  private final StagePurge purge = new StagePurge();
  private final UnitFixtures.ManualClock clock = new UnitFixtures.ManualClock();
  private final Target target = target(0);

  private PartitionRecovery recovery(boolean purgeLoaded) {
    return new PartitionRecovery(session, snowpipe, failed::add, purge, purgeLoaded, clock);
  }

  private StageFileName staged(long start, long end) {
    StageFileName f = StageFileName.of(target.directory(), "orders", start, end);
    session.stage(target.stage(), f.path(), new byte[] {1, 2, 3});
    return f;
  }

  @Test
  void skipsWhatIsInFilesAndWaitsForFilesWithoutOutcome() throws Exception {
    StageFileName loaded = staged(0, 2);
    StageFileName open = staged(3, 5);
    snowpipe.history.put(
        loaded.path(), new LoadStatus(loaded.path(), LoadStatus.Status.LOADED, 3, 3, null));

    RecoveryPlan plan = recovery(true).recover(tp(0), target);

    assertThat(plan.skipThrough()).isEqualTo(5);
    assertThat(plan.pending()).extracting(Tracked::name).containsExactly(open);
    assertThat(purge.pending()).as("the loaded file is queued for removal").isEqualTo(1);
    assertThat(snowpipe.historySince)
        .containsExactly(clock.instant().minus(PartitionRecovery.HISTORY_WINDOW));
    assertThat(failed).isEmpty();
  }

  @Test
  void ignoresEmptyFilesAndFilesOfOtherTopicsAndKeepsLoadedFilesUnlessPurging() throws Exception {
    staged(0, 2);
    StageFileName empty = StageFileName.of(target.directory(), "orders", 3, 5);
    session.stage(target.stage(), empty.path(), new byte[0]);
    StageFileName other = StageFileName.of(target.directory(), "customers", 6, 9);
    session.stage(target.stage(), other.path(), new byte[] {1});

    RecoveryPlan plan = recovery(false).recover(tp(0), target);

    assertThat(plan.skipThrough()).isEqualTo(2);
    assertThat(plan.pending()).extracting(t -> t.name().startOffset()).containsExactly(0L);
    assertThat(purge.pending()).isZero();
  }

  @Test
  void reportsFilesTheHistoryShowsAsFailed() throws Exception {
    StageFileName bad = staged(0, 2);
    LoadStatus status = new LoadStatus(bad.path(), LoadStatus.Status.LOAD_FAILED, 3, 0, "bad");
    snowpipe.history.put(bad.path(), status);

    recovery(true).recover(tp(0), target);

    assertThat(failed).containsExactly(status);
    assertThat(purge.pending()).as("a failed file is not removed").isZero();
  }
}
