package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.emulator.fault.RequestJournal;
import io.pgsnow.emulator.fault.RequestJournal.RecordedRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import net.snowflake.ingest.SimpleIngestManager;
import net.snowflake.ingest.connection.IngestResponse;
import net.snowflake.ingest.utils.StagedFileWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests that are slow or never answered, pushed past the real clients' own timeouts: what the
 * JDBC driver 3.24 and the ingest SDK 2.3 really do, and that the emulator answers like the service
 * (one execution per query-request id, Snowflake's cancel and statement-timeout errors).
 */
class ClientTimeoutIT {

  /** Far longer than any test waits: only a client-side timeout or a cancel can end it. */
  private static final Duration FOREVER = Duration.ofMinutes(2);

  private static final Duration GENEROUS = Duration.ofSeconds(90);

  private static final AtomicInteger TABLES = new AtomicInteger();

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
          "create database timeout_db",
          "create table loaded (m variant, c variant)",
          "create stage s",
          "create pipe p as copy into loaded(m, c) from (select $1:meta, $1:content from @s t)"
              + " file_format = (type = 'json')");
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

  private static Connection connect(String... properties) throws SQLException {
    Properties p = EmulatorClients.baseProperties();
    p.put("password", EmulatorClients.PASSWORD);
    p.put("db", "TIMEOUT_DB");
    p.put("schema", "PUBLIC");
    for (int i = 0; i < properties.length; i += 2) {
      p.put(properties[i], properties[i + 1]);
    }
    return DriverApi.connect(emulator.jdbcUrl(), p);
  }

  private static String newTable(Connection conn) throws SQLException {
    String table = "t" + TABLES.incrementAndGet();
    exec(conn, "create table " + table + " (x int)");
    return table;
  }

  private static long count(Connection conn, String table) throws SQLException {
    return Long.parseLong(rows(conn, "select count(*) from " + table).get(0).get(0));
  }

  private static List<RecordedRequest> attempts(Endpoint endpoint, String requestId) {
    return emulator.requests().stream()
        .filter(r -> r.endpoint() == endpoint)
        .filter(r -> r.parameter("requestId").orElse("").equals(requestId))
        .toList();
  }

  /**
   * The request id of the one retried request (retryCount set) to the endpoint since {@code from}.
   */
  private static String retriedRequestId(int from) {
    return emulator.requests().stream()
        .skip(from)
        .filter(r -> r.endpoint() == Endpoint.QUERY && r.parameter("retryCount").isPresent())
        .map(r -> r.parameter("requestId").orElseThrow())
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no query-request was retried"));
  }

  @Test
  void queryRequestTimedOutByTheDriverIsRetriedAndRunsOnce() throws Exception {
    // injectSocketTimeout is the one per-request socket timeout driver 3.24 applies to a
    // query-request: to its first attempt. The statement runs longer than that.
    try (Connection conn = connect("injectSocketTimeout", "1000");
        Statement st = conn.createStatement()) {
      String table = newTable(conn);
      int from = emulator.requests().size();
      emulator.faults().delayRequests(Endpoint.QUERY, Duration.ofSeconds(4), 1);

      assertThat(st.executeUpdate("insert into " + table + " values (1)")).isEqualTo(1);

      String requestId = retriedRequestId(from);
      await().atMost(GENEROUS).until(() -> attempts(Endpoint.QUERY, requestId).size() == 2);
      assertThat(attempts(Endpoint.QUERY, requestId))
          .filteredOn(r -> r.parameter("retryCount").isEmpty())
          .hasSize(1);
      assertThat(attempts(Endpoint.QUERY, requestId))
          .filteredOn(r -> r.parameter("retryCount").isPresent())
          .singleElement()
          .satisfies(
              retry -> {
                assertThat(retry.parameter("retryCount")).contains("1");
                assertThat(retry.parameter("retryReason")).contains("0");
                assertThat(retry.status()).isEqualTo(200);
              });
      assertThat(count(conn, table)).isEqualTo(1);
    }
  }

  @Test
  void queryRequestLeftUnansweredIsSentAgainWithTheSameRequestId() throws Exception {
    try (Connection conn = connect();
        Statement st = conn.createStatement()) {
      String table = newTable(conn);
      int from = emulator.requests().size();
      emulator.faults().timeoutRequests(Endpoint.QUERY, Duration.ofSeconds(2), 1);

      assertThat(st.executeUpdate("insert into " + table + " values (1)")).isEqualTo(1);

      List<RecordedRequest> attempts = attempts(Endpoint.QUERY, retriedRequestId(from));
      assertThat(attempts)
          .extracting(RecordedRequest::status)
          .containsExactlyInAnyOrder(RequestJournal.NO_RESPONSE, 200);
      assertThat(count(conn, table)).isEqualTo(1);
    }
  }

  @Test
  void socketTimeoutPropertyDoesNotCutASlowQueryRequestShort() throws Exception {
    // Driver 3.24 builds its shared HTTP client before it reads HTTP_CLIENT_SOCKET_TIMEOUT, and
    // networkTimeout only bounds retries: one slow answer is waited for.
    try (Connection conn = connect("HTTP_CLIENT_SOCKET_TIMEOUT", "1000", "networkTimeout", "1000");
        Statement st = conn.createStatement()) {
      String table = newTable(conn);
      int from = emulator.requests().size();
      emulator.faults().delayRequests(Endpoint.QUERY, Duration.ofSeconds(3), 1);

      assertThat(st.executeUpdate("insert into " + table + " values (1)")).isEqualTo(1);

      assertThat(emulator.requests().stream().skip(from))
          .filteredOn(r -> r.endpoint() == Endpoint.QUERY)
          .singleElement()
          .satisfies(r -> assertThat(r.parameter("retryCount")).isEmpty());
      assertThat(count(conn, table)).isEqualTo(1);
    }
  }

  @Test
  void networkTimeoutEndsTheRetriesOfUnansweredQueryRequests() throws Exception {
    try (Connection conn = connect("networkTimeout", "3000")) {
      emulator.faults().timeoutRequests(Endpoint.QUERY, Duration.ofSeconds(1), 1000);

      SQLException e =
          assertTimeoutPreemptively(
              GENEROUS,
              () -> catchThrowableOfType(SQLException.class, () -> rows(conn, "select 1")));

      assertThat(e.getErrorCode()).isEqualTo(200015);
      assertThat(e.getSQLState()).isEqualTo("58030");
      assertThat(e.getMessage()).contains("failed to respond");
    }
  }

  @Test
  void queryTimeoutAbortsTheRunningStatement() throws Exception {
    try (Connection conn = connect();
        Statement st = conn.createStatement()) {
      String table = newTable(conn);
      st.setQueryTimeout(1);
      emulator.faults().delayRequests(Endpoint.QUERY, FOREVER, 1);

      SQLException e =
          assertTimeoutPreemptively(
              GENEROUS,
              () ->
                  catchThrowableOfType(
                      SQLException.class,
                      () -> st.executeUpdate("insert into " + table + " values (1)")));

      // The driver's own timer sent an abort-request; the emulator ended the statement with it.
      assertThat(e.getErrorCode()).isEqualTo(604);
      assertThat(e.getSQLState()).isEqualTo("57014");
      assertThat(e.getMessage()).isEqualTo("SQL execution canceled");
      assertThat(emulator.requests())
          .anyMatch(r -> r.path().equals("/queries/v1/abort-request") && r.status() == 200);
      assertThat(count(conn, table)).isZero();
    }
  }

  @Test
  void serverSideQueryTimeoutEndsTheStatementWithSnowflakesError() throws Exception {
    try (Connection conn = connect("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
        Statement st = conn.createStatement()) {
      String table = newTable(conn);
      int from = emulator.requests().size();
      st.setQueryTimeout(1);
      emulator.faults().delayRequests(Endpoint.QUERY, FOREVER, 1);

      SQLException e =
          assertTimeoutPreemptively(
              GENEROUS,
              () ->
                  catchThrowableOfType(
                      SQLException.class,
                      () -> st.executeUpdate("insert into " + table + " values (1)")));

      assertThat(e.getErrorCode()).isEqualTo(630);
      assertThat(e.getSQLState()).isEqualTo("57014");
      assertThat(e.getMessage())
          .isEqualTo(
              "Statement reached its statement or warehouse timeout of 1 second(s) and was"
                  + " canceled.");
      assertThat(emulator.requests().stream().skip(from))
          .noneMatch(r -> r.path().equals("/queries/v1/abort-request"));
      assertThat(count(conn, table)).isZero();
    }
  }

  @Test
  void statementFasterThanItsTimeoutCompletes() throws Exception {
    try (Connection conn = connect("IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT", "true");
        Statement st = conn.createStatement()) {
      String table = newTable(conn);
      st.setQueryTimeout(60);
      emulator.faults().delayRequests(Endpoint.QUERY, Duration.ofSeconds(1), 1);

      assertThat(st.executeUpdate("insert into " + table + " values (1)")).isEqualTo(1);
      assertThat(count(conn, table)).isEqualTo(1);
    }
  }

  @Test
  void passwordLoginGivesUpAfterLoginTimeoutWhenNoAttemptIsAnswered() {
    emulator.faults().timeoutRequests(Endpoint.LOGIN, Duration.ofSeconds(1), 1000);

    SQLException e =
        assertTimeoutPreemptively(
            GENEROUS,
            () -> catchThrowableOfType(SQLException.class, () -> connect("loginTimeout", "3")));

    assertThat(e.getErrorCode()).isEqualTo(200015);
    assertThat(e.getSQLState()).isEqualTo("58030");
    assertThat(e.getMessage()).contains("failed to respond");
  }

  @Test
  void passwordLoginWaitsOutAHeldAttemptLongerThanLoginTimeout() throws Exception {
    // Password login has no per-request timeout (the shared client's 300 s socket timeout), and
    // the driver always retries once: a 5 s hold with loginTimeout=2 still ends in a session.
    int from = emulator.requests().size();
    emulator.faults().timeoutRequests(Endpoint.LOGIN, Duration.ofSeconds(5), 1);

    try (Connection conn = connect("loginTimeout", "2")) {
      assertThat(rows(conn, "select 1")).containsExactly(List.of("1"));
    }
    assertThat(emulator.requests().stream().skip(from))
        .filteredOn(r -> r.endpoint() == Endpoint.LOGIN)
        .extracting(RecordedRequest::status)
        .containsExactlyInAnyOrder(RequestJournal.NO_RESPONSE, 200);
  }

  @Test
  void keyPairLoginRetriesAfterItsJwtAuthTimeoutOnlyWithDriver3() throws Exception {
    // Driver 3.x gives a JWT login attempt 10 s (JWT_AUTH_TIMEOUT), then retries with a new JWT.
    // Driver 4.4.1 keeps waiting for the unanswered attempt, past its login timeout too: the sink
    // bounds every login itself (SnowflakeSession) for this reason.
    int from = emulator.requests().size();
    emulator.faults().timeoutRequests(Endpoint.LOGIN, FOREVER, 1);
    if (DriverApi.current()) {
      CompletableFuture<Connection> login =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return EmulatorClients.keyPair(emulator, EmulatorClients.USER, keys);
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      await()
          .during(Duration.ofSeconds(15))
          .atMost(Duration.ofSeconds(20))
          .until(() -> !login.isDone());
      // No second attempt was made: it would have been answered (and journaled) at once.
      assertThat(emulator.requests().stream().skip(from))
          .filteredOn(r -> r.endpoint() == Endpoint.LOGIN)
          .isEmpty();
      login.cancel(true);
      return;
    }

    try (Connection conn =
        assertTimeoutPreemptively(
            GENEROUS, () -> EmulatorClients.keyPair(emulator, EmulatorClients.USER, keys))) {
      assertThat(rows(conn, "select current_user()")).containsExactly(List.of("TESTER"));
    }
    emulator.faults().clear();
    await()
        .atMost(GENEROUS)
        .untilAsserted(
            () ->
                assertThat(emulator.requests().stream().skip(from))
                    .filteredOn(r -> r.endpoint() == Endpoint.LOGIN)
                    .extracting(RecordedRequest::status)
                    .containsExactlyInAnyOrder(RequestJournal.NO_RESPONSE, 200));
  }

  @Test
  void ingestSdkSendsAnUnansweredInsertFilesAgain() throws Exception {
    try (Connection conn = connect()) {
      DriverApi.uploadStream(
          conn,
          "s",
          "retry",
          new ByteArrayInputStream(
              "{\"meta\":{},\"content\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8)),
          "once.json",
          false);
    }
    int from = emulator.requests().size();
    emulator.faults().timeoutRequests(Endpoint.INSERT_FILES, Duration.ofSeconds(1), 1);
    try (SimpleIngestManager ingest =
        new SimpleIngestManager(
            EmulatorClients.ACCOUNT,
            EmulatorClients.USER,
            "TIMEOUT_DB.PUBLIC.P",
            keys.getPrivate(),
            "http",
            "127.0.0.1",
            emulator.port())) {
      IngestResponse response =
          assertTimeoutPreemptively(
              GENEROUS,
              () -> ingest.ingestFile(new StagedFileWrapper("retry/once.json", null), null));
      assertThat(response.getResponseCode()).isEqualTo("SUCCESS");
    }

    assertThat(emulator.requests().stream().skip(from))
        .filteredOn(r -> r.endpoint() == Endpoint.INSERT_FILES)
        .satisfies(
            inserts -> {
              assertThat(inserts)
                  .extracting(RecordedRequest::status)
                  .containsExactlyInAnyOrder(RequestJournal.NO_RESPONSE, 200);
              assertThat(inserts)
                  .extracting(r -> r.parameter("requestId"))
                  .containsOnly(inserts.get(0).parameter("requestId"));
            });
    await()
        .atMost(GENEROUS)
        .until(
            () ->
                emulator.loadHistory("timeout_db.public.p").stream()
                    .anyMatch(r -> r.path().equals("retry/once.json")));
    assertThat(emulator.loadHistory("timeout_db.public.p"))
        .filteredOn(r -> r.path().equals("retry/once.json"))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo("LOADED"));
  }
}
