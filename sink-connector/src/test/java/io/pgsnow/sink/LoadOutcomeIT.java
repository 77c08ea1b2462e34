package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.testkit.ConnectCluster;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idle partitions are written by time; offsets wait for the load to be confirmed; a file Snowpipe
 * rejects for its data fails the task without tolerance, and with {@code errors.tolerance=all} is
 * named in the error table while its original records go to the dead letter queue, before its
 * offsets advance.
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
  void aFileRejectedForItsDataFailsTheTaskWithoutTolerance() throws Exception {
    emulator
        .faults()
        .failLoads("^FAILING/", "Error parsing JSON: unknown keyword \"broken\", pos 12");
    start("failing", "failing_topic");
    await("the task fails")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> SinkItSupport.taskState(connect, "failing").equals("FAILED"));
    assertThat(connect.failedTaskTrace("failing"))
        .contains("Snowpipe could not load FAILING/FAILING_TOPIC/0/0_2_")
        .contains("offsets 0-2 of failing_topic-0")
        .contains("Error parsing JSON: unknown keyword")
        .contains("errors.tolerance=none");
    assertThat(
            rows(
                emulator,
                "SELECT TARGET_TABLE, STATUS, FIRST_ERROR, START_OFFSET, END_OFFSET FROM"
                    + " SNOWFLAKE_KAFKA_CONNECTOR_FAILING_LOAD_ERRORS"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get(0)).isEqualTo("FAILING_TOPIC");
              assertThat(r.get(1)).isEqualTo("LOAD_FAILED");
              assertThat(r.get(2)).contains("Error parsing JSON");
              assertThat(r.subList(3, 5)).containsExactly("0", "2");
            });
    assertThat(committed("failing").orElse(0)).as("nothing committed past the file").isZero();
    assertThat(count(emulator, "SELECT COUNT(*) FROM FAILING_TOPIC")).isZero();
  }

  @Test
  void aFileRejectedForItsDataGoesToTheErrorTableAndTheDeadLetterQueueWithTolerance()
      throws Exception {
    emulator
        .faults()
        .failLoads("^TOLERANT/TOLERANT_TOPIC/0/3_5_", "Numeric value 'abc' is not recognized");
    connect.kafka().createTopic("tolerant_topic", 1);
    for (int i = 0; i < 9; i++) {
      connect.kafka().produce("tolerant_topic", 0, null, "{\"n\":" + i + "}");
    }
    Map<String, String> config = SinkItSupport.sinkConfig(emulator, keys, "tolerant_topic", false);
    config.put("buffer.count.records", "3");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", "tolerant_dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    connect.createConnector("tolerant", config);
    connect.awaitRunning("tolerant", 1, TIMEOUT);

    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    connect.kafka().consume(3, TIMEOUT.toMillis(), "tolerant_dlq").forEach(dead::add);
    assertThat(dead)
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactly("{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
    Map<String, String> headers = new HashMap<>();
    for (Header h : dead.get(0).headers()) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    assertThat(headers)
        .containsEntry("__connect.errors.topic", "tolerant_topic")
        .containsEntry("__connect.errors.partition", "0")
        .containsEntry("__connect.errors.offset", "3");
    assertThat(headers.get("__connect.errors.exception.message"))
        .contains("TOLERANT/TOLERANT_TOPIC/0/3_5_")
        .contains("offsets 3-5");

    await("offsets committed past the reported file")
        .atMost(TIMEOUT)
        .until(() -> committed("tolerant").orElse(-1) == 9);
    assertThat(rows(emulator, "SELECT RECORD_CONTENT:n::NUMBER FROM TOLERANT_TOPIC ORDER BY 1"))
        .extracting(r -> r.get(0))
        .containsExactly("0", "1", "2", "6", "7", "8");
    assertThat(
            rows(
                emulator,
                "SELECT STATUS, FIRST_ERROR, START_OFFSET, END_OFFSET FROM"
                    + " SNOWFLAKE_KAFKA_CONNECTOR_TOLERANT_LOAD_ERRORS"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get(1)).isEqualTo("Numeric value 'abc' is not recognized");
              assertThat(r.subList(2, 4)).containsExactly("3", "5");
            });
    assertThat(SinkItSupport.metric("tolerant", "tolerant_topic", 1, "FilesFailed")).isEqualTo(1);
    assertThat(SinkItSupport.metric("tolerant", "tolerant_topic", 1, "ErrantRecords")).isEqualTo(3);
    assertThat(SinkItSupport.taskState(connect, "tolerant")).isEqualTo("RUNNING");
  }

  private static long refusedReports() {
    return emulator.requests().stream()
        .filter(r -> r.endpoint() == Endpoint.INSERT_REPORT && r.status() == 503)
        .count();
  }

  @Test
  void offsetsWaitUntilTheLoadIsConfirmed() throws Exception {
    emulator.faults().failRequests(Endpoint.INSERT_REPORT, 503, 1_000_000);
    try {
      start("unconfirmed", "unconfirmed_topic");
      await("rows loaded by Snowpipe")
          .atMost(TIMEOUT)
          .until(() -> count(emulator, "SELECT COUNT(*) FROM UNCONFIRMED_TOPIC") == 3);
      // Rows are queryable, but the load is not confirmed while every report is refused: however
      // often the sink asks again (and the worker commits offsets every half second), none move.
      long refused = refusedReports();
      await("the sink asks for the load report again and is refused")
          .atMost(TIMEOUT)
          .until(() -> refusedReports() >= refused + 3);
      assertThat(committed("unconfirmed").orElse(0)).isZero();
    } finally {
      emulator.faults().clear();
    }
    await("offsets committed once confirmed")
        .atMost(TIMEOUT)
        .until(() -> committed("unconfirmed").orElse(-1) == 3);
  }
}
