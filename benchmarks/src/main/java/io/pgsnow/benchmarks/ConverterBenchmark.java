package io.pgsnow.benchmarks;

import io.pgsnow.converter.FastJsonConverter;
import io.pgsnow.source.events.SourceInfo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The value converter's cost per record, which a source task pays on its own thread for every row:
 * Kafka's {@code JsonConverter} against pgsnow's {@code FastJsonConverter} (the same bytes, checked
 * in the set-up), with and without schemas, on the payroll change events and on a wide row of 50
 * columns (about 2 KB of JSON) in the same envelope. Each operation converts one record's value.
 */
@State(Scope.Thread)
@Fork(1)
public class ConverterBenchmark extends AverageTimeBenchmark {
  private static final int RECORDS = 1024;

  @Param({"payroll", "wide50"})
  public String shape;

  @Param({"true", "false"})
  public String schemas;

  private List<SourceRecord> records;
  int next;
  private Converter json;
  private Converter fast;

  @Setup
  public void setUp() {
    records = "payroll".equals(shape) ? PayrollData.payrollChanges(RECORDS, 7) : wideRows(RECORDS);
    json = new JsonConverter();
    json.configure(Map.of("schemas.enable", schemas), false);
    fast = new FastJsonConverter();
    fast.configure(Map.of("schemas.enable", schemas), false);
    for (SourceRecord r : records) {
      byte[] expected = json.fromConnectData(r.topic(), r.valueSchema(), r.value());
      if (!Arrays.equals(expected, fast.fromConnectData(r.topic(), r.valueSchema(), r.value()))) {
        throw new IllegalStateException("FastJsonConverter wrote other bytes for " + r);
      }
    }
  }

  @Benchmark
  public byte[] jsonConverter() {
    return convert(json);
  }

  @Benchmark
  public byte[] fastJsonConverter() {
    return convert(fast);
  }

  private byte[] convert(Converter converter) {
    SourceRecord r = records.get(next++ & (RECORDS - 1));
    return converter.fromConnectData(r.topic(), r.valueSchema(), r.value());
  }

  /** Inserts of a 50-column row: ids, text, decimals, timestamps, flags, doubles, some nulls. */
  static List<SourceRecord> wideRows(int count) {
    SchemaBuilder row = SchemaBuilder.struct().name("pg.public.wide.Value").optional();
    for (int c = 0; c < 50; c++) {
      row.field("c" + c, columnSchema(c));
    }
    Schema rowSchema = row.build();
    Schema envelope =
        SchemaBuilder.struct()
            .name("pg.public.wide.Envelope")
            .version(2)
            .field("before", rowSchema)
            .field("after", rowSchema)
            .field("source", SourceInfo.SCHEMA)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    SourceRecord template = PayrollData.payrollChanges(1, 3).get(0);
    Struct source = ((Struct) template.value()).getStruct("source");
    List<SourceRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Struct after = new Struct(rowSchema);
      for (int c = 0; c < 50; c++) {
        after.put("c" + c, columnValue(c, i));
      }
      Struct value =
          new Struct(envelope)
              .put("after", after)
              .put("source", source)
              .put("op", "c")
              .put("ts_ms", 1_700_000_000_000L + i);
      records.add(new SourceRecord(null, null, "pg.public.wide", 0, null, null, envelope, value));
    }
    return records;
  }

  private static Schema columnSchema(int c) {
    return switch (c % 6) {
      case 0 -> c == 0 ? Schema.INT64_SCHEMA : Schema.OPTIONAL_INT64_SCHEMA;
      case 1 -> Schema.OPTIONAL_STRING_SCHEMA;
      case 2 -> Decimal.builder(2).optional().build();
      case 3 -> Timestamp.builder().optional().build();
      case 4 -> Schema.OPTIONAL_BOOLEAN_SCHEMA;
      default -> Schema.OPTIONAL_FLOAT64_SCHEMA;
    };
  }

  private static Object columnValue(int c, int i) {
    if (c > 0 && (c + i) % 11 == 0) {
      return null;
    }
    return switch (c % 6) {
      case 0 -> (long) i * 50 + c;
      case 1 ->
          "text value "
              + c
              + " of row "
              + i
              + " with some words, and a few more to make it"
              + " as long as an address line";
      case 2 -> BigDecimal.valueOf(i * 1_000L + c, 2);
      case 3 -> new java.util.Date(1_700_000_000_000L + i * 1000L + c);
      case 4 -> (i + c) % 2 == 0;
      default -> i * 0.25 + c;
    };
  }
}
