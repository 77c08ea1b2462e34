package io.pgsnow.sink;

import io.pgsnow.sink.ddl.DdlBuilder;
import io.pgsnow.sink.ingest.ObjectProvisioner;
import io.pgsnow.sink.ingest.Session;
import io.pgsnow.sink.naming.Identifier;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.recovery.LoadStatus;
import java.sql.SQLException;
import java.time.Clock;
import org.apache.kafka.common.TopicPartition;

/** The table naming each file Snowpipe could not load, created when the first one is named. */
final class ErrorTable {

  private final Session session;
  private final ObjectProvisioner provisioner;
  private final Identifier table;
  private final Clock clock;

  ErrorTable(Session session, ObjectProvisioner provisioner, Identifier table, Clock clock) {
    this.session = session;
    this.provisioner = provisioner;
    this.table = table;
    this.clock = clock;
  }

  Identifier name() {
    return table;
  }

  /** Names the file; a repeated insert after a crash adds no second row. */
  void record(TopicPartition tp, Target target, StageFileName file, LoadStatus status)
      throws SQLException {
    provisioner.ensureErrorTable(table);
    String path = file.path();
    session.update(
        DdlBuilder.insertError(table),
        path,
        target.table().resolved(),
        target.pipe(),
        tp.topic(),
        tp.partition(),
        file.startOffset(),
        file.endOffset(),
        status.status().name(),
        status.rowsParsed(),
        status.rowsLoaded(),
        String.valueOf(status.firstError()),
        clock.instant().toString(),
        path,
        target.pipe());
  }
}
