package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import net.snowflake.ingest.SimpleIngestManager;
import net.snowflake.ingest.connection.HistoryRangeResponse;
import net.snowflake.ingest.connection.HistoryResponse;
import net.snowflake.ingest.connection.IngestResponse;
import net.snowflake.ingest.connection.IngestResponseException;
import net.snowflake.ingest.utils.StagedFileWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka sink's Snowpipe path with the real clients: table, stage and pipe created the way the
 * connector does, files uploaded with uploadStream, loaded through SimpleIngestManager, and the
 * seed's warehouse queries run over the loaded rows.
 */
class SnowpipeIT {

  private static final String STAGE = "SNOWFLAKE_KAFKA_CONNECTOR_LCC_PRZ15M_STAGE_TOPIC_PAYROLL";
  private static final String PIPE = "SNOWFLAKE_KAFKA_CONNECTOR_LCC_PRZ15M_PIPE_TOPIC_PAYROLL_0";
  private static final String COPY =
      "copy into TOPIC_PAYROLL(RECORD_METADATA, RECORD_CONTENT) from (select $1:meta, $1:content"
          + " from @"
          + STAGE
          + " t) file_format = (type = 'json')";

  private static SnowflakeEmulator emulator;
  private static KeyPair keys;
  private static SimpleIngestManager ingest;

  @BeforeAll
  static void start() throws Exception {
    keys = EmulatorClients.newKeyPair();
    emulator =
        SnowflakeEmulator.builder().user(EmulatorClients.USER, EmulatorClients.PASSWORD).start();
    try (Connection conn = EmulatorClients.password(emulator)) {
      exec(
          conn,
          "CREATE DATABASE KAFKA_DB",
          "USE DATABASE KAFKA_DB",
          "ALTER USER "
              + EmulatorClients.USER
              + " SET RSA_PUBLIC_KEY = '"
              + java.util.Base64.getEncoder().encodeToString(keys.getPublic().getEncoded())
              + "'");
    }
    try (Connection conn = EmulatorClients.keyPair(emulator, EmulatorClients.USER, keys)) {
      exec(conn, "use database identifier('KAFKA_DB')", "use schema identifier('PUBLIC')");
      prepared(
          conn,
          "create table if not exists identifier(?) (record_metadata variant,"
              + " record_content variant)",
          "TOPIC_PAYROLL");
      prepared(conn, "create stage if not exists identifier(?)", STAGE);
      prepared(conn, "create pipe if not exists identifier(?) as " + COPY, PIPE);
    }
    ingest =
        new SimpleIngestManager(
            EmulatorClients.ACCOUNT,
            EmulatorClients.USER,
            "KAFKA_DB.PUBLIC." + PIPE,
            keys.getPrivate(),
            "http",
            "127.0.0.1",
            emulator.port());
  }

  @AfterAll
  static void stop() throws Exception {
    ingest.close();
    emulator.close();
  }

  private static void prepared(Connection conn, String sql, String name) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setString(1, name);
      ps.execute();
    }
  }

  private static byte[] records(int firstOffset, int count, boolean gzip) throws IOException {
    StringBuilder json = new StringBuilder();
    for (int i = 0; i < count; i++) {
      int offset = firstOffset + i;
      json.append("{\"meta\":{\"offset\":")
          .append(offset)
          .append(",\"topic\":\"topic_payroll\",\"partition\":0,\"CreateTime\":")
          .append(1_700_000_000_000L + offset * 1000L)
          .append("},\"content\":{\"employee_id\":")
          .append(1000 + offset)
          .append(",\"first_name\":\"E")
          .append(offset)
          .append("\"}}");
    }
    byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
    if (!gzip) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    }
    return out.toByteArray();
  }

  private static void upload(String prefix, String name, byte[] bytes) throws SQLException {
    try (Connection conn = EmulatorClients.password(emulator, "KAFKA_DB", "PUBLIC")) {
      DriverApi.uploadStream(conn, STAGE, prefix, new ByteArrayInputStream(bytes), name, false);
    }
  }

  private static HistoryResponse.FileEntry awaitEntry(String path) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                ingest.getHistory(null, null, null).files.stream()
                    .filter(f -> f.getPath().equals(path))
                    .findFirst()
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  @Test
  void stagedFilesAreLoadedOnceAndQueryable() throws Exception {
    String prefix = "conn/topic_payroll/0";
    upload(prefix, "0_2_1700000000000.json.gz", records(0, 3, true));
    upload(prefix, "3_4_1700000001000.json.gz", records(3, 2, true));
    try (Connection conn = EmulatorClients.password(emulator, "KAFKA_DB", "PUBLIC")) {
      assertThat(rows(conn, "list @" + STAGE + "/" + prefix))
          .extracting(r -> r.get(0))
          .containsExactly(
              STAGE.toLowerCase() + "/" + prefix + "/0_2_1700000000000.json.gz",
              STAGE.toLowerCase() + "/" + prefix + "/3_4_1700000001000.json.gz");
      assertThat(rows(conn, "desc pipe " + PIPE).get(0).get(4)).isEqualToIgnoringCase(COPY);
      assertThat(rows(conn, "desc stage " + STAGE)).isNotEmpty();
    }
    IngestResponse response =
        ingest.ingestFiles(
            List.of(
                new StagedFileWrapper(prefix + "/0_2_1700000000000.json.gz", 100L),
                new StagedFileWrapper(prefix + "/3_4_1700000001000.json.gz", 100L)),
            null);
    assertThat(response.getResponseCode()).isEqualTo("SUCCESS");
    HistoryResponse.FileEntry first = awaitEntry(prefix + "/0_2_1700000000000.json.gz");
    assertThat(first.getStatus().name()).isEqualTo("LOADED");
    assertThat(first.getRowsInserted()).isEqualTo(3L);
    awaitEntry(prefix + "/3_4_1700000001000.json.gz");

    ingest.ingestFile(new StagedFileWrapper(prefix + "/0_2_1700000000000.json.gz", 100L), null);
    await().atMost(Duration.ofSeconds(10)).until(() -> emulator.pendingLoads() == 0);
    assertThat(emulator.loadHistory("KAFKA_DB.PUBLIC." + PIPE))
        .filteredOn(r -> r.path().endsWith("0_2_1700000000000.json.gz"))
        .hasSize(1);

    try (Connection conn = EmulatorClients.password(emulator, "KAFKA_DB", "PUBLIC")) {
      exec(
          conn,
          "USE WAREHOUSE COMPUTE_WH",
          "CREATE OR REPLACE VIEW TOPIC_PAYROLL_VIEW AS SELECT RECORD_CONTENT,"
              + " RECORD_CONTENT:employee_id::NUMBER AS EMPLOYEE_ID,"
              + " TO_TIMESTAMP_NTZ(RECORD_METADATA:CreateTime::VARCHAR) as CREATED_AT"
              + " FROM TOPIC_PAYROLL");
      List<List<String>> view =
          rows(
              conn,
              "SELECT EMPLOYEE_ID, CREATED_AT FROM TOPIC_PAYROLL_VIEW ORDER BY CREATED_AT"
                  + " DESC");
      assertThat(view)
          .extracting(r -> r.get(0) + "@" + r.get(1))
          .containsExactly(
              "1004@2023-11-14 22:13:24.000",
              "1003@2023-11-14 22:13:23.000",
              "1002@2023-11-14 22:13:22.000",
              "1001@2023-11-14 22:13:21.000",
              "1000@2023-11-14 22:13:20.000");
      assertThat(rows(conn, "SELECT * FROM TOPIC_PAYROLL")).hasSize(5);
    }
    HistoryRangeResponse range =
        ingest.getHistoryRange(
            null,
            Instant.now().minusSeconds(600).toString(),
            Instant.now().plusSeconds(5).toString());
    assertThat(
            range.files.stream()
                .map(HistoryResponse.FileEntry::getPath)
                .collect(Collectors.toList()))
        .contains(prefix + "/3_4_1700000001000.json.gz");
  }

  @Test
  void loadHistoryGivesTheStagedFileSizeWhenInsertFilesNamesNone() throws Exception {
    // Not JSON, so it loads no row into the table the other tests count, but it has a size.
    byte[] bytes = "not json at all".getBytes(StandardCharsets.UTF_8);
    upload("sized", "unnamed-size.json", bytes);
    ingest.ingestFile(new StagedFileWrapper("sized/unnamed-size.json"), null);
    awaitEntry("sized/unnamed-size.json");
    assertThat(emulator.loadHistory("KAFKA_DB.PUBLIC." + PIPE))
        .filteredOn(r -> r.path().equals("sized/unnamed-size.json"))
        .extracting(r -> r.fileSize())
        .containsExactly((long) bytes.length);
  }

  @Test
  void badFileIsReportedLoadFailed() throws Exception {
    upload(
        "bad",
        "broken.json",
        "{\"meta\":{\"offset\":1},\"content\":{\"x\":".getBytes(StandardCharsets.UTF_8));
    ingest.ingestFile(new StagedFileWrapper("bad/broken.json", 10L), null);
    HistoryResponse.FileEntry entry = awaitEntry("bad/broken.json");
    assertThat(entry.getStatus().name()).isEqualTo("LOAD_FAILED");
    assertThat(entry.getFirstError()).contains("JSON");
    assertThat(entry.getRowsInserted()).isZero();
    // COPY_HISTORY reports Snowpipe's loads with their pipe; LOAD_HISTORY only COPY INTO's.
    try (Connection conn = EmulatorClients.password(emulator, "KAFKA_DB", "PUBLIC")) {
      assertThat(
              rows(
                  conn,
                  "select status, row_count, first_error_message, table_name, pipe_catalog_name,"
                      + " pipe_schema_name, pipe_name, iff(pipe_received_time is null, 'no', 'yes')"
                      + " from table(information_schema.copy_history(table_name =>"
                      + " 'TOPIC_PAYROLL', start_time => dateadd(hours, -1, current_timestamp()),"
                      + " pipe_name => '"
                      + PIPE
                      + "'))"
                      + " where file_name = 'bad/broken.json'"))
          .singleElement()
          .satisfies(
              row -> {
                assertThat(row.subList(0, 2)).containsExactly("Load failed", "0");
                assertThat(row.get(2)).contains("JSON");
                assertThat(row.subList(3, 8))
                    .containsExactly("TOPIC_PAYROLL", "KAFKA_DB", "PUBLIC", PIPE, "yes");
              });
      assertThat(
              rows(
                  conn,
                  "select file_name from table(information_schema.copy_history(table_name =>"
                      + " 'TOPIC_PAYROLL', start_time => dateadd(hours, -1, current_timestamp()),"
                      + " pipe_name => 'OTHER_PIPE'))"))
          .isEmpty();
      assertThat(
              rows(
                  conn,
                  "select file_name from kafka_db.information_schema.load_history"
                      + " where table_name = 'TOPIC_PAYROLL'"))
          .isEmpty();
    }
  }

  @Test
  void largeFileLoadsWithinSeconds() throws Exception {
    try (Connection conn = EmulatorClients.password(emulator, "KAFKA_DB", "PUBLIC")) {
      exec(
          conn,
          "create table if not exists bulk (record_metadata variant, record_content" + " variant)",
          "create pipe if not exists bulk_pipe as copy into bulk(record_metadata, record_content)"
              + " from (select $1:meta, $1:content from @"
              + STAGE
              + "/big t)"
              + " file_format = (type = 'json')");
    }
    upload("big", "0_19999_1.json.gz", records(0, 20_000, true));
    long start = System.nanoTime();
    try (SimpleIngestManager bulk =
        new SimpleIngestManager(
            EmulatorClients.ACCOUNT,
            EmulatorClients.USER,
            "KAFKA_DB.PUBLIC.BULK_PIPE",
            keys.getPrivate(),
            "http",
            "127.0.0.1",
            emulator.port())) {
      bulk.ingestFile(new StagedFileWrapper("0_19999_1.json.gz", 1L), null);
      HistoryResponse.FileEntry entry =
          await()
              .atMost(Duration.ofSeconds(15))
              .until(
                  () -> bulk.getHistory(null, null, null).files.stream().findFirst().orElse(null),
                  java.util.Objects::nonNull);
      assertThat(entry.getStatus().name()).isEqualTo("LOADED");
      assertThat(entry.getRowsInserted()).isEqualTo(20_000L);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    try (Connection conn = EmulatorClients.password(emulator, "KAFKA_DB", "PUBLIC")) {
      assertThat(
              rows(
                  conn,
                  "select count(*), count(distinct record_content:employee_id)" + " from bulk"))
          .containsExactly(List.of("20000", "20000"));
    }
  }

  @Test
  void onErrorContinueReportsPartiallyLoaded() throws Exception {
    try (Connection conn = EmulatorClients.password(emulator, "KAFKA_DB", "PUBLIC")) {
      exec(
          conn,
          "create table if not exists lenient (v variant)",
          "create pipe if not exists lenient_pipe as copy into lenient from @"
              + STAGE
              + "/lenient file_format = (type = 'json') on_error = continue");
    }
    upload(
        "lenient", "half.json", "{\"a\":1}\n{\"a\":2}\n{\"a\":".getBytes(StandardCharsets.UTF_8));
    try (SimpleIngestManager lenient =
        new SimpleIngestManager(
            EmulatorClients.ACCOUNT,
            EmulatorClients.USER,
            "kafka_db.public.lenient_pipe",
            keys.getPrivate(),
            "http",
            "127.0.0.1",
            emulator.port())) {
      lenient.ingestFile(new StagedFileWrapper("half.json", 1L), null);
      HistoryResponse.FileEntry entry =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      lenient.getHistory(null, null, null).files.stream().findFirst().orElse(null),
                  java.util.Objects::nonNull);
      assertThat(entry.getStatus().name()).isEqualTo("PARTIALLY_LOADED");
      assertThat(entry.getRowsInserted()).isEqualTo(2L);
      assertThat(entry.getFirstErrorLineNum()).isEqualTo(3L);
    }
  }

  @Test
  void unknownPipeIsRejected() throws Exception {
    try (SimpleIngestManager other =
        new SimpleIngestManager(
            EmulatorClients.ACCOUNT,
            EmulatorClients.USER,
            "KAFKA_DB.PUBLIC.NO_SUCH_PIPE",
            keys.getPrivate(),
            "http",
            "127.0.0.1",
            emulator.port())) {
      assertThatThrownBy(() -> other.ingestFile(new StagedFileWrapper("x.json", 1L), null))
          .isInstanceOf(IngestResponseException.class);
    }
  }
}
