package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.emulator.load.LoadRecord;
import io.pgsnow.sink.naming.StageFileName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 100,000 records over four partitions, while tasks restart and the emulator answers with 5xx and
 * responses slower than the client timeouts: every offset lands exactly once. A timed-out request
 * still takes effect on the emulator after the client gave up (a statement, a stage upload's PUT,
 * an insertFiles), which is the case that must not duplicate rows. And partitions recovered when
 * they are opened, from files a previous run left loaded or only staged.
 */
class ExactlyOnceIT {
  private static final int PARTITIONS = 4;
  private static final int RECORDS = 100_000;
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(2_500);
  private static final Duration BEYOND_TIMEOUT = CLIENT_TIMEOUT.multipliedBy(2);
  private static final int PER_PARTITION = 600;
  private static final String CONNECTOR = "reopen";
  private static final String TOPIC = "reopen";
  private static final String STAGE = "SNOWFLAKE_KAFKA_CONNECTOR_REOPEN_STAGE_REOPEN";

  @RegisterExtension static final SinkEnvironment ENV = new SinkEnvironment("sink-eo");

  private static void produce(int from, int to) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        ENV.connect.kafka().createProducer(Map.of("linger.ms", "20", "batch.size", "262144"))) {
      for (int i = from; i < to; i++) {
        producer.send(
            new ProducerRecord<>(
                "events",
                i % PARTITIONS,
                ("\"" + i + "\"").getBytes(StandardCharsets.UTF_8),
                ("{\"i\":" + i + ",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxx\"}")
                    .getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  /** Records {@code from} to {@code to} (exclusive) of each of the partitions of {@code reopen}. */
  private static void produceEach(int from, int to) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        ENV.connect.kafka().createProducer(Map.of("linger.ms", "20"))) {
      for (int i = from; i < to; i++) {
        for (int p = 0; p < PARTITIONS; p++) {
          int n = p * PER_PARTITION + i;
          producer.send(
              new ProducerRecord<>(
                  TOPIC,
                  p,
                  ("\"" + n + "\"").getBytes(StandardCharsets.UTF_8),
                  ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8)));
        }
      }
      producer.flush();
    }
  }

  private static List<StageFileName> staged(int partition) throws Exception {
    return rows(ENV.emulator, "LIST @" + STAGE).stream()
        .map(r -> r.get(0).substring(r.get(0).indexOf('/') + 1))
        .map(StageFileName::parse)
        .flatMap(Optional::stream)
        .filter(f -> f.directory().endsWith("/" + partition))
        .toList();
  }

  private static Set<String> loaded(int partition) {
    return ENV
        .emulator
        .loadHistory(
            SinkItSupport.DATABASE
                + ".PUBLIC.SNOWFLAKE_KAFKA_CONNECTOR_REOPEN_PIPE_REOPEN_"
                + partition)
        .stream()
        .filter(r -> r.status().equals("LOADED"))
        .map(LoadRecord::path)
        .collect(Collectors.toSet());
  }

  private static long lastStagedOffset(int partition) {
    try {
      return staged(partition).stream().mapToLong(StageFileName::endOffset).max().orElse(-1);
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * A task taking over partitions whose files a previous run left half done: some loaded, the later
   * ones staged but never registered (Snowpipe refused them until the run stopped), and the
   * committed offsets reset to the start. The partitions are recovered in parallel when they are
   * opened, and every record is then in the table exactly once: Kafka delivers all of them again,
   * those in files (loaded or staged) are skipped, and the staged files are registered.
   */
  @Test
  void partitionsRecoveredAtOpenLoadEveryRecordOnce() throws Exception {
    ENV.connect.kafka().createTopic(TOPIC, PARTITIONS);
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, TOPIC, false);
    // Files of 100 records, several per partition and half; loaded files kept on the stage.
    config.putAll(
        Map.of(
            "buffer.count.records",
            "100",
            "buffer.flush.time",
            "1",
            SnowflakeSinkConfig.PURGE_LOADED,
            "false"));
    ENV.connect.createConnector(CONNECTOR, config);
    ENV.connect.awaitRunning(CONNECTOR, 1, TIMEOUT);

    int half = PER_PARTITION / 2;
    produceEach(0, half);
    await("the first half loaded")
        .atMost(TIMEOUT)
        .until(
            () ->
                count(ENV.emulator, "SELECT COUNT(*) FROM REOPEN") == (long) half * PARTITIONS
                    && ENV.emulator.pendingLoads() == 0);

    // Snowpipe refuses every file of the second half: they stay staged, unregistered.
    ENV.emulator.faults().failRequests(Endpoint.INSERT_FILES, 503, 1_000_000);
    produceEach(half, PER_PARTITION);
    for (int p = 0; p < PARTITIONS; p++) {
      int partition = p;
      await("the second half of partition " + p + " staged")
          .atMost(TIMEOUT)
          .until(() -> lastStagedOffset(partition) == PER_PARTITION - 1);
    }
    ENV.connect.connect().stopConnector(CONNECTOR);
    await("stopped")
        .atMost(TIMEOUT)
        .until(() -> SinkItSupport.taskState(ENV.connect, CONNECTOR).equals("NONE"));
    for (int p = 0; p < PARTITIONS; p++) {
      Set<String> loaded = loaded(p);
      List<String> staged = staged(p).stream().map(StageFileName::path).toList();
      assertThat(loaded).as("loaded files of partition %d", p).isNotEmpty();
      assertThat(staged).as("staged files of partition %d", p).containsAll(loaded);
      assertThat(staged.stream().filter(f -> !loaded.contains(f)))
          .as("files of partition %d staged, not loaded", p)
          .isNotEmpty();
    }
    ENV.connect.connect().resetConnectorOffsets(CONNECTOR);
    ENV.emulator.faults().clear();
    ENV.connect.connect().resumeConnector(CONNECTOR);
    ENV.connect.awaitRunning(CONNECTOR, 1, TIMEOUT);

    await("all rows")
        .atMost(TIMEOUT)
        .until(
            () ->
                count(ENV.emulator, "SELECT COUNT(*) FROM REOPEN")
                        >= (long) PER_PARTITION * PARTITIONS
                    && ENV.emulator.pendingLoads() == 0);
    assertEveryOffsetOnce("REOPEN", "n", PER_PARTITION);
    ENV.connect.connect().deleteConnector(CONNECTOR);
  }

  @Test
  void everyOffsetLandsOnceDespiteRestartsAndFaults() throws Exception {
    ENV.connect.kafka().createTopic("events", PARTITIONS);
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "events", false);
    config.put("tasks.max", "2");
    config.put("buffer.count.records", "4000");
    config.put("buffer.flush.time", "2");
    config.put("snowflake.retry.backoff.ms", "200");
    config.put("snowflake.network.timeout.ms", Long.toString(CLIENT_TIMEOUT.toMillis()));
    config.put("snowflake.snowpipe.request.timeout.ms", Long.toString(CLIENT_TIMEOUT.toMillis()));
    ENV.connect.createConnector("eo", config);
    ENV.connect.awaitRunning("eo", 2, TIMEOUT);

    produce(0, RECORDS / 2);
    ENV.emulator.faults().failRequests(Endpoint.STAGE_FILES, 503, 3);
    ENV.emulator.faults().failRequests(Endpoint.INSERT_FILES, 503, 3);
    ENV.emulator.faults().failRequests(Endpoint.INSERT_REPORT, 500, 5);
    ENV.emulator.faults().delayRequests(Endpoint.QUERY, BEYOND_TIMEOUT, 3);
    ENV.emulator.faults().delayRequests(Endpoint.INSERT_FILES, BEYOND_TIMEOUT, 2);
    ENV.emulator.faults().delayRequests(Endpoint.INSERT_REPORT, BEYOND_TIMEOUT, 2);
    await("first rows")
        .atMost(TIMEOUT)
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM EVENTS") > 0);
    ENV.connect.connect().restartTask("eo", 0);
    produce(RECORDS / 2, RECORDS);
    ENV.emulator.faults().failRequests(Endpoint.INSERT_FILES, 503, 2);
    ENV.emulator.faults().delayRequests(Endpoint.INSERT_FILES, BEYOND_TIMEOUT, 2);
    ENV.emulator.faults().delayRequests(Endpoint.QUERY, BEYOND_TIMEOUT, 2);
    ENV.emulator.expireSessions();
    ENV.connect.connect().restartTask("eo", 1);
    ENV.connect.awaitRunning("eo", 2, TIMEOUT);
    ENV.connect.connect().restartConnectorAndTasks("eo", false, false, false);
    ENV.connect.awaitRunning("eo", 2, TIMEOUT);

    await("all rows")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM EVENTS") >= RECORDS);
    await("no loads pending").atMost(TIMEOUT).until(() -> ENV.emulator.pendingLoads() == 0);

    assertEveryOffsetOnce("EVENTS", "i", RECORDS / PARTITIONS);
    ENV.connect.connect().deleteConnector("eo");
  }

  /**
   * The table holds each offset of each partition once, {@code perPartition} from 0, and each value
   * of the record's {@code field} once.
   */
  private static void assertEveryOffsetOnce(String table, String field, int perPartition)
      throws Exception {
    long all = (long) perPartition * PARTITIONS;
    assertThat(count(ENV.emulator, "SELECT COUNT(*) FROM " + table)).isEqualTo(all);
    assertThat(
            count(
                ENV.emulator,
                "SELECT COUNT(DISTINCT RECORD_CONTENT:" + field + "::NUMBER) FROM " + table))
        .isEqualTo(all);
    List<List<String>> rowsPerPartition =
        rows(
            ENV.emulator,
            "SELECT RECORD_METADATA:partition::NUMBER AS P, COUNT(*),"
                + " COUNT(DISTINCT RECORD_METADATA:offset::NUMBER),"
                + " MIN(RECORD_METADATA:offset::NUMBER), MAX(RECORD_METADATA:offset::NUMBER)"
                + " FROM "
                + table
                + " GROUP BY 1 ORDER BY 1");
    assertThat(rowsPerPartition).hasSize(PARTITIONS);
    String n = Integer.toString(perPartition);
    for (List<String> row : rowsPerPartition) {
      assertThat(row.subList(1, 5))
          .as("partition %s", row.get(0))
          .containsExactly(n, n, "0", Integer.toString(perPartition - 1));
    }
  }
}
