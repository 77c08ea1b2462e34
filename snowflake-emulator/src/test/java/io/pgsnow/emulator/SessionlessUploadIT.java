package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import net.snowflake.client.jdbc.SnowflakeConnection;
import net.snowflake.ingest.SimpleIngestManager;
import net.snowflake.ingest.connection.HistoryResponse;
import net.snowflake.ingest.utils.StagedFileWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Kafka connector 2.x's upload path, with the driver it bundles (snowflake-jdbc
 * 3.18.0): {@code getFileTransferMetadatas} then {@code uploadWithoutConnection} per file, run by
 * {@link SessionlessUploadClient}; then the files are checked and loaded through Snowpipe with the
 * module's own clients.
 *
 * <p>Isolation: the build copies the 3.18.0 jar into {@code target/} (it is not a dependency, so
 * dependency convergence and this JVM's class path never see it), and the client runs in a child
 * JVM whose class path is exactly that jar, {@code slf4j-api} and {@code target/test-classes}. (The
 * 3.18.0 file-transfer code logs through an unshaded {@code org.slf4j.LoggerFactory}, which the
 * connector gets from the Connect worker.) A child process rather than a class loader because the
 * driver keeps JVM-wide state (its {@code DriverManager} registration, static HTTP client pools)
 * that must not mix with the 3.24.2 driver of this JVM, and because nothing of the module's class
 * path can leak into a process started with an explicit one. The child prints the driver version it
 * loaded, so a wrong class path fails the test.
 */
class SessionlessUploadIT {

  private static final String DRIVER_JAR_PROPERTY = "pgsnow.emulator.connectorDriverJar";
  private static final String DRIVER_VERSION_PROPERTY = "pgsnow.emulator.connectorDriverVersion";
  private static final String CONNECTOR_USER = "KAFKA";
  private static final String STAGE = "SNOWFLAKE_KAFKA_CONNECTOR_LEGACY_STAGE_TOPIC_ORDERS";
  private static final String PIPE = "SNOWFLAKE_KAFKA_CONNECTOR_LEGACY_PIPE_TOPIC_ORDERS_0";
  private static final String PREFIX = "legacy/topic_orders/0";

  private static SnowflakeEmulator emulator;
  private static KeyPair keys;
  private static SimpleIngestManager ingest;

  @BeforeAll
  static void start() throws Exception {
    keys = EmulatorClients.newKeyPair();
    emulator =
        SnowflakeEmulator.builder()
            .user(EmulatorClients.USER, EmulatorClients.PASSWORD)
            .userKey(CONNECTOR_USER, keys.getPublic())
            .start();
    try (Connection conn = EmulatorClients.password(emulator)) {
      exec(
          conn,
          "create database kafka_db",
          "create table topic_orders (record_metadata variant, record_content variant)",
          "create stage " + STAGE,
          "create pipe "
              + PIPE
              + " as copy into topic_orders(record_metadata, record_content)"
              + " from (select $1:meta, $1:content from @"
              + STAGE
              + " t) file_format = (type = 'json')");
    }
    ingest =
        new SimpleIngestManager(
            EmulatorClients.ACCOUNT,
            CONNECTOR_USER,
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

  @Test
  void connectorDriverStagesFilesThatSnowpipeLoads(@TempDir Path dir) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(PREFIX + "/0_1_1700000000000.json.gz", records(0, 2));
    files.put(PREFIX + "/2_4_1700000001000.json.gz", records(2, 3));

    assertThat(runConnectorDriver(files, dir))
        .contains(
            "driver " + System.getProperty(DRIVER_VERSION_PROPERTY, "unset"),
            "stage GCS",
            "uploaded " + PREFIX + "/0_1_1700000000000.json.gz",
            "uploaded " + PREFIX + "/2_4_1700000001000.json.gz");

    List<StagedFileWrapper> staged = new ArrayList<>();
    try (Connection conn = EmulatorClients.password(emulator, "KAFKA_DB", "PUBLIC")) {
      List<List<String>> listed = rows(conn, "list @" + STAGE);
      assertThat(listed)
          .extracting(r -> r.get(0))
          .containsExactly(
              STAGE.toLowerCase() + "/" + PREFIX + "/0_1_1700000000000.json.gz",
              STAGE.toLowerCase() + "/" + PREFIX + "/2_4_1700000001000.json.gz");
      int i = 0;
      for (Map.Entry<String, String> file : files.entrySet()) {
        byte[] stored = download(conn, file.getKey());
        assertThat(gunzip(stored)).isEqualTo(file.getValue());
        assertThat(Long.parseLong(listed.get(i++).get(1))).isEqualTo(stored.length);
        staged.add(new StagedFileWrapper(file.getKey(), (long) stored.length));
      }
    }

    assertThat(ingest.ingestFiles(staged, null).getResponseCode()).isEqualTo("SUCCESS");
    assertThat(awaitReport(PREFIX + "/0_1_1700000000000.json.gz").getRowsInserted()).isEqualTo(2L);
    assertThat(awaitReport(PREFIX + "/2_4_1700000001000.json.gz").getRowsInserted()).isEqualTo(3L);
    try (Connection conn = EmulatorClients.password(emulator, "KAFKA_DB", "PUBLIC")) {
      assertThat(
              rows(
                  conn,
                  "select record_metadata:offset::number, record_content:order_id::number,"
                      + " record_content:item::string from topic_orders order by 1"))
          .containsExactly(
              List.of("0", "5000", "item-0"),
              List.of("1", "5001", "item-1"),
              List.of("2", "5002", "item-2"),
              List.of("3", "5003", "item-3"),
              List.of("4", "5004", "item-4"));
    }
  }

  /** Records as the connector writes them: one JSON object per record, concatenated. */
  private static String records(int firstOffset, int count) {
    StringBuilder json = new StringBuilder();
    for (int offset = firstOffset; offset < firstOffset + count; offset++) {
      json.append("{\"meta\":{\"offset\":")
          .append(offset)
          .append(",\"topic\":\"topic_orders\",\"partition\":0},\"content\":{\"order_id\":")
          .append(5000 + offset)
          .append(",\"item\":\"item-")
          .append(offset)
          .append("\"}}");
    }
    return json.toString();
  }

  /** Runs {@link SessionlessUploadClient} on the connector's driver; returns its stdout lines. */
  private static List<String> runConnectorDriver(Map<String, String> files, Path dir)
      throws IOException, InterruptedException, URISyntaxException {
    Path driverJar = Path.of(System.getProperty(DRIVER_JAR_PROPERTY, "missing-driver-jar"));
    assertThat(driverJar).as("copied by the build's connector-driver execution").isRegularFile();
    Path testClasses = codeSource(SessionlessUploadClient.class);
    Path slf4j = codeSource(org.slf4j.LoggerFactory.class);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(
        String.join(
            File.pathSeparator,
            List.of(driverJar.toString(), slf4j.toString(), testClasses.toString())));
    command.add(SessionlessUploadClient.class.getName());
    command.add(emulator.jdbcUrl());
    command.add(EmulatorClients.ACCOUNT);
    command.add(CONNECTOR_USER);
    command.add("KAFKA_DB");
    command.add("PUBLIC");
    command.add(STAGE);
    files.forEach(
        (path, content) -> {
          command.add(path);
          command.add(content);
        });
    Path output = dir.resolve("client.log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder
        .environment()
        .put(
            SessionlessUploadClient.PRIVATE_KEY_ENV,
            Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
    Process child = builder.start();
    boolean exited = child.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      child.destroyForcibly().waitFor();
    }
    String log = Files.readString(output);
    assertThat(exited).as("client finished within 90 s; output:%n%s", log).isTrue();
    assertThat(child.exitValue()).as("client exit code; output:%n%s", log).isZero();
    return log.lines().toList();
  }

  private static Path codeSource(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static byte[] download(Connection conn, String path) throws SQLException, IOException {
    try (InputStream in =
        conn.unwrap(SnowflakeConnection.class).downloadStream("@" + STAGE, path, false)) {
      return in.readAllBytes();
    }
  }

  private static String gunzip(byte[] gzip) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static HistoryResponse.FileEntry awaitReport(String path) {
    HistoryResponse.FileEntry entry =
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    ingest.getHistory(null, null, null).files.stream()
                        .filter(f -> f.getPath().equals(path))
                        .findFirst()
                        .orElse(null),
                Objects::nonNull);
    assertThat(entry.getStatus().name()).as(path).isEqualTo("LOADED");
    return entry;
  }
}
