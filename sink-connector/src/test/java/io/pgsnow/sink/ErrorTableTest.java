package io.pgsnow.sink;

import static io.pgsnow.sink.UnitFixtures.target;
import static io.pgsnow.sink.UnitFixtures.tp;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.sink.ddl.DdlBuilder;
import io.pgsnow.sink.ingest.ObjectProvisioner;
import io.pgsnow.sink.naming.Identifier;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.recovery.LoadStatus;
import org.junit.jupiter.api.Test;

class ErrorTableTest {

  private final FakeSession session = new FakeSession();
  private final UnitFixtures.ManualClock clock = new UnitFixtures.ManualClock();
  private final Identifier name = Identifier.of("C_ERRORS");
  private final ErrorTable table =
      new ErrorTable(session, new ObjectProvisioner(session, false), name, clock);

  @Test
  void namesEachFailedFileOnceTheTableExists() throws Exception {
    Target target = target(0);
    StageFileName file = StageFileName.of(target.directory(), "orders", 10, 19);
    LoadStatus status = new LoadStatus(file.path(), LoadStatus.Status.LOAD_FAILED, 10, 0, "bad");

    table.record(tp(0), target, file, status);
    table.record(tp(0), target, file.nextAttempt(), status);

    assertThat(session.statements())
        .containsExactly(
            DdlBuilder.createErrorTable(name),
            DdlBuilder.insertError(name),
            DdlBuilder.insertError(name));
    assertThat(session.calls.get(1).binds())
        .containsExactly(
            file.path(),
            "ORDERS",
            target.pipe(),
            "orders",
            0,
            10L,
            19L,
            "LOAD_FAILED",
            10L,
            0L,
            "bad",
            clock.instant().toString(),
            file.path(),
            target.pipe());
  }
}
