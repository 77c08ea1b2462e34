package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.emulator.fault.Endpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 100,000 records over four partitions, while tasks restart and the emulator answers with 5xx and
 * responses slower than the client timeouts: every offset lands exactly once. A timed-out request
 * still takes effect on the emulator after the client gave up (a statement, a stage upload's PUT,
 * an insertFiles), which is the case that must not duplicate rows.
 */
class ExactlyOnceIT {
  private static final int PARTITIONS = 4;
  private static final int RECORDS = 100_000;
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(2_500);
  private static final Duration BEYOND_TIMEOUT = CLIENT_TIMEOUT.multipliedBy(2);

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

    assertThat(count(ENV.emulator, "SELECT COUNT(*) FROM EVENTS")).isEqualTo(RECORDS);
    assertThat(count(ENV.emulator, "SELECT COUNT(DISTINCT RECORD_CONTENT:i::NUMBER) FROM EVENTS"))
        .isEqualTo(RECORDS);
    List<List<String>> perPartition =
        rows(
            ENV.emulator,
            "SELECT RECORD_METADATA:partition::NUMBER AS P, COUNT(*),"
                + " COUNT(DISTINCT RECORD_METADATA:offset::NUMBER),"
                + " MIN(RECORD_METADATA:offset::NUMBER), MAX(RECORD_METADATA:offset::NUMBER)"
                + " FROM EVENTS GROUP BY 1 ORDER BY 1");
    assertThat(perPartition).hasSize(PARTITIONS);
    for (List<String> row : perPartition) {
      String n = Integer.toString(RECORDS / PARTITIONS);
      assertThat(row.subList(1, 5))
          .as("partition %s", row.get(0))
          .containsExactly(n, n, "0", Integer.toString(RECORDS / PARTITIONS - 1));
    }
  }
}
