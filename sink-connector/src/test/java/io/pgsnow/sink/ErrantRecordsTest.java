package io.pgsnow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ErrantRecordsTest {

  private final SinkRecord record = new SinkRecord("orders", 2, null, null, null, "x", 41);

  @Test
  void withoutAReporterABadRecordFailsTheTaskNamingWhereItIs() {
    ErrantRecords errant = new ErrantRecords(null, UnitFixtures.metrics());
    assertThatThrownBy(() -> errant.badRecord(record, new DataException("not JSON")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic orders, partition 2, offset 41")
        .hasMessageContaining("not JSON");
  }

  @Test
  void reportsBadRecordsAndRecordsOfRejectedFiles() {
    List<Throwable> reported = new ArrayList<>();
    ErrantRecords errant =
        new ErrantRecords(
            (r, e) -> {
              reported.add(e);
              return CompletableFuture.completedFuture(null);
            },
            UnitFixtures.metrics());
    errant.badRecord(record, new DataException("not JSON"));
    var file =
        io.pgsnow.sink.naming.StageFileName.of(
            UnitFixtures.target(2).directory(), "orders", 40, 49);
    errant.rejected(UnitFixtures.tp(2), record, file);
    errant.awaitRejected();
    assertThat(reported)
        .extracting(Throwable::getMessage)
        .containsExactly("not JSON", FailedLoads.rejected(file));
  }
}
