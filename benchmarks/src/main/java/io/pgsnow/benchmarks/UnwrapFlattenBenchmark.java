package io.pgsnow.benchmarks;

import io.debezium.transforms.ExtractNewRecordState;
import io.pgsnow.smt.Flatten;
import io.pgsnow.smt.UnwrapChangeEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Unwrap + flatten of Debezium PostgreSQL change events (payroll rows with two nested structs,
 * inserts and updates alternating): pgsnow's {@code UnwrapChangeEvent.Value} then {@code
 * Flatten.Value} against Debezium's {@code ExtractNewRecordState} then Kafka's {@code
 * Flatten$Value}, on the same records in the same run. Each operation transforms one record.
 */
@State(Scope.Thread)
public class UnwrapFlattenBenchmark extends AverageTimeBenchmark {
  private static final int RECORDS = 4096;

  /** Envelope fields copied into the row: none, or the usual op/table/lsn/source time. */
  @Param({"none", "op,table,lsn,source.ts_ms"})
  public String addFields;

  private List<SourceRecord> records;
  int next;
  private Transformation<SourceRecord> pgsnowUnwrap;
  private Transformation<SourceRecord> pgsnowFlatten;
  private Transformation<SourceRecord> debeziumUnwrap;
  private Transformation<SourceRecord> kafkaFlatten;

  @Setup
  public void setUp() {
    records = PayrollData.payrollChanges(RECORDS, 42);
    Map<String, String> unwrap = new HashMap<>();
    if (!"none".equals(addFields)) {
      unwrap.put("add.fields", addFields);
    }
    pgsnowUnwrap = configured(new UnwrapChangeEvent.Value<>(), unwrap);
    pgsnowFlatten = configured(new Flatten.Value<>(), Map.of("delimiter", "_"));
    debeziumUnwrap = configured(new ExtractNewRecordState<>(), unwrap);
    kafkaFlatten =
        configured(
            new org.apache.kafka.connect.transforms.Flatten.Value<>(), Map.of("delimiter", "_"));
  }

  static Transformation<SourceRecord> configured(
      Transformation<SourceRecord> transform, Map<String, String> props) {
    transform.configure(props);
    return transform;
  }

  @TearDown
  public void tearDown() {
    pgsnowUnwrap.close();
    pgsnowFlatten.close();
    debeziumUnwrap.close();
    kafkaFlatten.close();
  }

  private SourceRecord nextRecord() {
    SourceRecord record = records.get(next);
    next = (next + 1) % RECORDS;
    return record;
  }

  @Benchmark
  public SourceRecord pgsnowUnwrapFlatten() {
    return pgsnowFlatten.apply(pgsnowUnwrap.apply(nextRecord()));
  }

  @Benchmark
  public SourceRecord debeziumUnwrapKafkaFlatten() {
    return kafkaFlatten.apply(debeziumUnwrap.apply(nextRecord()));
  }

  @Benchmark
  public SourceRecord pgsnowUnwrap() {
    return pgsnowUnwrap.apply(nextRecord());
  }

  @Benchmark
  public SourceRecord debeziumUnwrap() {
    return debeziumUnwrap.apply(nextRecord());
  }
}
