package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.ExampleSecrets;
import io.pgsnow.testkit.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's pipeline exactly as {@code config-examples/pipelines/payroll} ships it (the source
 * capturing both tables, unwrapping, joining each bonus with its employee from the payroll topic,
 * computing {@code FULL_NAME}; the Snowflake sink loading the result), on Connect workers run as
 * their own processes with exactly-once source support, through the week's ordinary faults: the
 * worker killed with SIGKILL and started again, a connector config updated, rebalances (a second
 * worker joins; the first leaves, so the join's task moves to the second; the first comes back and
 * the second leaves, so it moves back), and the broker restarting. Every fault but the last
 * restarts the join's task, which rebuilds its lookup table from the topic. The warehouse must end
 * up with exactly the oracle's joined rows: none lost, none twice, each with the employee as it was
 * when the bonus committed.
 */
class PayrollPipelineFaultsIT {
  private static final Logger LOG = LoggerFactory.getLogger(PayrollPipelineFaultsIT.class);
  private static final Path EXAMPLES =
      Path.of(System.getProperty("pgsnow.config.examples", "../config-examples"));
  private static final String SOURCE = "pipelines/payroll/payroll-source-join.json";
  private static final String SINK = "pipelines/payroll/payroll-sink.json";
  private static final String DATABASE = "payroll_faults";
  private static final String GROUP = "payroll-faults";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KeyPair KEYS = TestWarehouse.newKeyPair();

  private static LocalPostgres pg;
  private static EmbeddedKafkaCluster kafka;
  private static SnowflakeEmulator emulator;
  private static final List<ConnectWorkerProcess> WORKERS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    pg = LocalPostgres.builder().start();
    pg.createDatabase(DATABASE);
    for (String sql : PayrollWorkload.SCHEMA_SQL.split(";")) {
      pg.executeIn(DATABASE, sql.trim());
    }
    Properties broker = new Properties();
    broker.put("auto.create.topics.enable", "true");
    // One broker: the transaction state topic (exactly-once sources) needs factor 1.
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    kafka = new EmbeddedKafkaCluster(1, broker);
    kafka.start();
    emulator = SnowflakeEmulator.builder().userKey("PGSNOW", KEYS.getPublic()).start();
    try (Connection c = snowflake();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS KAFKA_DB");
      s.execute("CREATE SCHEMA IF NOT EXISTS KAFKA_DB.PUBLIC");
    }
  }

  @AfterAll
  static void stop() {
    WORKERS.forEach(ConnectWorkerProcess::close);
    if (emulator != null) {
      emulator.close();
    }
    if (kafka != null) {
      kafka.stop();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static Path workDir(String name) throws Exception {
    Path dir = Path.of("target", "payroll-faults", name);
    Files.createDirectories(dir);
    return dir;
  }

  private static ConnectWorkerProcess.Builder worker(String name) throws Exception {
    return PluginArchives.exactlyOnceWorker(kafka.bootstrapServers(), GROUP)
        .workDirectory(workDir(name));
  }

  private static ConnectWorkerProcess started(ConnectWorkerProcess.Builder builder) {
    ConnectWorkerProcess worker = builder.start();
    WORKERS.add(worker);
    return worker;
  }

  private ConnectWorkerProcess.Builder builderA;
  private ConnectWorkerProcess workerA;
  private PayrollWorkload workload;

  @Test
  void theSeedJoinLandsExactlyTheOracleRowsThroughCrashesAConfigUpdateAndRebalances()
      throws Exception {
    builderA = worker("worker-a");
    workerA = started(builderA);
    Map<String, String> source = config(SOURCE);
    put(workerA, "payroll-source", source);
    put(workerA, "payroll-sink", config(SINK));
    awaitRunning(workerA, "payroll-source");
    awaitRunning(workerA, "payroll-sink");
    pg.awaitSlotActive(DATABASE, source.get("slot.name"));

    try (Connection db = pg.connect(DATABASE)) {
      workload = new PayrollWorkload(db, 40);
      workload.hireAll();
      workload.write(150);
      awaitLanded(workload);

      killTheWorkerAndStartItAgain();
      updateTheSourceConfig(source);
      moveTheJoinToASecondWorkerAndBack();
      restartTheBroker();
      workload.write(100);
      awaitLanded(workload);

      assertKafkaAndTheWarehouseHoldExactlyTheOracle();
    }
  }

  /** The worker dies with SIGKILL while changes stream, and is started again. */
  private void killTheWorkerAndStartItAgain() throws Exception {
    long before = joinedInKafka();
    CompletableFuture<Void> writing = writeAsync(workload, 400);
    Awaitility.await("joined records streaming before the crash")
        .atMost(Duration.ofMinutes(2))
        .until(() -> joinedInKafka() >= before + 40);
    LOG.info("Killing worker A (SIGKILL) at {} joined records", joinedInKafka());
    workerA.kill();
    WORKERS.remove(workerA);
    // Same worker config, fresh log file (the killed worker's log stays for a post-mortem).
    workerA = started(builderA.workDirectory(workDir("worker-a-restarted")));
    awaitRunning(workerA, "payroll-source");
    awaitRunning(workerA, "payroll-sink");
    writing.get(5, TimeUnit.MINUTES);
    awaitLanded(workload);
  }

  /** The source's config is updated while changes stream: its task restarts. */
  private void updateTheSourceConfig(Map<String, String> source) throws Exception {
    CompletableFuture<Void> writing = writeAsync(workload, 300);
    Map<String, String> updated = new LinkedHashMap<>(source);
    updated.put("transforms.join.lookup.timeout.ms", "60000");
    put(workerA, "payroll-source", updated);
    writing.get(5, TimeUnit.MINUTES);
    awaitRunning(workerA, "payroll-source");
    awaitLanded(workload);
  }

  /**
   * Rebalances: a second worker joins; the first leaves, so the join's task moves to the second;
   * the first comes back and the second leaves, so it moves back.
   */
  private void moveTheJoinToASecondWorkerAndBack() throws Exception {
    ConnectWorkerProcess workerB = started(worker("worker-b"));
    CompletableFuture<Void> writing = writeAsync(workload, 200);
    awaitAssignment(workerB, "some work on worker B", () -> runsOn(workerB, workerB.port()));
    writing.get(5, TimeUnit.MINUTES);
    awaitLanded(workload);

    writing = writeAsync(workload, 250);
    int portA = workerA.port();
    workerA.close();
    WORKERS.remove(workerA);
    awaitAssignment(
        workerB,
        "the join's task on worker B",
        () -> taskOn(workerB, "payroll-source", workerB.port()));
    writing.get(5, TimeUnit.MINUTES);
    awaitLanded(workload);

    writing = writeAsync(workload, 250);
    workerA = started(builderA.workDirectory(workDir("worker-a-rejoined")));
    workerB.close();
    WORKERS.remove(workerB);
    ConnectWorkerProcess a = workerA;
    assertThat(a.port()).isEqualTo(portA);
    awaitAssignment(
        a, "the join's task back on worker A", () -> taskOn(a, "payroll-source", portA));
    awaitAssignment(a, "the sink's task on worker A", () -> taskOn(a, "payroll-sink", portA));
    writing.get(5, TimeUnit.MINUTES);
    awaitLanded(workload);
  }

  /** The broker restarts while changes stream. */
  private void restartTheBroker() throws Exception {
    long before = joinedInKafka();
    CompletableFuture<Void> writing = writeAsync(workload, 300);
    Awaitility.await("joined records streaming before the broker restart")
        .atMost(Duration.ofMinutes(2))
        .until(() -> joinedInKafka() >= before + 20);
    LOG.info("Restarting the broker at {} joined records", joinedInKafka());
    kafka.stopOnlyBrokers();
    kafka.restartOnlyBrokers();
    writing.get(5, TimeUnit.MINUTES);
    awaitRunning(workerA, "payroll-source");
    awaitRunning(workerA, "payroll-sink");
  }

  private void assertKafkaAndTheWarehouseHoldExactlyTheOracle() throws Exception {
    Map<Long, Map<String, Object>> expected = workload.expectedJoinedRows();
    // Kafka first: the committed joined records are the oracle's, each once.
    List<Map<String, Object>> inKafka = committedRecords("payroll_complete");
    assertSameRows("Kafka's payroll_complete", byBonusId(inKafka, "payroll_complete"), expected);
    // Then the warehouse, once the sink loaded as many rows as Kafka holds.
    Awaitility.await("the sink loaded every committed record")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(() -> warehouseCount("PAYROLL_COMPLETE") >= inKafka.size());
    List<Map<String, Object>> landed = warehouseRows("PAYROLL_COMPLETE");
    LOG.info("Workload: {}; warehouse: {} joined rows", workload.summary(), landed.size());
    assertSameRows(
        "the warehouse's PAYROLL_COMPLETE", byBonusId(landed, "PAYROLL_COMPLETE"), expected);
    int payrollRecords = committedRecords("postgres_cdc.public.payroll").size();
    assertThat(payrollRecords)
        .as("employee inserts, updates and deletes in the payroll topic, each once")
        .isEqualTo(workload.payrollChanges());
    Awaitility.await("TOPIC_PAYROLL loaded")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(() -> warehouseCount("TOPIC_PAYROLL") >= payrollRecords);
    assertThat(warehouseCount("TOPIC_PAYROLL")).isEqualTo(payrollRecords);
  }

  /**
   * Fails with the bonus ids that are missing, extra or different, not with the two whole maps
   * (which the assertion library cuts after 1,000 entries, hiding the difference).
   */
  private static void assertSameRows(
      String where,
      Map<Long, Map<String, Object>> actual,
      Map<Long, Map<String, Object>> expected) {
    List<Long> missing = new ArrayList<>();
    List<String> different = new ArrayList<>();
    expected.forEach(
        (id, row) -> {
          if (!actual.containsKey(id)) {
            missing.add(id);
          } else if (!row.equals(actual.get(id))) {
            different.add(id + ": expected " + row + " but was " + actual.get(id));
          }
        });
    List<Long> extra = new ArrayList<>(actual.keySet());
    extra.removeAll(expected.keySet());
    assertThat(missing.isEmpty() && extra.isEmpty() && different.isEmpty())
        .as(
            "%s holds %d rows, the oracle %d; missing bonus ids %s; extra %s; different %s",
            where, actual.size(), expected.size(), missing, extra, different)
        .isTrue();
  }

  /** Rows by bonus id; fails naming any bonus found twice. */
  private static Map<Long, Map<String, Object>> byBonusId(
      List<Map<String, Object>> rows, String where) {
    Map<Long, Map<String, Object>> byBonus = new TreeMap<>();
    List<Long> duplicates = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      long bonusId = ((Number) row.get("bonus_id")).longValue();
      if (byBonus.put(bonusId, row) != null) {
        duplicates.add(bonusId);
      }
    }
    assertThat(duplicates).as("bonuses twice in " + where).isEmpty();
    return byBonus;
  }

  /** The values of a topic's committed records (tombstones left out), numbers as longs. */
  private static List<Map<String, Object>> committedRecords(String topic) throws Exception {
    List<Map<String, Object>> values = new ArrayList<>();
    for (var record :
        kafka.consumeAll(
            Duration.ofMinutes(1).toMillis(),
            Map.of("isolation.level", "read_committed"),
            Map.of(),
            topic)) {
      if (record.value() != null) {
        values.add(parse(new String(record.value(), StandardCharsets.UTF_8)));
      }
    }
    return values;
  }

  private static Map<String, Object> parse(String json) throws Exception {
    Map<String, Object> row =
        JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    row.replaceAll((k, v) -> v instanceof Number n ? (Object) n.longValue() : v);
    return row;
  }

  private static CompletableFuture<Void> writeAsync(PayrollWorkload workload, int changes) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            workload.write(changes);
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * Waits until the warehouse holds as many joined rows as the oracle (the end compares them);
   * fails at once, with its trace, when a task of the pipeline failed.
   */
  private static void awaitLanded(PayrollWorkload workload) {
    int expected = workload.expectedJoinedRows().size();
    Awaitility.await("warehouse rows for " + workload.summary())
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .until(
            () -> {
              assertNoTaskFailed();
              return warehouseCount("PAYROLL_COMPLETE") >= expected;
            });
  }

  private static void assertNoTaskFailed() throws Exception {
    ConnectWorkerProcess worker = WORKERS.get(WORKERS.size() - 1);
    for (String name : List.of("payroll-source", "payroll-sink")) {
      JsonNode status = JSON.readTree(worker.get("/connectors/" + name + "/status"));
      if ("FAILED".equals(status.at("/tasks/0/state").asText())) {
        throw new AssertionError(name + " failed: " + status.at("/tasks/0/trace").asText());
      }
    }
  }

  private static long joinedInKafka() throws Exception {
    try {
      return kafka.endOffset(new TopicPartition("payroll_complete", 0));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static int warehouseCount(String table) throws SQLException {
    try (Connection c = snowflake();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM KAFKA_DB.PUBLIC." + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static List<Map<String, Object>> warehouseRows(String table) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = snowflake();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT RECORD_CONTENT FROM KAFKA_DB.PUBLIC." + table)) {
      while (rs.next()) {
        rows.add(parse(rs.getString(1)));
      }
    }
    return rows;
  }

  private static boolean runsOn(ConnectWorkerProcess worker, int port) throws Exception {
    for (String name : List.of("payroll-source", "payroll-sink")) {
      JsonNode status = JSON.readTree(worker.get("/connectors/" + name + "/status"));
      if (status.at("/connector/worker_id").asText().endsWith(":" + port)) {
        return true;
      }
      for (JsonNode task : status.path("tasks")) {
        if (task.path("worker_id").asText().endsWith(":" + port)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the connector's task runs on the worker listening on the port. */
  private static boolean taskOn(ConnectWorkerProcess worker, String name, int port)
      throws Exception {
    JsonNode status = JSON.readTree(worker.get("/connectors/" + name + "/status"));
    return "RUNNING".equals(status.at("/tasks/0/state").asText())
        && status.at("/tasks/0/worker_id").asText().endsWith(":" + port);
  }

  private static void awaitAssignment(
      ConnectWorkerProcess worker, String what, Callable<Boolean> done) {
    Awaitility.await(what)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(done);
  }

  private static boolean running(ConnectWorkerProcess worker, String name) throws Exception {
    JsonNode status = JSON.readTree(worker.get("/connectors/" + name + "/status"));
    if ("FAILED".equals(status.at("/tasks/0/state").asText())) {
      throw new AssertionError(name + " failed: " + status.at("/tasks/0/trace").asText());
    }
    return "RUNNING".equals(status.at("/tasks/0/state").asText());
  }

  private static void awaitRunning(ConnectWorkerProcess worker, String name) {
    Awaitility.await(name + " running")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .until(() -> running(worker, name));
  }

  private static void put(ConnectWorkerProcess worker, String name, Map<String, String> config)
      throws Exception {
    worker.put("/connectors/" + name + "/config", JSON.writeValueAsString(config));
  }

  /** A file of config-examples with its placeholders filled, as a user fills them. */
  private static Map<String, String> config(String file) throws Exception {
    Map<String, String> values = new HashMap<>();
    values.put("PG_HOST", pg.host());
    values.put("PG_PORT", Integer.toString(pg.port()));
    values.put("PG_USER", LocalPostgres.SUPERUSER);
    values.put("PG_DATABASE", DATABASE);
    values.put("KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    values.put("SNOWFLAKE_URL", emulator.accountUrl());
    values.put("SNOWFLAKE_USER", "PGSNOW");
    ExampleSecrets secrets =
        ExampleSecrets.write(
            workDir("secrets"),
            Map.of(
                "database.password",
                LocalPostgres.PASSWORD,
                "snowflake.private.key",
                Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded())));
    JsonNode root = JSON.readTree(EXAMPLES.resolve(file).toFile());
    Map<String, String> config = new LinkedHashMap<>();
    root.get("config")
        .fields()
        .forEachRemaining(
            e -> {
              String value = secrets.resolvePath(e.getValue().asText());
              for (Map.Entry<String, String> v : values.entrySet()) {
                value = value.replace("${" + v.getKey() + "}", v.getValue());
              }
              config.put(e.getKey(), value);
            });
    assertThat(config.values())
        .noneMatch(v -> v.replaceAll("\\$\\{file:[^}]+}", "").contains("${"));
    return config;
  }

  private static Connection snowflake() throws SQLException {
    Properties p = new Properties();
    p.put("account", "FAULTS");
    p.put("user", "PGSNOW");
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", KEYS.getPrivate());
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    return DriverManager.getConnection(emulator.jdbcUrl(), p);
  }
}
