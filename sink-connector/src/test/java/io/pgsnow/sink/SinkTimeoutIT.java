package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.emulator.fault.RequestJournal;
import io.pgsnow.emulator.fault.RequestJournal.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Snowflake stops answering while the task works: key-pair logins get no answer, statements run far
 * longer than the statement timeout, and statements get no answer at all. Driver 3.24 alone would
 * retry such a login forever and wait minutes for each statement; the task gives up on each call
 * after its timeout, retries, and still loads every record exactly once. The faults last minutes
 * unless the task ends them, so a task that waited for them would not get through them within the
 * bound.
 */
class SinkTimeoutIT {
  private static final int PARTITIONS = 2;
  private static final int RECORDS = 2_000;
  private static final Duration STARTUP = Duration.ofMinutes(2);
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(2);

  /** Far longer than the progress bound: only the task giving up on a call ends it in time. */
  private static final Duration STALL = Duration.ofMinutes(5);

  /** Generous next to the few seconds the task needs; short next to the stalls. */
  private static final Duration PROGRESS = Duration.ofSeconds(90);

  @RegisterExtension static final SinkEnvironment ENV = new SinkEnvironment("sink-timeouts");

  private static void produce() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = ENV.connect.kafka().createProducer(Map.of())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(
            new ProducerRecord<>(
                "slow",
                i % PARTITIONS,
                ("\"" + i + "\"").getBytes(StandardCharsets.UTF_8),
                ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private static long requests(Predicate<RecordedRequest> which) {
    return ENV.emulator.requests().stream().filter(which).count();
  }

  @Test
  void unansweredLoginsAndStatementsAreAbandonedAndEveryRecordLandsOnce() throws Exception {
    ENV.connect.kafka().createTopic("slow", PARTITIONS);
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "slow", false);
    config.put("buffer.count.records", "250");
    config.put("buffer.flush.time", "1");
    config.put("snowflake.retry.backoff.ms", "200");
    config.put("snowflake.retry.max.attempts", "1000");
    config.put("snowflake.statement.timeout.ms", Long.toString(STATEMENT_TIMEOUT.toMillis()));
    config.put("snowflake.login.timeout.ms", Long.toString(LOGIN_TIMEOUT.toMillis()));
    config.put("snowflake.network.timeout.ms", Long.toString(NETWORK_TIMEOUT.toMillis()));
    ENV.connect.createConnector("timeouts", config);
    ENV.connect.awaitRunning("timeouts", 1, STARTUP);

    // The task logs in at its first record. Faults of one endpoint are used in the order armed.
    ENV.emulator.faults().timeoutRequests(Endpoint.LOGIN, STALL, 2);
    ENV.emulator.faults().delayRequests(Endpoint.QUERY, STALL, 3);
    ENV.emulator.faults().timeoutRequests(Endpoint.QUERY, STALL, 2);
    produce();

    await("the task to get through every fault")
        .atMost(PROGRESS)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ENV.emulator.faults().armedRequests() == 0);
    // Release the held requests: the calls the task abandoned end now, and close their sessions.
    ENV.emulator.faults().clear();
    await("all rows")
        .atMost(PROGRESS)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM SLOW") >= RECORDS);
    await("no loads pending").atMost(PROGRESS).until(() -> ENV.emulator.pendingLoads() == 0);

    assertThat(count(ENV.emulator, "SELECT COUNT(*) FROM SLOW")).isEqualTo(RECORDS);
    assertThat(count(ENV.emulator, "SELECT COUNT(DISTINCT RECORD_CONTENT:i::NUMBER) FROM SLOW"))
        .isEqualTo(RECORDS);
    assertThat(
            count(
                ENV.emulator,
                "SELECT COUNT(DISTINCT RECORD_METADATA:partition::NUMBER * 100000"
                    + " + RECORD_METADATA:offset::NUMBER) FROM SLOW"))
        .isEqualTo(RECORDS);
    // The slow statements were canceled by their query timeout, not waited for (the driver also
    // sends an abort for a statement that got no answer).
    assertThat(requests(r -> r.path().equals("/queries/v1/abort-request") && r.status() == 200))
        .isGreaterThanOrEqualTo(3);
    assertThat(
            requests(
                r -> r.endpoint() == Endpoint.LOGIN && r.status() == RequestJournal.NO_RESPONSE))
        .isEqualTo(2);
    // The sessions of abandoned statements are closed once the statements end: only the task's
    // own session stays open.
    await("abandoned sessions closed")
        .atMost(PROGRESS)
        .until(() -> ENV.emulator.openSessions() <= 1);
    assertThat(ENV.connect.connect().connectorStatus("timeouts").tasks())
        .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
  }
}
