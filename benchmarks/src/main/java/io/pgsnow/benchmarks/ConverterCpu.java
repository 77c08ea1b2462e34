package io.pgsnow.benchmarks;

import io.pgsnow.converter.FastJsonConverter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;

/**
 * The converters' CPU per record, measured as this thread's CPU time (not wall time) so that a
 * shared machine's load stretches neither side: JsonConverter and FastJsonConverter take turns on
 * the same records, round after round, and each reports the median of its rounds. Same records and
 * shapes as {@link ConverterBenchmark}.
 *
 * <p>Usage: {@code ConverterCpu [records per round=20000] [rounds=7]}; run through {@code
 * benchmarks/run converter}.
 */
public final class ConverterCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ConverterCpu() {}

  public static void main(String[] args) throws Exception {
    int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%-8s %-8s %16s %20s %7s %8s",
            "shape",
            "schemas",
            "JsonConverter us",
            "FastJsonConverter us",
            "ratio",
            "bytes"));
    try (LoadAverage load = LoadAverage.sample()) {
      for (String shape : List.of("payroll", "wide50")) {
        List<SourceRecord> records =
            "payroll".equals(shape)
                ? PayrollData.payrollChanges(1024, 7)
                : ConverterBenchmark.wideRows(1024);
        for (String schemas : List.of("true", "false")) {
          Converter json = new JsonConverter();
          json.configure(Map.of("schemas.enable", schemas), false);
          Converter fast = new FastJsonConverter();
          fast.configure(Map.of("schemas.enable", schemas), false);
          long bytes = 0;
          for (SourceRecord r : records) {
            byte[] expected = json.fromConnectData(r.topic(), r.valueSchema(), r.value());
            if (!Arrays.equals(
                expected, fast.fromConnectData(r.topic(), r.valueSchema(), r.value()))) {
              throw new IllegalStateException("FastJsonConverter wrote other bytes for " + r);
            }
            bytes += expected.length;
          }
          // Warm-up: both through the JIT before any round counts.
          for (int i = 0; i < 3; i++) {
            cpuMicrosPerRecord(json, records, perRound);
            cpuMicrosPerRecord(fast, records, perRound);
          }
          double[] jsonRounds = new double[rounds];
          double[] fastRounds = new double[rounds];
          for (int i = 0; i < rounds; i++) {
            jsonRounds[i] = cpuMicrosPerRecord(json, records, perRound);
            fastRounds[i] = cpuMicrosPerRecord(fast, records, perRound);
          }
          double jsonMedian = median(jsonRounds);
          double fastMedian = median(fastRounds);
          lines.add(
              String.format(
                  Locale.ROOT,
                  "%-8s %-8s %16.2f %20.2f %6.2fx %8d",
                  shape,
                  schemas,
                  jsonMedian,
                  fastMedian,
                  jsonMedian / fastMedian,
                  bytes / records.size()));
        }
      }
      lines.add("load average (1 min) during the run: " + load.range());
    }
    String report = String.join("\n", lines);
    Files.writeString(Path.of("benchmarks", "target", "converter-result.txt"), report + "\n");
    System.out.println(report);
  }

  private static double cpuMicrosPerRecord(
      Converter converter, List<SourceRecord> records, int count) {
    long sink = 0;
    long start = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < count; i++) {
      SourceRecord r = records.get(i & (records.size() - 1));
      sink += converter.fromConnectData(r.topic(), r.valueSchema(), r.value()).length;
    }
    long cpu = THREADS.getCurrentThreadCpuTime() - start;
    if (sink == 0) {
      throw new IllegalStateException("no bytes");
    }
    return cpu / 1000.0 / count;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
