package io.pgsnow.benchmarks;

import io.pgsnow.sink.buffer.MetadataFields;
import io.pgsnow.sink.buffer.PartitionBuffer;
import io.pgsnow.sink.buffer.RowSerializer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * CPU of the sink's put() thread per record, without Snowflake: each record becomes a row of the
 * official connector's shape ({@link RowSerializer}) and goes into a partition's gzip buffer
 * ({@link PartitionBuffer}), sealed every {@code buffer.count.records} (10,000) rows, as put() does
 * before any upload. Records are the seed's payroll rows as the JSON converter delivers them:
 * schemaless maps (schemas.enable=false, the workload) and structs (schemas.enable=true),
 * each with a key, a CreateTime and one header. CPU time is the thread's own ({@link
 * ThreadMXBean#getCurrentThreadCpuTime()}), so other work on the machine inflates it less than wall
 * time; the best and the median of several rounds after two warm-up rounds are reported.
 *
 * <p>Usage: {@code SinkPutCpu [records=200000] [rounds=7]}; run through {@code benchmarks/run
 * sink}.
 */
public final class SinkPutCpu {
  private static final int FILE_RECORDS = 10_000;

  private SinkPutCpu() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    StringBuilder report = new StringBuilder();
    for (boolean schemas : new boolean[] {false, true}) {
      List<SinkRecord> records = records(count, schemas);
      for (boolean schematized : new boolean[] {false, true}) {
        String line = measure(records, schematized, rounds, schemas ? "struct" : "schemaless");
        System.out.print(line);
        report.append(line);
      }
      String gzipOnly = measureGzip(records, rounds, schemas ? "struct" : "schemaless");
      System.out.print(gzipOnly);
      report.append(gzipOnly);
    }
    Files.writeString(Path.of("benchmarks", "target", "sink-put-result.txt"), report.toString());
  }

  private static String measure(
      List<SinkRecord> records, boolean schematized, int rounds, String shape) {
    RowSerializer serializer = new RowSerializer(MetadataFields.ALL, schematized);
    long[] gzipBytes = new long[1];
    double[] cpu =
        cpuPerRecord(rounds, records.size(), () -> gzipBytes[0] = put(records, serializer));
    return line(shape, schematized ? "schematized" : "plain", records.size(), cpu)
        + String.format(
            Locale.ROOT, "  gzip bytes/record %.1f%n", (double) gzipBytes[0] / records.size());
  }

  /** The gzip buffer alone, fed rows serialised beforehand: the floor of the put() path. */
  private static String measureGzip(List<SinkRecord> records, int rounds, String shape) {
    RowSerializer serializer = new RowSerializer(MetadataFields.ALL, false);
    List<byte[]> rows = new ArrayList<>(records.size());
    for (SinkRecord record : records) {
      rows.add(serializer.row(record).bytes());
    }
    double[] cpu =
        cpuPerRecord(
            rounds,
            rows.size(),
            () -> {
              PartitionBuffer buffer = new PartitionBuffer();
              for (int i = 0; i < rows.size(); i++) {
                buffer.add(i, rows.get(i), 0L);
                if (buffer.records() >= FILE_RECORDS) {
                  buffer.seal();
                }
              }
            });
    return line(shape, "gzip only", rows.size(), cpu) + System.lineSeparator();
  }

  /**
   * This thread's CPU µs per record of {@code work}, per round after two warm-up rounds, sorted.
   */
  private static double[] cpuPerRecord(int rounds, int records, Runnable work) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] cpuMicros = new double[rounds];
    for (int round = -2; round < rounds; round++) {
      long cpu = threads.getCurrentThreadCpuTime();
      work.run();
      double perRecord = (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / records;
      if (round >= 0) {
        cpuMicros[round] = perRecord;
      }
    }
    Arrays.sort(cpuMicros);
    return cpuMicros;
  }

  private static String line(String shape, String path, int records, double[] cpuMicros) {
    return String.format(
        Locale.ROOT,
        "%-10s %-12s records=%d  CPU us/record best %.2f median %.2f",
        shape,
        path,
        records,
        cpuMicros[0],
        cpuMicros[cpuMicros.length / 2]);
  }

  /** What put() does per record before Snowflake I/O; returns the gzip bytes of the files. */
  private static long put(List<SinkRecord> records, RowSerializer serializer) {
    PartitionBuffer buffer = new PartitionBuffer();
    long gzipBytes = 0;
    for (SinkRecord record : records) {
      RowSerializer.Row row = serializer.row(record);
      buffer.add(record.kafkaOffset(), row.buffer(), row.length(), 0L);
      if (buffer.records() >= FILE_RECORDS) {
        gzipBytes += buffer.seal().gzip().length;
      }
    }
    if (!buffer.isEmpty()) {
      gzipBytes += buffer.seal().gzip().length;
    }
    return gzipBytes;
  }

  private static List<SinkRecord> records(int count, boolean schemas) {
    JsonConverter writer = converter(true);
    JsonConverter reader = converter(schemas);
    JsonConverter plain = converter(false);
    List<SinkRecord> records = new ArrayList<>(count);
    for (int id = 0; id < count; id++) {
      byte[] json =
          (schemas ? writer : plain)
              .fromConnectData(
                  PayrollData.PAYROLL_TOPIC, PayrollData.PAYROLL_ROW, PayrollData.employee(id));
      SchemaAndValue value = reader.toConnectData(PayrollData.PAYROLL_TOPIC, json);
      SinkRecord record =
          new SinkRecord(
              PayrollData.PAYROLL_TOPIC,
              0,
              null,
              Map.of("employee_id", (long) id),
              value.schema(),
              value.value(),
              id,
              1_700_000_000_000L + id,
              TimestampType.CREATE_TIME);
      record.headers().addString("source", "pgsnow");
      records.add(record);
    }
    return records;
  }

  private static JsonConverter converter(boolean schemas) {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", String.valueOf(schemas)), false);
    return converter;
  }
}
