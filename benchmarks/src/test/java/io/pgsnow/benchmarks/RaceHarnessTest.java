package io.pgsnow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.emulator.load.FileLoadResult;
import io.pgsnow.emulator.load.LoadRecord;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pieces of the sink race and the end-to-end latency harness, without timing anything: the
 * records are the seed's payroll rows, the figures are read the way the tables state them, and the
 * demo's configs are the ones run.
 */
class RaceHarnessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void raceRecordsAreTheSeedsPayrollRows() throws Exception {
    JsonNode value = JSON.readTree(PayrollJson.value(1081));
    assertThat(value.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly(
            "employee_id",
            "first_name",
            "last_name",
            "age",
            "ssn",
            "hourly_rate",
            "gender",
            "email");
    assertThat(value.get("employee_id").asLong()).isEqualTo(1081);
    assertThat(value.get("ssn").asText()).matches("\\d{3}-\\d{2}-\\d{4}");
    assertThat(JSON.readTree(PayrollJson.key(1081)).get("employee_id").asLong()).isEqualTo(1081);
  }

  @Test
  void peakHeapCountsOnlyCollectionsAfterTheConnectorStarted() {
    String log =
        String.join(
            "\n",
            "[0.004s][info][gc] Using G1",
            "[2.811s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 900M->700M(1024M) 2ms",
            "[12.5s][info][gc] GC(4) Pause Young (Normal) (G1 Evacuation Pause) 123M->45M(380M) 5ms",
            "[13.0s][info][gc] GC(5) Pause Remark 87M->87M(304M) 34.477ms");
    assertThat(GcLogHeap.parse(log, 10.0)).isEqualTo(new GcLogHeap(123, 87, 2));
    assertThat(GcLogHeap.parse(log, 0).peakBeforeGcMb()).isEqualTo(900);
  }

  @Test
  void latencyPercentilesByNearestRankOverRowsSeen() {
    Map<Long, Long> committed = new java.util.HashMap<>();
    Map<Long, Long> seen = new java.util.HashMap<>();
    for (long id = 1; id <= 100; id++) {
      committed.put(id, 1_000L);
      seen.put(id, 1_000L + id * 10);
    }
    committed.put(101L, 1_000L); // never seen: not a latency
    Latencies l = Latencies.of(committed, seen);
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.percentile(50)).isEqualTo(500);
    assertThat(l.percentile(99)).isEqualTo(990);
    assertThat(l.max()).isEqualTo(1000);
  }

  @Test
  void filesAreCountedOncePerLoadedPath() {
    List<LoadRecord> loads =
        List.of(
            load("P0", "a.json.gz", 100, loaded(10)),
            load("P0", "a.json.gz", 100, loaded(10)),
            load("P1", "a.json.gz", 300, loaded(30)),
            load("P1", "b.json.gz", 999, FileLoadResult.failed("Error parsing JSON", 1)));
    assertThat(SinkRace.LoadTally.of(loads)).isEqualTo(new SinkRace.LoadTally(2, 400));
  }

  private static FileLoadResult loaded(long rows) {
    return new FileLoadResult(
        FileLoadResult.Status.LOADED, rows, rows, 0, Optional.empty(), Optional.empty());
  }

  private static LoadRecord load(String pipe, String path, long size, FileLoadResult result) {
    return new LoadRecord(1, pipe, path, "STAGE", size, Instant.EPOCH, Instant.EPOCH, result);
  }

  @Test
  void workersLoadEachSinkFromItsPluginDirectoryOnly() {
    String classPath =
        String.join(
            File.pathSeparator,
            "/m2/org/apache/kafka/connect-runtime-4.3.1.jar",
            "/work/sink-connector/target/pgsnow-sink-connector-0.1.0-SNAPSHOT.jar",
            "/m2/net/snowflake/snowflake-jdbc-4.4.1.jar",
            "/work/benchmarks/target/classes");
    assertThat(SinkRace.workerClassPath(classPath))
        .containsExactly("/m2/org/apache/kafka/connect-runtime-4.3.1.jar");
  }

  @Test
  void demoConfigsAreRunWithTheirPlaceholdersAndSecretsFilledIn() throws Exception {
    Map<String, String> values =
        Map.of("${SNOWFLAKE_URL}", "http://127.0.0.1:1234", "${SNOWFLAKE_USER}", "KAFKA_SINK");
    Map<String, String> sink =
        EndToEndLatency.connectorConfig(
            Path.of("..").resolve(EndToEndLatency.SINK),
            values,
            Map.of("snowflake.private.key", "MIIkey"));
    assertThat(sink)
        .containsEntry("snowflake.url.name", "http://127.0.0.1:1234")
        .containsEntry("snowflake.private.key", "MIIkey")
        .containsEntry("buffer.flush.time", "2");
    assertThat(sink.values()).noneMatch(v -> v.contains("${"));
    Map<String, String> source =
        EndToEndLatency.connectorConfig(
            Path.of("..").resolve(EndToEndLatency.SOURCE),
            Map.of("${PG_HOST}", "127.0.0.1"),
            Map.of("database.password", "pw"));
    assertThat(source)
        .containsEntry("database.hostname", "127.0.0.1")
        .containsEntry("database.password", "pw");
  }
}
