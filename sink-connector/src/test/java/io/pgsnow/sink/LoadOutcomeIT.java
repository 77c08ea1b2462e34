package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.testkit.ConnectCluster;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idle partitions are written by time; a failed load lands in the error table before its offsets
 * advance; offsets wait for the load to be confirmed.
 */
class LoadOutcomeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private static KeyPair keys;
  private static SnowflakeEmulator emulator;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() throws Exception {
    keys = SinkItSupport.newKeyPair();
    emulator = SinkItSupport.emulator(keys);
    connect = SinkItSupport.cluster().name("sink-outcome").start();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private static OptionalLong committed(String connector) {
    try {
      return connect.connect().connectorOffsets(connector).offsets().stream()
          .mapToLong(o -> ((Number) o.offset().get("kafka_offset")).longValue())
          .max();
    } catch (RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  private static void start(String name, String topic) {
    connect.kafka().createTopic(topic, 1);
    for (int i = 0; i < 3; i++) {
      connect.kafka().produce(topic, 0, null, "{\"n\":" + i + "}");
    }
    Map<String, String> config = SinkItSupport.sinkConfig(emulator, keys, topic, false);
    config.put("buffer.flush.time", "3");
    connect.createConnector(name, config);
    connect.awaitRunning(name, 1, TIMEOUT);
  }

  @Test
  void anIdlePartitionIsFlushedByTime() {
    start("idle", "idle_topic");
    await("idle partition flushed")
        .atMost(TIMEOUT)
        .until(() -> count(emulator, "SELECT COUNT(*) FROM IDLE_TOPIC") == 3);
    await("offsets committed").atMost(TIMEOUT).until(() -> committed("idle").orElse(-1) == 3);
  }

  @Test
  void aFailedLoadIsRecordedBeforeItsOffsetsAdvance() throws Exception {
    emulator.faults().failLoads("^FAILING/", "injected: file could not be parsed");
    start("failing", "failing_topic");
    await("error recorded")
        .atMost(TIMEOUT)
        .until(
            () ->
                count(
                        emulator,
                        "SELECT COUNT(*) FROM SNOWFLAKE_KAFKA_CONNECTOR_FAILING_LOAD_ERRORS WHERE"
                            + " START_OFFSET = 0 AND END_OFFSET = 2")
                    == 1);
    assertThat(
            rows(
                emulator,
                "SELECT TARGET_TABLE, STATUS, FIRST_ERROR FROM"
                    + " SNOWFLAKE_KAFKA_CONNECTOR_FAILING_LOAD_ERRORS"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get(0)).isEqualTo("FAILING_TOPIC");
              assertThat(r.get(1)).isEqualTo("LOAD_FAILED");
              assertThat(r.get(2)).contains("injected");
            });
    await("offsets advance past the recorded failure")
        .atMost(TIMEOUT)
        .until(() -> committed("failing").orElse(-1) == 3);
    assertThat(count(emulator, "SELECT COUNT(*) FROM FAILING_TOPIC")).isZero();
  }

  @Test
  void offsetsWaitUntilTheLoadIsConfirmed() throws Exception {
    emulator.faults().failRequests(Endpoint.INSERT_REPORT, 503, 1_000_000);
    try {
      start("unconfirmed", "unconfirmed_topic");
      await("rows loaded by Snowpipe")
          .atMost(TIMEOUT)
          .until(() -> count(emulator, "SELECT COUNT(*) FROM UNCONFIRMED_TOPIC") == 3);
      Thread.sleep(3_000);
      assertThat(committed("unconfirmed").orElse(0)).isZero();
    } finally {
      emulator.faults().clear();
    }
    await("offsets committed once confirmed")
        .atMost(TIMEOUT)
        .until(() -> committed("unconfirmed").orElse(-1) == 3);
  }
}
