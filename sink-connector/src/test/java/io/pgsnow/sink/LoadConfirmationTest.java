package io.pgsnow.sink;

import static io.pgsnow.sink.UnitFixtures.POLICY;
import static io.pgsnow.sink.UnitFixtures.add;
import static io.pgsnow.sink.UnitFixtures.target;
import static io.pgsnow.sink.UnitFixtures.tp;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.sink.buffer.SealedFile;
import io.pgsnow.sink.ingest.StagePurge;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState;
import io.pgsnow.sink.recovery.LoadStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadConfirmationTest {

  private final FakeSnowpipe snowpipe = new FakeSnowpipe();
  private final List<LoadStatus> failed = new ArrayList<>();
  private final StagePurge purge = new StagePurge();
  private final UnitFixtures.ManualClock clock = new UnitFixtures.ManualClock();
  private final LoadConfirmation confirmation =
      new LoadConfirmation(snowpipe, failed::add, purge, true, UnitFixtures.metrics(), clock);
  private final PartitionState state = UnitFixtures.state(0);
  private final List<LoadConfirmation.Partition> partitions =
      List.of(new LoadConfirmation.Partition(tp(0), state, target(0)));

  /** Offsets 0-2 in a registered file, offset 3 buffered. */
  private StageFileName registeredFile() {
    add(state, 0, 2);
    SealedFile file = state.sealIfDue(POLICY, 0, false).orElseThrow();
    add(state, 3, 3);
    state.uploaded(file);
    StageFileName name = state.fileName(file);
    confirmation.registered(List.of(name.path()));
    state.transition(name, FileState.REGISTERED);
    return name;
  }

  @Test
  void aLoadedFileReleasesItsOffsetsAndIsQueuedForRemoval() throws Exception {
    StageFileName name = registeredFile();
    confirmation.confirm(partitions);
    assertThat(state.committableOffset()).as("no outcome yet").hasValue(0);

    snowpipe.loaded(name.path(), 3);
    confirmation.confirm(partitions);

    assertThat(state.committableOffset()).hasValue(3);
    assertThat(purge.pending()).isEqualTo(1);
    assertThat(failed).isEmpty();
  }

  @Test
  void aFileThatDidNotLoadIsMarkedFailedAndItsOffsetsStay() throws Exception {
    StageFileName name = registeredFile();
    snowpipe.failed(name.path(), "bad row");

    confirmation.confirm(partitions);

    assertThat(state.files(FileState.FAILED)).extracting(t -> t.name()).containsExactly(name);
    assertThat(failed).extracting(LoadStatus::firstError).containsExactly("bad row");
    assertThat(state.committableOffset()).hasValue(0);
  }

  @Test
  void aFileMissingFromInsertReportAfterTheGraceIsLookedUpInTheHistory() throws Exception {
    StageFileName name = registeredFile();
    confirmation.confirm(partitions);
    assertThat(snowpipe.historySince).as("within the grace insertReport suffices").isEmpty();

    clock.advance(LoadConfirmation.REPORT_GRACE.plusSeconds(1));
    snowpipe.history.put(
        name.path(), new LoadStatus(name.path(), LoadStatus.Status.LOADED, 3, 3, null));
    confirmation.confirm(partitions);

    assertThat(snowpipe.historySince)
        .containsExactly(
            clock
                .instant()
                .minus(LoadConfirmation.REPORT_GRACE.plusSeconds(1))
                .minus(Duration.ofHours(1)));
    assertThat(state.committableOffset()).hasValue(3);
  }
}
