package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import io.pgsnow.testkit.TcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  private static String failedTrace() {
    ConnectorStateInfo info = connect.connect().connectorStatus("rs");
    return info.tasks().stream()
        .filter(t -> "FAILED".equals(t.state()))
        .map(ConnectorStateInfo.TaskState::trace)
        .findFirst()
        .orElse("");
  }
}
