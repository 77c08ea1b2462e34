package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static io.pgsnow.sink.SinkItSupport.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JSON records with and without schemas land in the official table shape, through the objects the
 * official connector would create, and the seed's warehouse queries work on them.
 */
class SinkLoadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @RegisterExtension static final SinkEnvironment ENV = new SinkEnvironment("sink-load");

  @Test
  void schemalessJsonLandsWithOfficialMetadataAndObjectNames() throws Exception {
    ENV.connect.kafka().createTopic("topic_payroll", 1);
    for (int i = 0; i < 5; i++) {
      ENV.connect
          .kafka()
          .produce(
              "topic_payroll",
              0,
              "{\"employee_id\":" + (1000 + i) + "}",
              "{\"employee_id\":"
                  + (1000 + i)
                  + ",\"first_name\":\"E"
                  + i
                  + "\",\"hourly_rate\":23}");
    }
    Map<String, String> config =
        SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "topic_payroll", false);
    ENV.connect.createConnector("lcc-prz15m", config);
    ENV.connect.awaitRunning("lcc-prz15m", 1, TIMEOUT);
    await("rows in TOPIC_PAYROLL")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM TOPIC_PAYROLL") == 5);

    List<List<String>> loaded =
        rows(ENV.emulator, "SELECT RECORD_METADATA, RECORD_CONTENT FROM TOPIC_PAYROLL");
    JsonNode meta = JSON.readTree(loaded.get(0).get(0));
    assertThat(meta.get("topic").asText()).isEqualTo("topic_payroll");
    assertThat(meta.get("partition").asInt()).isZero();
    assertThat(meta.has("offset")).isTrue();
    assertThat(meta.get("CreateTime").asLong()).isPositive();
    assertThat(meta.get("key").get("employee_id").asInt()).isBetween(1000, 1004);
    JsonNode content = JSON.readTree(loaded.get(0).get(1));
    assertThat(content.get("hourly_rate").asInt()).isEqualTo(23);
    assertThat(
            rows(
                ENV.emulator,
                "SELECT RECORD_METADATA:offset::NUMBER FROM TOPIC_PAYROLL ORDER BY 1"))
        .extracting(r -> r.get(0))
        .containsExactly("0", "1", "2", "3", "4");

    String stage = "SNOWFLAKE_KAFKA_CONNECTOR_LCC_PRZ15M_STAGE_TOPIC_PAYROLL";
    String pipe = "SNOWFLAKE_KAFKA_CONNECTOR_LCC_PRZ15M_PIPE_TOPIC_PAYROLL_0";
    try (Connection conn = SinkItSupport.connect(ENV.emulator, SinkItSupport.DATABASE)) {
      SinkItSupport.exec(conn, "USE WAREHOUSE COMPUTE_WH");
      assertThat(rows(conn, "DESC STAGE " + stage)).isNotEmpty();
      // The loaded file leaves the stage (snowflake.stage.purge.loaded defaults to true).
      await("the loaded file removed from the stage")
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> rows(conn, "LIST @" + stage).isEmpty());
      assertThat(rows(conn, "DESC PIPE " + pipe).get(0).get(4))
          .containsIgnoringCase("COPY INTO TOPIC_PAYROLL(RECORD_METADATA, RECORD_CONTENT)");
      SinkItSupport.exec(
          conn,
          "CREATE OR REPLACE VIEW TOPIC_PAYROLL_VIEW AS SELECT RECORD_CONTENT,"
              + " RECORD_CONTENT:employee_id::NUMBER AS EMPLOYEE_ID,"
              + " TO_TIMESTAMP_NTZ(RECORD_METADATA:CreateTime::VARCHAR) as CREATED_AT"
              + " FROM TOPIC_PAYROLL");
      assertThat(rows(conn, "SELECT * FROM TOPIC_PAYROLL_VIEW ORDER BY CREATED_AT DESC"))
          .hasSize(5)
          .allSatisfy(r -> assertThat(r.get(2)).isNotBlank());
    }
    await("offsets committed")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                ENV.connect.connect().connectorOffsets("lcc-prz15m").offsets().stream()
                    .anyMatch(
                        o ->
                            Long.valueOf(5)
                                .equals(((Number) o.offset().get("kafka_offset")).longValue())));

    // The partition's JMX view tells the same story.
    ObjectName metrics =
        new ObjectName(
            "io.pgsnow.sink:type=partition-metrics,connector=\"lcc-prz15m\","
                + "topic=\"topic_payroll\",partition=0");
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    await("committed offset in JMX")
        .atMost(TIMEOUT)
        .until(() -> (Long) server.getAttribute(metrics, "CommittedOffset") == 5L);
    assertThat((Long) server.getAttribute(metrics, "RowsLoaded")).isEqualTo(5L);
    assertThat((Long) server.getAttribute(metrics, "FilesLoaded")).isPositive();
    assertThat((Long) server.getAttribute(metrics, "FilesFailed")).isZero();
    assertThat((Long) server.getAttribute(metrics, "RecordsBuffered")).isZero();
    assertThat((Long) server.getAttribute(metrics, "ProcessedOffset")).isEqualTo(4L);
  }

  /**
   * 20 files written by put() in quick succession reach Snowpipe in a few insertFiles requests, not
   * one request per file, and every record loads once.
   */
  @Test
  void filesStagedTogetherShareInsertFilesRequests() throws Exception {
    int records = 2_000;
    ENV.connect.kafka().createTopic("batched", 1);
    try (var producer = ENV.connect.kafka().createProducer(Map.of("linger.ms", "20"))) {
      for (int i = 0; i < records; i++) {
        producer.send(
            new ProducerRecord<>(
                "batched", 0, null, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    int requestsBefore = ENV.emulator.insertFilesRequests();
    int filesBefore = ENV.emulator.insertedFiles();
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "batched", false);
    config.put("buffer.count.records", "100");
    ENV.connect.createConnector("batched", config);
    ENV.connect.awaitRunning("batched", 1, TIMEOUT);
    await("rows in BATCHED")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM BATCHED") == records);

    int files = ENV.emulator.insertedFiles() - filesBefore;
    int requests = ENV.emulator.insertFilesRequests() - requestsBefore;
    assertThat(files).isGreaterThanOrEqualTo(records / 100);
    assertThat(requests)
        .as("insertFiles requests for %d files", files)
        .isLessThanOrEqualTo(files / 4);
    assertThat(
            count(
                ENV.emulator, "SELECT COUNT(DISTINCT RECORD_METADATA:offset::NUMBER) FROM BATCHED"))
        .isEqualTo(records);
  }

  @Test
  void jsonWithSchemasAndHeadersLands() throws Exception {
    ENV.connect.kafka().createTopic("orders-v1", 1);
    String schema =
        "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},"
            + "{\"field\":\"amount\",\"type\":\"double\"},{\"field\":\"note\",\"type\":\"string\","
            + "\"optional\":true}]}";
    try (var producer = ENV.connect.kafka().createProducer(Map.of())) {
      for (int i = 0; i < 3; i++) {
        String value =
            "{\"schema\":"
                + schema
                + ",\"payload\":{\"id\":"
                + i
                + ",\"amount\":"
                + (i + 0.5)
                + ",\"note\":null}}";
        producer
            .send(
                new ProducerRecord<>(
                    "orders-v1",
                    0,
                    1_700_000_000_000L + i,
                    ("\"k" + i + "\"").getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8),
                    List.of(new RecordHeader("trace", "t-1".getBytes(StandardCharsets.UTF_8)))))
            .get();
      }
    }
    Map<String, String> config =
        SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, "orders-v1", true);
    config.put("snowflake.topic2table.map", "orders-.*:ORDERS");
    config.put("snowflake.stage.purge.loaded", "false");
    ENV.connect.createConnector("orders_sink", config);
    ENV.connect.awaitRunning("orders_sink", 1, TIMEOUT);
    await("rows in ORDERS")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM ORDERS") == 3);
    List<List<String>> loaded =
        rows(
            ENV.emulator,
            "SELECT RECORD_METADATA, RECORD_CONTENT FROM ORDERS ORDER BY"
                + " RECORD_METADATA:offset::NUMBER");
    JsonNode meta = JSON.readTree(loaded.get(2).get(0));
    assertThat(meta.get("topic").asText()).isEqualTo("orders-v1");
    assertThat(meta.get("offset").asLong()).isEqualTo(2);
    assertThat(meta.get("CreateTime").asLong()).isEqualTo(1_700_000_000_002L);
    assertThat(meta.get("key").asText()).isEqualTo("k2");
    assertThat(meta.get("headers").get("trace").asText()).isEqualTo("t-1");
    JsonNode content = JSON.readTree(loaded.get(2).get(1));
    assertThat(content.get("id").asLong()).isEqualTo(2);
    assertThat(content.get("amount").asDouble()).isEqualTo(2.5);
    assertThat(content.get("note").isNull()).isTrue();
    // With purging off, the loaded file stays in the stage.
    assertThat(rows(ENV.emulator, "LIST @SNOWFLAKE_KAFKA_CONNECTOR_ORDERS_SINK_STAGE_ORDERS"))
        .extracting(r -> r.get(0))
        .singleElement()
        .satisfies(n -> assertThat(n).contains("ORDERS_SINK/ORDERS/0/0_2_"));
  }
}
