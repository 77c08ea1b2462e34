package io.pgsnow.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgsnow.sink.auth.SnowflakeUrl;
import io.pgsnow.sink.naming.Identifier;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls of different partitions share one JDBC connection without waiting for each other: a call
 * held in the driver blocks no other call, and a failure that retires the connection does not close
 * it under a call still running on it.
 */
class SnowflakeSessionConcurrencyTest {

  private static final Identifier STAGE = Identifier.of("STG");
  private static final byte[] GZIP = {1, 2, 3};
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private final FakeJdbc jdbc = new FakeJdbc();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final SnowflakeSession session = new SnowflakeSession(settings(), jdbc::open);

  private static ConnectionSettings settings() {
    Duration limit = Duration.ofSeconds(30);
    return new ConnectionSettings(
        SnowflakeUrl.parse("https://acct.snowflakecomputing.com"),
        "u",
        null,
        Identifier.of("DB"),
        Identifier.of("PUBLIC"),
        Optional.empty(),
        Optional.empty(),
        new ClientTimeouts(limit, limit, limit, limit));
  }

  @AfterEach
  void close() {
    session.close();
    threads.shutdownNow();
  }

  private CompletableFuture<Void> upload(String directory, String fileName) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            session.upload(STAGE, directory, fileName, GZIP);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        threads);
  }

  /** Starts an upload of p0 that the driver holds at {@code gate} until the test opens it. */
  private CompletableFuture<Void> heldUpload(FakeJdbc.Gate gate) throws InterruptedException {
    CompletableFuture<Void> upload = upload("p0", "a.json.gz");
    assertThat(gate.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return upload;
  }

  @Test
  void aHeldUploadBlocksNeitherAnotherPartitionsUploadNorQueries() throws Exception {
    FakeJdbc.Gate held = jdbc.hold("a.json.gz");
    CompletableFuture<Void> first = heldUpload(held);

    upload("p1", "b.json.gz").get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(session.list(STAGE, "p1"))
        .extracting(Session.StagedFile::path)
        .containsExactly("p1/b.json.gz");
    assertThat(first).isNotDone();

    held.open();
    first.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(session.list(STAGE, "p0"))
        .extracting(Session.StagedFile::path)
        .containsExactly("p0/a.json.gz");
    assertThat(jdbc.logins).hasSize(1);
  }

  @Test
  void callsWaitingForTheLoginShareIt() throws Exception {
    FakeJdbc.Gate login = jdbc.hold("USE DATABASE DB");
    CompletableFuture<Void> first = heldUpload(login);
    CompletableFuture<Void> second = upload("p1", "b.json.gz");

    login.open();
    CompletableFuture.allOf(first, second).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(jdbc.logins).hasSize(1);
  }

  @Test
  void aRetiredConnectionIsClosedOnlyAfterTheCallsStillOnIt() throws Exception {
    FakeJdbc.Gate held = jdbc.hold("a.json.gz");
    CompletableFuture<Void> first = heldUpload(held);
    FakeJdbc.Opened shared = jdbc.logins.get(0);

    jdbc.fail("LIST @STG/p1/", new SQLTransientConnectionException("connection reset"));
    assertThatThrownBy(() -> session.list(STAGE, "p1"))
        .isInstanceOf(SQLTransientConnectionException.class);
    assertThat(shared.closed()).isFalse();

    // The next call logs in again while the held upload still runs on the retired connection.
    upload("p1", "b.json.gz").get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(jdbc.logins).hasSize(2);
    assertThat(shared.closed()).isFalse();
    assertThat(first).isNotDone();

    held.open();
    first.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    await().atMost(DEADLINE).until(() -> shared.closed().get());
    assertThat(jdbc.logins.get(1).closed()).isFalse();
  }

  @Test
  void closeLetsTheRunningCallFinishThenLogsOut() throws Exception {
    FakeJdbc.Gate held = jdbc.hold("a.json.gz");
    CompletableFuture<Void> running = heldUpload(held);
    FakeJdbc.Opened shared = jdbc.logins.get(0);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(session::close, threads);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> session.list(STAGE, "p1"))
                    .isInstanceOf(SnowflakeSession.ClosedSessionException.class)
                    .hasMessageContaining("closed"));
    assertThat(shared.closed()).isFalse();
    assertThat(closing).isNotDone();

    // The upload's stage check runs after close() was called, on the connection not logged out.
    held.open();
    running.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    closing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(shared.closed()).isTrue();
    assertThat(jdbc.logins).hasSize(1);
  }
}
