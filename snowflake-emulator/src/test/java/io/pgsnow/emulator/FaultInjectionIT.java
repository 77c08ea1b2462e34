package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.emulator.load.LoadRecord;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import net.snowflake.ingest.SimpleIngestManager;
import net.snowflake.ingest.connection.IngestResponseException;
import net.snowflake.ingest.utils.StagedFileWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each fault mode, observed through the real clients. */
class FaultInjectionIT {

  private static SnowflakeEmulator emulator;
  private static KeyPair keys;

  @BeforeAll
  static void start() throws Exception {
    keys = EmulatorClients.newKeyPair();
    emulator =
        SnowflakeEmulator.builder()
            .user(EmulatorClients.USER, EmulatorClients.PASSWORD)
            .userKey(EmulatorClients.USER, keys.getPublic())
            .start();
    try (Connection conn = EmulatorClients.password(emulator)) {
      exec(
          conn,
          "create database fault_db",
          "create table t (m variant, c variant)",
          "create stage s",
          "create pipe p as copy into t(m, c) from (select $1:meta, $1:content from @s t)"
              + " file_format = (type = 'json')",
          "create table typed (n number)",
          "create pipe typed_pipe as copy into typed from @s/typed file_format = (type = 'json')"
              + " match_by_column_name = case_insensitive");
    }
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @AfterEach
  void clearFaults() {
    emulator.faults().clear();
  }

  private static SimpleIngestManager ingest() throws Exception {
    return new SimpleIngestManager(
        EmulatorClients.ACCOUNT,
        EmulatorClients.USER,
        "FAULT_DB.PUBLIC.P",
        keys.getPrivate(),
        "http",
        "127.0.0.1",
        emulator.port());
  }

  @Test
  void serverErrorOnQueryIsRetriedByTheDriver() throws Exception {
    try (Connection conn = EmulatorClients.password(emulator)) {
      emulator.faults().failRequests(Endpoint.QUERY, 503, 1);
      assertThat(rows(conn, "select 42")).containsExactly(List.of("42"));
      assertThat(emulator.faults().nextRequestFault(Endpoint.QUERY)).isEmpty();
    }
  }

  @Test
  void slowResponsesDelayTheClient() throws Exception {
    try (Connection conn = EmulatorClients.password(emulator)) {
      emulator.faults().delayRequests(Endpoint.QUERY, Duration.ofMillis(1500), 1);
      long start = System.nanoTime();
      rows(conn, "select 1");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }
  }

  @Test
  void serverErrorOnInsertFilesReachesTheIngestClient() throws Exception {
    emulator.faults().failRequests(Endpoint.INSERT_FILES, 400, 1);
    try (SimpleIngestManager ingest = ingest()) {
      assertThatThrownBy(() -> ingest.ingestFile(new StagedFileWrapper("a.json", 1L), null))
          .isInstanceOf(IngestResponseException.class);
    }
  }

  @Test
  void matchingFilesFailToLoad() throws Exception {
    emulator.faults().failLoads("poison", "Injected: disk on fire");
    try (Connection conn = EmulatorClients.password(emulator, "FAULT_DB", "PUBLIC")) {
      DriverApi.uploadStream(
          conn,
          "s",
          "x",
          new ByteArrayInputStream("{\"meta\":{},\"content\":{}}".getBytes(StandardCharsets.UTF_8)),
          "poison.json",
          false);
    }
    try (SimpleIngestManager ingest = ingest()) {
      ingest.ingestFile(new StagedFileWrapper("x/poison.json", 1L), null);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  ingest.getHistory(null, null, null).files.stream()
                      .anyMatch(f -> f.getPath().equals("x/poison.json")));
    }
    LoadRecord record =
        emulator.loadHistory("fault_db.public.p").stream()
            .filter(r -> r.path().equals("x/poison.json"))
            .findFirst()
            .orElseThrow();
    assertThat(record.status()).isEqualTo("LOAD_FAILED");
    assertThat(record.firstError()).contains("Injected: disk on fire");
  }

  private static void stage(String name, String json) throws Exception {
    try (Connection conn = EmulatorClients.password(emulator, "FAULT_DB", "PUBLIC")) {
      DriverApi.uploadStream(
          conn,
          "s",
          "x",
          new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
          name,
          false);
    }
  }

  private static List<LoadRecord> loads(String path) {
    return emulator.loadHistory("fault_db.public.p").stream()
        .filter(r -> r.path().equals(path))
        .toList();
  }

  @Test
  void aFileThatFailedIsNotLoadedAgainUnderItsNameOnlyUnderANewOne() throws Exception {
    emulator.faults().failLoads("once_failed", "Injected: internal error");
    String row = "{\"meta\":{},\"content\":{\"tag\":\"reload\"}}";
    stage("once_failed.json", row);
    try (SimpleIngestManager ingest = ingest()) {
      ingest.ingestFile(new StagedFileWrapper("x/once_failed.json", 1L), null);
      await().atMost(Duration.ofSeconds(10)).until(() -> loads("x/once_failed.json").size() == 1);
      emulator.faults().clear();
      ingest.ingestFile(new StagedFileWrapper("x/once_failed.json", 1L), null);
      stage("once_failed_2.json", row);
      ingest.ingestFile(new StagedFileWrapper("x/once_failed_2.json", 1L), null);
      // One loader thread takes files in order: once the new name is loaded, the repeated
      // registration of the failed name has been handled too.
      await().atMost(Duration.ofSeconds(10)).until(() -> loads("x/once_failed_2.json").size() == 1);
    }
    assertThat(loads("x/once_failed.json"))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo("LOAD_FAILED"));
    assertThat(loads("x/once_failed_2.json").get(0).status()).isEqualTo("LOADED");
    try (Connection conn = EmulatorClients.password(emulator, "FAULT_DB", "PUBLIC")) {
      assertThat(rows(conn, "select count(*) from t where c:tag::string = 'reload'"))
          .containsExactly(List.of("1"));
    }
  }

  @Test
  void aValueItsColumnCannotTakeFailsTheFileWithSnowflakesMessage() throws Exception {
    try (Connection conn = EmulatorClients.password(emulator, "FAULT_DB", "PUBLIC")) {
      DriverApi.uploadStream(
          conn,
          "s",
          "typed",
          new ByteArrayInputStream("{\"n\":1}\n{\"n\":\"abc\"}".getBytes(StandardCharsets.UTF_8)),
          "mixed.json",
          false);
    }
    try (SimpleIngestManager ingest =
        new SimpleIngestManager(
            EmulatorClients.ACCOUNT,
            EmulatorClients.USER,
            "FAULT_DB.PUBLIC.TYPED_PIPE",
            keys.getPrivate(),
            "http",
            "127.0.0.1",
            emulator.port())) {
      ingest.ingestFile(new StagedFileWrapper("mixed.json", 1L), null);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !emulator.loadHistory("fault_db.public.typed_pipe").isEmpty());
    }
    LoadRecord record = emulator.loadHistory("fault_db.public.typed_pipe").get(0);
    assertThat(record.status()).isEqualTo("LOAD_FAILED");
    assertThat(record.firstError()).contains("Numeric value 'abc' is not recognized");
    try (Connection conn = EmulatorClients.password(emulator, "FAULT_DB", "PUBLIC")) {
      assertThat(rows(conn, "select count(*) from typed")).containsExactly(List.of("0"));
    }
  }

  @Test
  void controlApiArmsFaultsOverHttp() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> armed =
        http.send(
            HttpRequest.newBuilder(URI.create(emulator.accountUrl() + "/emulator/faults/requests"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"endpoint\":\"INSERT_REPORT\",\"httpStatus\":500,\"times\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(armed.statusCode()).isEqualTo(200);
    assertThat(emulator.faults().nextRequestFault(Endpoint.INSERT_REPORT))
        .hasValueSatisfying(f -> assertThat(f.httpStatus()).isEqualTo(500));
    HttpResponse<String> timeout =
        http.send(
            HttpRequest.newBuilder(URI.create(emulator.accountUrl() + "/emulator/faults/requests"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"endpoint\":\"HEARTBEAT\",\"timeoutMillis\":5000,\"times\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(timeout.statusCode()).isEqualTo(200);
    assertThat(emulator.faults().nextRequestFault(Endpoint.HEARTBEAT))
        .hasValueSatisfying(
            f -> {
              assertThat(f.unanswered()).isTrue();
              assertThat(f.delay()).isEqualTo(Duration.ofSeconds(5));
            });
    HttpResponse<String> expire =
        http.send(
            HttpRequest.newBuilder(URI.create(emulator.accountUrl() + "/emulator/sessions/expire"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(expire.body()).contains("expired");
  }
}
