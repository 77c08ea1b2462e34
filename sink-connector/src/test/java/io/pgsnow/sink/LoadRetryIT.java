package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.emulator.load.LoadRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Snowpipe fails every load for several seconds with an internal error, in the middle of 25,000
 * records over two partitions, while some insertFiles requests answer only after the client gave up
 * (so they take effect late): every file that failed is loaded again under a new name and every
 * offset lands exactly once, with no file in the error table and the task running. And the storage
 * service refuses a stage upload: the file is uploaded again with all its bytes.
 */
class LoadRetryIT {
  private static final int PARTITIONS = 2;
  private static final int RECORDS = 25_000;
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final String CONNECTOR = "retry";
  private static final String TOPIC = "retry_events";
  private static final String INTERNAL_ERROR =
      "Internal error: Processing aborted due to error 300002:2523954418; incident 6530514.";

  @RegisterExtension static final SinkEnvironment ENV = new SinkEnvironment("sink-retry");

  private static void produce(int from, int to) {
    produce(TOPIC, PARTITIONS, from, to);
  }

  private static void produce(String topic, int partitions, int from, int to) {
    try (KafkaProducer<byte[], byte[]> producer =
        ENV.connect.kafka().createProducer(Map.of("linger.ms", "20", "batch.size", "262144"))) {
      for (int i = from; i < to; i++) {
        producer.send(
            new ProducerRecord<>(
                topic,
                i % partitions,
                null,
                ("{\"i\":" + i + ",\"pad\":\"xxxxxxxxxxxxxxxx\"}")
                    .getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private static List<LoadRecord> loads() {
    List<LoadRecord> all = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      all.addAll(
          ENV.emulator.loadHistory(
              SinkItSupport.DATABASE
                  + ".PUBLIC.SNOWFLAKE_KAFKA_CONNECTOR_RETRY_PIPE_RETRY_EVENTS_"
                  + p));
    }
    return all;
  }

  private static long failedLoads() {
    return loads().stream().filter(r -> r.status().equals("LOAD_FAILED")).count();
  }

  private static long failedRetries() {
    return loads().stream()
        .filter(r -> r.status().equals("LOAD_FAILED") && r.path().matches(".*_r\\d+\\.json\\.gz"))
        .count();
  }

  @Test
  void aWindowOfFailedLoadsEndsWithEveryRowLoadedOnce() throws Exception {
    ENV.connect.kafka().createTopic(TOPIC, PARTITIONS);
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, TOPIC, false);
    config.put("buffer.count.records", "1000");
    config.put("buffer.flush.time", "2");
    config.put("snowflake.retry.backoff.ms", "200");
    config.put("snowflake.load.retry.backoff.ms", "500");
    config.put("snowflake.load.retry.max.attempts", "12");
    config.put("snowflake.snowpipe.request.timeout.ms", "2500");
    ENV.connect.createConnector(CONNECTOR, config);
    ENV.connect.awaitRunning(CONNECTOR, 1, TIMEOUT);

    produce(0, RECORDS / 5);
    await("rows before the fault")
        .atMost(TIMEOUT)
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM RETRY_EVENTS") > 0);

    ENV.emulator.faults().failLoads(".*", INTERNAL_ERROR);
    ENV.emulator.faults().delayRequests(Endpoint.INSERT_FILES, Duration.ofSeconds(5), 2);
    produce(RECORDS / 5, RECORDS);
    // The window lasts until a good number of files have failed and until a new attempt at
    // loading a failed file has failed too.
    await("loads failing for a while")
        .atMost(TIMEOUT)
        .until(() -> failedLoads() >= 8 && failedRetries() > 0);
    assertThat(SinkItSupport.metric(CONNECTOR, TOPIC, PARTITIONS, "FilesRetried")).isPositive();
    // A restart in the middle: the new task learns the failed attempts from the load history.
    ENV.connect.connect().restartTask(CONNECTOR, 0);
    ENV.connect.awaitRunning(CONNECTOR, 1, TIMEOUT);
    ENV.emulator.faults().clear();

    await("all rows")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM RETRY_EVENTS") >= RECORDS);
    await("offsets committed")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                SinkItSupport.committed(ENV.connect, CONNECTOR)
                    .equals(Map.of(0, (long) RECORDS / 2, 1, (long) RECORDS / 2)));
    await("no loads pending").atMost(TIMEOUT).until(() -> ENV.emulator.pendingLoads() == 0);

    assertThat(count(ENV.emulator, "SELECT COUNT(*) FROM RETRY_EVENTS")).isEqualTo(RECORDS);
    assertThat(
            count(
                ENV.emulator, "SELECT COUNT(DISTINCT RECORD_CONTENT:i::NUMBER) FROM RETRY_EVENTS"))
        .isEqualTo(RECORDS);
    List<List<String>> perPartition =
        rows(
            ENV.emulator,
            "SELECT RECORD_METADATA:partition::NUMBER, COUNT(*),"
                + " COUNT(DISTINCT RECORD_METADATA:offset::NUMBER),"
                + " MIN(RECORD_METADATA:offset::NUMBER), MAX(RECORD_METADATA:offset::NUMBER)"
                + " FROM RETRY_EVENTS GROUP BY 1 ORDER BY 1");
    String n = Integer.toString(RECORDS / PARTITIONS);
    String last = Integer.toString(RECORDS / PARTITIONS - 1);
    assertThat(perPartition)
        .extracting(r -> r.subList(1, 5))
        .containsExactly(List.of(n, n, "0", last), List.of(n, n, "0", last));

    List<LoadRecord> history = loads();
    assertThat(history)
        .filteredOn(r -> r.status().equals("LOAD_FAILED"))
        .allSatisfy(r -> assertThat(r.firstError().orElse("")).contains("Internal error"))
        .hasSizeGreaterThanOrEqualTo(8);
    assertThat(history)
        .as("files loaded again under a new name")
        .anySatisfy(
            r -> {
              assertThat(r.path()).matches(".*_r\\d+\\.json\\.gz");
              assertThat(r.status()).isEqualTo("LOADED");
            });
    assertThat(SinkItSupport.metric(CONNECTOR, TOPIC, PARTITIONS, "FilesFailed")).isZero();
    assertThat(SinkItSupport.metric(CONNECTOR, TOPIC, PARTITIONS, "ErrantRecords")).isZero();
    assertThat(rows(ENV.emulator, "SHOW TABLES LIKE 'SNOWFLAKE_KAFKA_CONNECTOR_RETRY_LOAD_ERRORS'"))
        .as("no file failed for good")
        .isEmpty();
    assertThat(SinkItSupport.taskState(ENV.connect, CONNECTOR)).isEqualTo("RUNNING");
  }

  /**
   * The storage service refuses the PUT of a data file once (HTTP 503). Driver 4.x sends the PUT
   * again with its body stream already read and reports success, so the stage would hold an empty
   * file that Snowpipe loads as LOADED with no rows. The task sees that the stage holds fewer bytes
   * than it sent and uploads the file again before it registers it: every record lands once.
   */
  @Test
  void aStageUploadTheStorageRefusesIsUploadedAgainWithAllItsBytes() throws Exception {
    String topic = "refused_uploads";
    int records = 1_000;
    ENV.connect.kafka().createTopic(topic, 1);
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, topic, false);
    config.put("buffer.count.records", "500");
    config.put("snowflake.retry.backoff.ms", "200");
    ENV.connect.createConnector("refused", config);
    ENV.connect.awaitRunning("refused", 1, TIMEOUT);

    ENV.emulator.faults().failRequests(Endpoint.STAGE_FILES, 503, 1);
    produce(topic, 1, 0, records);

    await("all rows")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM REFUSED_UPLOADS") >= records);
    await("no loads pending").atMost(TIMEOUT).until(() -> ENV.emulator.pendingLoads() == 0);

    assertThat(ENV.emulator.faults().armedRequests()).as("the refused upload happened").isZero();
    assertThat(count(ENV.emulator, "SELECT COUNT(*) FROM REFUSED_UPLOADS")).isEqualTo(records);
    assertThat(
            count(
                ENV.emulator,
                "SELECT COUNT(DISTINCT RECORD_METADATA:offset::NUMBER) FROM REFUSED_UPLOADS"))
        .isEqualTo(records);
    assertThat(
            ENV.emulator.loadHistory(
                SinkItSupport.DATABASE
                    + ".PUBLIC.SNOWFLAKE_KAFKA_CONNECTOR_REFUSED_PIPE_REFUSED_UPLOADS_0"))
        .as("no file loaded without its rows")
        .allSatisfy(r -> assertThat(r.result().rowsLoaded()).isPositive());
  }
}
