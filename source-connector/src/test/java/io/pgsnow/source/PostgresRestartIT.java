package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import io.pgsnow.testkit.TcpProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task that starts while PostgreSQL is down (a rebalance or a worker restart during a database
 * restart) waits for it under {@code replication.retry.*}, as the stream's reconnects do, and then
 * streams what was written meanwhile; before, its first connection failed the task for good. Found
 * by PipelineFaultSuiteIT. The connector reaches the server through a TCP proxy, which counts the
 * task's connection attempts.
 */
class PostgresRestartIT {
  private static final String DB = "restart_it";
  private static final String SETUP_DB = "restart_setup_it";
  private static final String FIN_DB = "restart_fin_it";
  private static final String FAST_DB = "restart_fast_it";
  private static LocalPostgres pg;
  private static TcpProxy proxy;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.builder().start();
    pg.createDatabase(DB);
    pg.executeIn(DB, "CREATE TABLE t (id int PRIMARY KEY, v text)");
    proxy = TcpProxy.start(pg.host(), pg.port());
    connect = SourceItSupport.sharedCluster();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void aTaskStartedWhilePostgresIsDownWaitsForItAndStreams() throws Exception {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "rs");
    config.put("database.hostname", proxy.host());
    config.put("database.port", Integer.toString(proxy.port()));
    config.put("replication.retry.backoff.ms", "200");
    config.put("replication.retry.backoff.max.ms", "500");
    config.put("replication.retry.max.attempts", "200");
    SourceItSupport.startConnector(connect, pg, DB, "rs", config);
    pg.executeIn(DB, "INSERT INTO t VALUES (1, 'before')");
    SourceItSupport.awaitRecords(connect, "rs.public.t", 1);

    pg.stop(LocalPostgres.Shutdown.FAST);
    long attempts = proxy.acceptedConnections();
    connect.connect().restartTask("rs", 0);
    Awaitility.await("the restarted task tries to connect again and again")
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              assertThat(failedTrace()).as("the task failed").isEmpty();
              return proxy.acceptedConnections() >= attempts + 3;
            });
    assertThat(failedTrace()).isEmpty();
    pg.start();
    pg.executeIn(DB, "INSERT INTO t VALUES (2, 'after')");

    List<JsonNode> values =
        SourceItSupport.events(SourceItSupport.awaitRecords(connect, "rs.public.t", 2)).stream()
            .map(SourceItSupport.Event::after)
            .toList();
    assertThat(values).extracting(v -> v.get("v").asText()).containsExactly("before", "after");
    connect.awaitRunning("rs", 1, Duration.ofSeconds(60));
  }

  /**
   * The connection a starting task prepares replication on ends half-way (PostgreSQL shutting down
   * answers 57P01 "terminating connection due to administrator command"): the task prepares again
   * from the start instead of failing. Found by PipelineFaultSuiteIT, where a task restarted while
   * PostgreSQL stopped. The task is held in its preparation by a lock on pg_publication, and its
   * session is ended there.
   */
  @Test
  void aTaskWhoseSetupConnectionEndsHalfWayPreparesAgain() throws Exception {
    pg.createDatabase(SETUP_DB);
    pg.executeIn(SETUP_DB, "CREATE TABLE t (id int PRIMARY KEY, v text)");
    Map<String, String> config = SourceItSupport.connectorConfig(pg, SETUP_DB, "setup");
    config.put("replication.retry.backoff.ms", "100");
    config.put("replication.retry.backoff.max.ms", "200");
    SourceItSupport.startConnector(connect, pg, SETUP_DB, "setup", config);
    pg.executeIn(SETUP_DB, "INSERT INTO t VALUES (1, 'before')");
    SourceItSupport.awaitRecords(connect, "setup.public.t", 1);

    try (Connection lock = pg.connect(SETUP_DB)) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE pg_catalog.pg_publication IN ACCESS EXCLUSIVE MODE");
      }
      connect.connect().restartTask("setup", 0);
      String waiting =
          "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
              + " AND application_name = 'pgsnow-source:setup'";
      Awaitility.await("the restarted task waits for pg_publication")
          .atMost(Duration.ofMinutes(1))
          .until(() -> exists(waiting));
      try (Statement s = lock.createStatement()) {
        s.execute("SELECT pg_terminate_backend(pid) FROM (" + waiting + ") w");
      }
      lock.commit();
    }
    pg.executeIn(SETUP_DB, "INSERT INTO t VALUES (2, 'after')");

    List<JsonNode> values =
        SourceItSupport.events(SourceItSupport.awaitRecords(connect, "setup.public.t", 2)).stream()
            .map(SourceItSupport.Event::after)
            .toList();
    assertThat(values).extracting(v -> v.get("v").asText()).containsExactly("before", "after");
    connect.awaitRunning("setup", 1, Duration.ofSeconds(60));
    assertThat(failedTrace("setup")).isEmpty();
  }

  /**
   * A replication connection closed in order (FIN: the server's fast shutdown, a proxy) is noticed
   * when the stream's poll meets its end, not when the next status update fails to write: the row
   * written after the cut arrives well before the next write. Writes on the connection go out when
   * the stream opens and then every {@code status.update.interval.ms} (the server asks for no reply
   * sooner: its wal_sender_timeout is raised for the database), so with the cut in the stream's
   * first half interval the next one is at least half an interval later; the row must arrive within
   * a quarter.
   */
  @Test
  void aStreamClosedInOrderReconnectsLongBeforeTheNextStatusUpdate() throws Exception {
    Duration statusInterval = Duration.ofSeconds(60);
    pg.createDatabase(FIN_DB);
    pg.executeIn(
        FIN_DB,
        "CREATE TABLE t (id int PRIMARY KEY, v text)",
        "ALTER DATABASE " + FIN_DB + " SET wal_sender_timeout = '10min'");
    try (TcpProxy fin = TcpProxy.start(pg.host(), pg.port())) {
      Map<String, String> config = SourceItSupport.connectorConfig(pg, FIN_DB, "fin");
      config.put("database.hostname", fin.host());
      config.put("database.port", Integer.toString(fin.port()));
      config.put("status.update.interval.ms", Long.toString(statusInterval.toMillis()));
      config.put("replication.retry.backoff.ms", "200");
      config.put("replication.retry.backoff.max.ms", "500");
      long created = System.nanoTime();
      SourceItSupport.startConnector(connect, pg, FIN_DB, "fin", config);
      pg.executeIn(FIN_DB, "INSERT INTO t VALUES (1, 'before')");
      SourceItSupport.awaitRecords(connect, "fin.public.t", 1);

      assertThat(Duration.ofNanos(System.nanoTime() - created))
          .as("the cut comes in the stream's first half status interval")
          .isLessThan(statusInterval.dividedBy(2));
      fin.cut();
      pg.executeIn(FIN_DB, "INSERT INTO t VALUES (2, 'after')");
      awaitTheRowAfter("fin", "the cut", statusInterval.dividedBy(4));
    } finally {
      // Before its proxy closes, or the task would retry against a closed port.
      connect.connect().deleteConnector("fin");
    }
  }

  /**
   * A fast shutdown ends the stream with a CommandComplete, which pgjdbc leaves unread while it
   * waits for a CopyDone, then closes the connection: the task notices at its next poll, not at its
   * next status update. As above, with a status interval of a minute and the stop in the stream's
   * first half interval, the row written once the server is back must arrive within a quarter of
   * the interval from the stop.
   */
  @Test
  void aFastShutdownIsNoticedLongBeforeTheNextStatusUpdate() throws Exception {
    Duration statusInterval = Duration.ofSeconds(60);
    pg.createDatabase(FAST_DB);
    pg.executeIn(
        FAST_DB,
        "CREATE TABLE t (id int PRIMARY KEY, v text)",
        "ALTER DATABASE " + FAST_DB + " SET wal_sender_timeout = '10min'");
    Map<String, String> config = SourceItSupport.connectorConfig(pg, FAST_DB, "fast");
    config.put("status.update.interval.ms", Long.toString(statusInterval.toMillis()));
    config.put("replication.retry.backoff.ms", "200");
    config.put("replication.retry.backoff.max.ms", "500");
    config.put("replication.retry.max.attempts", "200");
    long created = System.nanoTime();
    SourceItSupport.startConnector(connect, pg, FAST_DB, "fast", config);
    try {
      pg.executeIn(FAST_DB, "INSERT INTO t VALUES (1, 'before')");
      SourceItSupport.awaitRecords(connect, "fast.public.t", 1);

      long stopped = System.nanoTime();
      assertThat(Duration.ofNanos(stopped - created))
          .as("the stop comes in the stream's first half status interval")
          .isLessThan(statusInterval.dividedBy(2));
      pg.stop(LocalPostgres.Shutdown.FAST);
      pg.start();
      pg.executeIn(FAST_DB, "INSERT INTO t VALUES (2, 'after')");
      awaitTheRowAfter(
          "fast",
          "the restart",
          statusInterval.dividedBy(4).minus(Duration.ofNanos(System.nanoTime() - stopped)));
    } finally {
      connect.connect().deleteConnector("fast");
    }
  }

  /**
   * The row written after {@code what} arrives in the connector's topic within {@code within},
   * after the one before it, and the task did not fail.
   */
  private static void awaitTheRowAfter(String connector, String what, Duration within) {
    TopicPartition topic = new TopicPartition(connector + ".public.t", 0);
    Awaitility.await("the row written after " + what + ", within " + within)
        .atMost(within)
        .ignoreExceptions()
        .until(() -> connect.kafka().endOffset(topic) >= 2);
    List<JsonNode> values =
        SourceItSupport.events(SourceItSupport.awaitRecords(connect, topic.topic(), 2)).stream()
            .map(SourceItSupport.Event::after)
            .toList();
    assertThat(values).extracting(v -> v.get("v").asText()).containsExactly("before", "after");
    assertThat(failedTrace(connector)).isEmpty();
  }

  private static boolean exists(String query) throws Exception {
    try (Connection c = pg.connect(SETUP_DB);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      return rs.next();
    }
  }

  private static String failedTrace() {
    return failedTrace("rs");
  }

  private static String failedTrace(String connector) {
    ConnectorStateInfo info = connect.connect().connectorStatus(connector);
    return info.tasks().stream()
        .filter(t -> "FAILED".equals(t.state()))
        .map(ConnectorStateInfo.TaskState::trace)
        .findFirst()
        .orElse("");
  }
}
