package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.emulator.fault.Endpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idle partitions are written by time; offsets wait for the load to be confirmed; a file Snowpipe
 * rejects for its data fails the task without tolerance, and with {@code errors.tolerance=all} is
 * named in the error table while its original records go to the dead letter queue, before its
 * offsets advance.
 */
class LoadOutcomeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @RegisterExtension static final SinkEnvironment ENV = new SinkEnvironment("sink-outcome");

  private static OptionalLong committed(String connector) {
    try {
      return ENV.connect.connect().connectorOffsets(connector).offsets().stream()
          .mapToLong(o -> ((Number) o.offset().get("kafka_offset")).longValue())
          .max();
    } catch (RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  private static void start(String name, String topic) {
    ENV.connect.kafka().createTopic(topic, 1);
    for (int i = 0; i < 3; i++) {
      ENV.connect.kafka().produce(topic, 0, null, "{\"n\":" + i + "}");
    }
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, topic, false);
    config.put("buffer.flush.time", "3");
    ENV.connect.createConnector(name, config);
    ENV.connect.awaitRunning(name, 1, TIMEOUT);
  }

  @Test
  void anIdlePartitionIsFlushedByTime() {
    start("idle", "idle_topic");
    await("idle partition flushed")
        .atMost(TIMEOUT)
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM IDLE_TOPIC") == 3);
    await("offsets committed").atMost(TIMEOUT).until(() -> committed("idle").orElse(-1) == 3);
  }

  @Test
  void aFileRejectedForItsDataFailsTheTaskWithoutTolerance() throws Exception {
    ENV.emulator
        .faults()
        .failLoads("^FAILING/", "Error parsing JSON: unknown keyword \"broken\", pos 12");
    start("failing", "failing_topic");
    await("the task fails")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> SinkItSupport.taskState(ENV.connect, "failing").equals("FAILED"));
    assertThat(ENV.connect.failedTaskTrace("failing"))
        .contains("Snowpipe could not load FAILING/FAILING_TOPIC/0/0_2_")
        .contains("offsets 0-2 of failing_topic-0")
        .contains("Error parsing JSON: unknown keyword")
        .contains("errors.tolerance=none");
    assertThat(
            rows(
                ENV.emulator,
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
    assertThat(count(ENV.emulator, "SELECT COUNT(*) FROM FAILING_TOPIC")).isZero();
  }

  @Test
  void aFileRejectedForItsDataGoesToTheErrorTableAndTheDeadLetterQueueWithTolerance()
      throws Exception {
    ENV.emulator
        .faults()
        .failLoads("^TOLERANT/TOLERANT_TOPIC/0/3_5_", "Numeric value 'abc' is not recognized");
    ENV.connect.kafka().createTopic("tolerant_topic", 1);
    for (int i = 0; i < 9; i++) {
      ENV.connect.kafka().produce("tolerant_topic", 0, null, "{\"n\":" + i + "}");
    }
    Map<String, String> config =
        SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "tolerant_topic", false);
    config.put("buffer.count.records", "3");
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", "tolerant_dlq");
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    ENV.connect.createConnector("tolerant", config);
    ENV.connect.awaitRunning("tolerant", 1, TIMEOUT);

    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    ENV.connect.kafka().consume(3, TIMEOUT.toMillis(), "tolerant_dlq").forEach(dead::add);
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
    assertThat(rows(ENV.emulator, "SELECT RECORD_CONTENT:n::NUMBER FROM TOLERANT_TOPIC ORDER BY 1"))
        .extracting(r -> r.get(0))
        .containsExactly("0", "1", "2", "6", "7", "8");
    assertThat(
            rows(
                ENV.emulator,
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
    assertThat(SinkItSupport.taskState(ENV.connect, "tolerant")).isEqualTo("RUNNING");
  }

  private static long refusedReports() {
    return ENV.emulator.requests().stream()
        .filter(r -> r.endpoint() == Endpoint.INSERT_REPORT && r.status() == 503)
        .count();
  }

  @Test
  void offsetsWaitUntilTheLoadIsConfirmed() throws Exception {
    ENV.emulator.faults().failRequests(Endpoint.INSERT_REPORT, 503, 1_000_000);
    try {
      start("unconfirmed", "unconfirmed_topic");
      await("rows loaded by Snowpipe")
          .atMost(TIMEOUT)
          .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM UNCONFIRMED_TOPIC") == 3);
      // Rows are queryable, but the load is not confirmed while every report is refused: however
      // often the sink asks again (and the worker commits offsets every half second), none move.
      long refused = refusedReports();
      await("the sink asks for the load report again and is refused")
          .atMost(TIMEOUT)
          .until(() -> refusedReports() >= refused + 3);
      assertThat(committed("unconfirmed").orElse(0)).isZero();
    } finally {
      ENV.emulator.faults().clear();
    }
    await("offsets committed once confirmed")
        .atMost(TIMEOUT)
        .until(() -> committed("unconfirmed").orElse(-1) == 3);
  }
}
