package io.pgsnow.benchmarks;

import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.events.RecordSizeLimit;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import io.pgsnow.source.snapshot.CopyText;
import io.pgsnow.source.snapshot.SnapshotRecords;
import io.pgsnow.source.snapshot.SnapshotTable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A snapshot reader's CPU per row, without PostgreSQL, the queue or Kafka: a {@code COPY … TO
 * STDOUT} text line of {@link SnapshotThroughput}'s payroll table (bigserial key and 7 columns)
 * parsed, built into the snapshot record ({@code op=r}, the same code the readers run), given an
 * offset and measured by the record-size check, as {@code SnapshotEmitter} does. Scores are per
 * row.
 */
@State(Scope.Thread)
public class SnapshotRowBenchmark extends AverageTimeBenchmark {
  static final int ROWS = 1000;

  private static final int BIGINT = 20;
  private static final int INT4 = 23;
  private static final int TEXT = 25;

  private final byte[][] lines = new byte[ROWS][];
  private SnapshotRecords records;
  private SnapshotTable table;
  private Map<String, Object> offset;

  @Setup
  public void setUp() {
    for (int i = 0; i < ROWS; i++) {
      lines[i] =
          ((i + 1)
                  + "\tSheridan\tLezemere\t48\t674-68-7406\t23\tmale\tjpbi"
                  + i
                  + "@mycompany.com\n")
              .getBytes(StandardCharsets.UTF_8);
    }
    records = new SnapshotRecords(SourceHotPathBenchmark.settings("employee_id"), () -> 42L);
    PgOutputMessage.Relation relation =
        new PgOutputMessage.Relation(
            0,
            16_384,
            "public",
            "payroll",
            'd',
            List.of(
                new PgOutputMessage.Column(true, "employee_id", BIGINT, -1),
                new PgOutputMessage.Column(false, "first_name", TEXT, -1),
                new PgOutputMessage.Column(false, "last_name", TEXT, -1),
                new PgOutputMessage.Column(false, "age", INT4, -1),
                new PgOutputMessage.Column(false, "ssn", TEXT, -1),
                new PgOutputMessage.Column(false, "hourly_rate", INT4, -1),
                new PgOutputMessage.Column(false, "gender", TEXT, -1),
                new PgOutputMessage.Column(false, "email", TEXT, -1)));
    table =
        new SnapshotTable(
            new TableName("public", "payroll"),
            relation,
            new int[] {0},
            List.of("bigint", "text", "text", "integer", "text", "integer", "text", "text"),
            8_000,
            1_000_000,
            true);
    offset = new HashMap<>();
    offset.put("snapshot", "initial");
    offset.put("snapshot_progress", "1");
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public void parseBuildAndMeasure(Blackhole bh) {
    long readMillis = 1_700_000_000_000L;
    for (int i = 0; i < ROWS; i++) {
      SnapshotRecords.Row row =
          records.row(table, CopyText.parse(lines[i], 8), readMillis, "true", 0x1000, i);
      row.mark("true");
      SourceRecord record = row.toRecord(records.partition(), offset);
      bh.consume(RecordSizeLimit.lowerBound(record));
    }
  }
}
