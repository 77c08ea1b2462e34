package io.pgsnow.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.ExampleSecrets;
import io.pgsnow.testkit.KafkaBrokerProcess;
import io.pgsnow.testkit.LocalPostgres;
import io.pgsnow.testkit.TcpProxy;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline as users deploy it, for the fault suite: PostgreSQL (durable settings), a TCP
 * proxy between the source connector and PostgreSQL, a KRaft Kafka broker in its own JVM (it can be
 * killed and restarted on its ports and log directory), three Kafka Connect distributed workers in
 * their own JVMs loading the plugin archives (exactly-once source support, secrets through the
 * FileConfigProvider), the emulator keeping its data in a directory (so it can restart), the source
 * connector running as a role with only REPLICATION and SELECT on a publication an administrator
 * created, and two sinks reading committed records only: one for the ledger (3 tasks, 4 partitions,
 * the current-state model) and one for 2 KB blobs with the default buffers.
 *
 * <p>Beside it, for the at-least-once comparison, a fourth worker in a Connect cluster of its own
 * without exactly-once source support runs a second source (its own slot and a publication of the
 * ledger only) and a sink reading every record (no {@code read_committed}) into another table.
 */
final class FaultPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultPipeline.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path DIR = Path.of("target", "fault-suite");

  static final String DATABASE = "fault_suite";
  static final String ROLE = "fs_cdc";
  static final String SOURCE = "fs-source";
  static final String LEDGER_SINK = "fs-ledger-sink";
  static final String BLOB_SINK = "fs-blob-sink";
  static final String LEDGER_TOPIC = "fs.public.ledger";
  static final String BLOB_TOPIC = "fs.public.blob";
  static final int PARTITIONS = 4;
  static final int LEDGER_SINK_TASKS = 3;
  static final String WORKER_HEAP = "512m";

  /** The at-least-once pipeline: its own worker, source, topic, sink and table. */
  static final String ALO_SOURCE = "fs-alo-source";

  static final String ALO_SINK = "fs-alo-sink";
  static final String ALO_TOPIC = "fsa.public.ledger";
  static final String ALO_TABLE = "LEDGER_ALO";

  /**
   * How often the at-least-once worker commits source offsets: a source task killed with SIGKILL
   * writes again what it wrote since the last commit, at most this long.
   */
  static final Duration ALO_OFFSET_FLUSH = Duration.ofSeconds(5);

  private static final String USER = "PGSNOW";

  /** The secrets of the run, which no log, topic or REST answer may hold. */
  final String rolePassword = "fs-" + UUID.randomUUID();

  final String passphrase = "pp-" + UUID.randomUUID();
  final KeyPair keys = TestWarehouse.newKeyPair();
  final String encryptedKey;

  final LocalPostgres pg;
  final TcpProxy proxy;
  final KafkaBrokerProcess kafka;
  private final Path secretsFile;
  private SnowflakeEmulator emulator;
  private final SnowflakeEmulator.Builder emulatorBuilder;
  private final List<ConnectWorkerProcess.Builder> builders = new ArrayList<>();
  private final List<ConnectWorkerProcess> workers = new ArrayList<>();
  private final List<Path> logs = new CopyOnWriteArrayList<>();
  private final List<String> restAnswers = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> restarting = new ArrayList<>();
  private ConnectWorkerProcess.Builder aloBuilder;
  private volatile ConnectWorkerProcess aloWorker;
  private int restarts;

  private final boolean quickStart;

  /**
   * @param quickStart workers that start faster on a busy machine (C1 only, serial GC), for short
   *     runs; the full run keeps the JVM's defaults
   */
  FaultPipeline(boolean quickStart) throws Exception {
    this.quickStart = quickStart;
    deleteTree(DIR);
    Files.createDirectories(DIR);
    encryptedKey = TestWarehouse.encryptedPem(keys, passphrase);
    pg = LocalPostgres.builder().durable().start();
    pg.createDatabase(DATABASE);
    pg.executeIn(DATABASE, LedgerWorkload.SCHEMA_SQL.toArray(String[]::new));
    // Least privilege: the administrator creates the publication; the connector's role may
    // log in, replicate and read the captured tables, nothing else.
    pg.executeIn(
        DATABASE,
        "CREATE PUBLICATION fs_pub FOR TABLE ledger, blob",
        "CREATE PUBLICATION fs_alo_pub FOR TABLE ledger",
        "CREATE ROLE " + ROLE + " WITH LOGIN REPLICATION PASSWORD '" + rolePassword + "'",
        "GRANT SELECT ON ledger, blob TO " + ROLE);
    proxy = TcpProxy.start(pg.host(), pg.port());

    KafkaBrokerProcess.Builder broker =
        KafkaBrokerProcess.builder(PluginArchives.KAFKA_RUNTIME)
            .property("auto.create.topics.enable", "false")
            .property("transaction.state.log.replication.factor", "1")
            .property("transaction.state.log.min.isr", "1")
            .workDirectory(DIR.resolve("broker"));
    if (quickStart) {
      broker.jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC");
    }
    kafka = broker.start();
    try (Admin admin = kafka.admin()) {
      admin
          .createTopics(
              List.of(LEDGER_TOPIC, BLOB_TOPIC, ALO_TOPIC).stream()
                  .map(t -> new NewTopic(t, PARTITIONS, (short) 1))
                  .toList())
          .all()
          .get();
    }

    emulatorBuilder =
        SnowflakeEmulator.builder()
            .userKey(USER, keys.getPublic())
            .dataDirectory(DIR.resolve("warehouse").toAbsolutePath());
    emulator = emulatorBuilder.start();
    emulatorBuilder.port(emulator.port());
    try (Connection c = warehouse();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS KAFKA_DB");
      s.execute("CREATE SCHEMA IF NOT EXISTS KAFKA_DB.PUBLIC");
    }
    secretsFile =
        ExampleSecrets.write(
                DIR.resolve("secrets"),
                Map.of(
                    "database.password", rolePassword,
                    "snowflake.private.key", encryptedKey,
                    "snowflake.private.key.passphrase", passphrase))
            .file()
            .toAbsolutePath();
  }

  /** Starts the three workers (in parallel) and creates the connectors. */
  void startWorkersAndConnectors() throws Exception {
    List<CompletableFuture<ConnectWorkerProcess>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ConnectWorkerProcess.Builder builder = workerBuilder(i);
      builders.add(builder);
      starting.add(CompletableFuture.supplyAsync(builder::start));
    }
    aloBuilder = atLeastOnceWorkerBuilder();
    CompletableFuture<ConnectWorkerProcess> alo = CompletableFuture.supplyAsync(aloBuilder::start);
    for (CompletableFuture<ConnectWorkerProcess> f : starting) {
      workers.add(f.get());
    }
    aloWorker = alo.get();
    ConnectWorkerProcess any = workers.get(0);
    put(any, SOURCE, sourceConfig());
    put(any, LEDGER_SINK, ledgerSinkConfig(LEDGER_SINK_TASKS));
    put(any, BLOB_SINK, blobSinkConfig());
    put(aloWorker, ALO_SOURCE, atLeastOnceSourceConfig());
    put(aloWorker, ALO_SINK, atLeastOnceSinkConfig());
    for (String name : List.of(SOURCE, LEDGER_SINK, BLOB_SINK)) {
      awaitRunning(name);
    }
    awaitAtLeastOnceRunning();
    pg.awaitSlotActive(DATABASE, "fs_slot");
    pg.awaitSlotActive(DATABASE, "fs_alo_slot");
  }

  /**
   * The at-least-once cluster's one worker: no exactly-once source support, offsets committed every
   * {@link #ALO_OFFSET_FLUSH}, its own group and topics; a task of a worker that died is started
   * again as soon as the worker is back, with no scheduled delay.
   */
  private ConnectWorkerProcess.Builder atLeastOnceWorkerBuilder() throws Exception {
    Path dir = workDir("alo-worker");
    logs.add(dir.resolve("worker.log"));
    ConnectWorkerProcess.Builder builder =
        PluginArchives.exactlyOnceWorker(kafka.bootstrapServers(), "fault-suite-alo")
            .property("exactly.once.source.support", "disabled")
            .property("offset.flush.interval.ms", Long.toString(ALO_OFFSET_FLUSH.toMillis()))
            .property("scheduled.rebalance.max.delay.ms", "0")
            .property("session.timeout.ms", "6000")
            .property("heartbeat.interval.ms", "2000")
            // The sink's consumers of the killed worker leave their group after 6 s, not 45 s.
            .property("consumer.session.timeout.ms", "6000")
            .property("consumer.heartbeat.interval.ms", "2000");
    for (String topic : List.of("config", "offset", "status")) {
      builder.property(topic + ".storage.topic", "fault-suite-alo-" + topic + "s");
    }
    // One partition each, not 25 and 5: less for the broker to load when it restarts.
    builder.property("offset.storage.partitions", "1").property("status.storage.partitions", "1");
    if (quickStart) {
      builder.jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC");
    }
    return builder.heap(WORKER_HEAP).workDirectory(dir);
  }

  private ConnectWorkerProcess.Builder workerBuilder(int index) throws Exception {
    Path dir = workDir("worker-" + index);
    logs.add(dir.resolve("worker.log"));
    ConnectWorkerProcess.Builder builder =
        PluginArchives.exactlyOnceWorker(kafka.bootstrapServers(), "fault-suite");
    if (quickStart) {
      builder.jvmOption("-XX:TieredStopAtLevel=1").jvmOption("-XX:+UseSerialGC");
    }
    return builder
        .heap(WORKER_HEAP)
        // One GC log per process (%p: its pid), restarts included: the heap after each GC.
        .jvmOption("-Xlog:gc:file=" + dir.toAbsolutePath().resolve("gc-%p.log"))
        // A sink task's partitions move to another worker once the dead worker's consumer
        // misses 10 s of heartbeats, not the consumer's default 45 s.
        .property("consumer.session.timeout.ms", "10000")
        .property("consumer.heartbeat.interval.ms", "3000")
        .workDirectory(dir);
  }

  private Map<String, String> sourceConfig() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", "io.pgsnow.source.PostgresCdcSourceConnector");
    c.put("tasks.max", "1");
    c.put("exactly.once.support", "required");
    c.put("database.hostname", proxy.host());
    c.put("database.port", Integer.toString(proxy.port()));
    c.put("database.user", ROLE);
    c.put("database.password", secret("database.password"));
    c.put("database.dbname", DATABASE);
    c.put("topic.prefix", "fs");
    c.put("table.include.list", "public.ledger,public.blob");
    c.put("slot.name", "fs_slot");
    c.put("publication.name", "fs_pub");
    c.put("publication.autocreate.mode", "disabled");
    c.put("tombstones.on.delete", "false");
    c.put("replication.retry.backoff.ms", "500");
    c.put("replication.retry.backoff.max.ms", "2000");
    c.put("replication.retry.max.attempts", "60");
    converters(c);
    return c;
  }

  /** The source without exactly-once, capturing the ledger into its own topic through its slot. */
  private Map<String, String> atLeastOnceSourceConfig() {
    Map<String, String> c = sourceConfig();
    c.remove("exactly.once.support");
    c.put("topic.prefix", "fsa");
    c.put("table.include.list", "public.ledger");
    c.put("slot.name", "fs_alo_slot");
    c.put("publication.name", "fs_alo_pub");
    return c;
  }

  /** The sink of the at-least-once topic, reading every record (Kafka's default isolation). */
  private Map<String, String> atLeastOnceSinkConfig() {
    Map<String, String> c = sinkConfig(ALO_TOPIC, ALO_TABLE, 2);
    c.remove("consumer.override.isolation.level");
    c.put("buffer.flush.time", "1");
    return c;
  }

  Map<String, String> ledgerSinkConfig(int tasks) {
    Map<String, String> c = sinkConfig(LEDGER_TOPIC, "LEDGER", tasks);
    c.put("buffer.flush.time", "1");
    c.put("snowflake.model.views", "true");
    c.put("snowflake.model.current_state", "view");
    return c;
  }

  /** Default buffers (10,000 records or 5,000,000 bytes per partition); flushed after 2 s idle. */
  private Map<String, String> blobSinkConfig() {
    Map<String, String> c = sinkConfig(BLOB_TOPIC, "BLOB", 2);
    c.put("buffer.flush.time", "2");
    return c;
  }

  private Map<String, String> sinkConfig(String topic, String table, int tasks) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", "io.pgsnow.sink.SnowflakeSinkConnector");
    c.put("tasks.max", Integer.toString(tasks));
    c.put("topics", topic);
    c.put("consumer.override.isolation.level", "read_committed");
    c.put("snowflake.topic2table.map", topic + ":" + table);
    c.put("snowflake.url.name", emulator.accountUrl());
    c.put("snowflake.user.name", USER);
    c.put("snowflake.private.key", secret("snowflake.private.key"));
    c.put("snowflake.private.key.passphrase", secret("snowflake.private.key.passphrase"));
    c.put("snowflake.database.name", "KAFKA_DB");
    c.put("snowflake.schema.name", "PUBLIC");
    c.put("snowflake.warehouse.name", "COMPUTE_WH");
    c.put("snowflake.load.check.interval.ms", "500");
    c.put("snowflake.load.retry.backoff.ms", "1000");
    c.put("snowflake.snowpipe.request.timeout.ms", "5000");
    c.put("snowflake.statement.timeout.ms", "20000");
    c.put("snowflake.retry.backoff.max.ms", "2000");
    c.put("behavior.on.null.values", "IGNORE");
    converters(c);
    return c;
  }

  private static void converters(Map<String, String> c) {
    c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    c.put("key.converter.schemas.enable", "false");
    c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    c.put("value.converter.schemas.enable", "false");
  }

  private String secret(String key) {
    return "${file:" + secretsFile + ":" + key + "}";
  }

  // ---- workers and the REST API

  List<ConnectWorkerProcess> workers() {
    return workers;
  }

  /** The worker running the connector's task {@code task}. */
  int workerOf(String connector, int task) throws Exception {
    JsonNode status = status(connector);
    for (JsonNode t : status.path("tasks")) {
      if (t.path("id").asInt() == task) {
        String port = t.path("worker_id").asText().replaceAll(".*:", "");
        for (int i = 0; i < workers.size(); i++) {
          if (Integer.toString(workers.get(i).port()).equals(port)) {
            return i;
          }
        }
      }
    }
    throw new IllegalStateException(connector + " task " + task + " is not assigned: " + status);
  }

  /** SIGKILL: no task stopped, no offset flushed, no group left. */
  void kill(int index) {
    LOG.info("Killing worker {} (SIGKILL)", index);
    workers.get(index).kill();
  }

  /** SIGTERM: the worker stops its tasks and leaves the group. */
  void stop(int index) {
    LOG.info("Stopping worker {}", index);
    workers.get(index).close();
  }

  /**
   * Starts worker {@code index} again on its port, writing a fresh log, in the background: the
   * others take over its tasks meanwhile. {@link #awaitSettled()} waits for it.
   */
  void restartInBackground(int index) throws Exception {
    Path dir = workDir("worker-" + index + "-restart-" + ++restarts);
    logs.add(dir.resolve("worker.log"));
    ConnectWorkerProcess.Builder builder = builders.get(index).workDirectory(dir);
    restarting.add(
        CompletableFuture.runAsync(
            () -> {
              ConnectWorkerProcess worker = builder.start();
              synchronized (workers) {
                workers.set(index, worker);
              }
            }));
  }

  /**
   * Waits until restarted workers are up and the cluster is settled: every connector and task
   * RUNNING, and each worker running some of them (the rebalance after a worker came back is over).
   */
  void awaitSettled() throws Exception {
    awaitRestarted("the Connect cluster settled", this::settled);
  }

  /** Waits for the workers being restarted, then until {@code condition} holds. */
  private void awaitRestarted(String condition, java.util.concurrent.Callable<Boolean> until)
      throws Exception {
    for (CompletableFuture<Void> f : restarting) {
      f.get(5, java.util.concurrent.TimeUnit.MINUTES);
    }
    restarting.clear();
    Awaitility.await(condition)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .until(until);
  }

  private boolean settled() throws Exception {
    java.util.Set<String> busy = new java.util.HashSet<>();
    for (String name : List.of(SOURCE, LEDGER_SINK, BLOB_SINK)) {
      JsonNode status = status(name);
      if (!"RUNNING".equals(status.at("/connector/state").asText())) {
        return false;
      }
      busy.add(status.at("/connector/worker_id").asText());
      for (JsonNode task : status.path("tasks")) {
        if ("FAILED".equals(task.path("state").asText())) {
          throw new AssertionError(name + " failed: " + task.path("trace").asText());
        }
        if (!"RUNNING".equals(task.path("state").asText())) {
          return false;
        }
        busy.add(task.path("worker_id").asText());
      }
    }
    return busy.size() == workers.size();
  }

  JsonNode status(String connector) throws Exception {
    return JSON.readTree(rest("/connectors/" + connector + "/status"));
  }

  /** GET on a live worker, the answer kept for the secret scan. */
  String rest(String path) {
    RuntimeException last = null;
    List<ConnectWorkerProcess> live;
    synchronized (workers) {
      live = List.copyOf(workers);
    }
    for (ConnectWorkerProcess worker : live) {
      if (worker.isAlive()) {
        try {
          String answer = worker.get(path);
          restAnswers.add(answer);
          return answer;
        } catch (RuntimeException e) {
          last = e;
        }
      }
    }
    throw last != null ? last : new IllegalStateException("No worker is alive");
  }

  void put(ConnectWorkerProcess worker, String name, Map<String, String> config) throws Exception {
    restAnswers.add(worker.put("/connectors/" + name + "/config", JSON.writeValueAsString(config)));
  }

  /** SIGKILL of the at-least-once worker, started again in the background. */
  void killAndRestartAtLeastOnceWorker() throws Exception {
    LOG.info("Killing the at-least-once worker (SIGKILL)");
    aloWorker.kill();
    Path dir = workDir("alo-worker-restart-" + ++restarts);
    logs.add(dir.resolve("worker.log"));
    ConnectWorkerProcess.Builder builder = aloBuilder.workDirectory(dir);
    restarting.add(CompletableFuture.runAsync(() -> aloWorker = builder.start()));
  }

  /** Stops the at-least-once worker for good: the other scenarios are the exactly-once ones'. */
  void closeAtLeastOnceWorker() {
    aloWorker.close();
  }

  /** Waits until the at-least-once worker is up with its source and sink running. */
  void awaitAtLeastOnceRunning() throws Exception {
    awaitRestarted(
        "the at-least-once connectors running",
        () ->
            running(atLeastOnceStatus(ALO_SOURCE), ALO_SOURCE)
                && running(atLeastOnceStatus(ALO_SINK), ALO_SINK));
  }

  /** A connector's status on the at-least-once worker, the answer kept for the secret scan. */
  JsonNode atLeastOnceStatus(String connector) throws Exception {
    String answer = aloWorker.get("/connectors/" + connector + "/status");
    restAnswers.add(answer);
    return JSON.readTree(answer);
  }

  void reconfigureLedgerSink(int tasks) throws Exception {
    ConnectWorkerProcess worker =
        workers.stream().filter(ConnectWorkerProcess::isAlive).findFirst().orElseThrow();
    put(worker, LEDGER_SINK, ledgerSinkConfig(tasks));
  }

  /** Fails with the trace of a failed connector or task. */
  void assertNoneFailed() throws Exception {
    for (String name : List.of(SOURCE, LEDGER_SINK, BLOB_SINK)) {
      JsonNode status = status(name);
      for (JsonNode task : status.path("tasks")) {
        if ("FAILED".equals(task.path("state").asText())) {
          throw new AssertionError(
              name + " task " + task.path("id") + " failed: " + task.path("trace").asText());
        }
      }
    }
  }

  void awaitRunning(String name) {
    Awaitility.await(name + " running")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
        .until(
            () -> {
              assertNoneFailed();
              return running(status(name), name);
            });
  }

  /** Whether the connector and its tasks (at least one) run; fails when a task failed. */
  private static boolean running(JsonNode status, String name) {
    for (JsonNode task : status.path("tasks")) {
      if ("FAILED".equals(task.path("state").asText())) {
        throw new AssertionError(name + " failed: " + task.path("trace").asText());
      }
    }
    if (!"RUNNING".equals(status.at("/connector/state").asText())
        || status.path("tasks").isEmpty()) {
      return false;
    }
    for (JsonNode task : status.path("tasks")) {
      if (!"RUNNING".equals(task.path("state").asText())) {
        return false;
      }
    }
    return true;
  }

  // ---- the broker

  /**
   * A consumer of the broker reading raw bytes from the earliest offset, for partitions the caller
   * assigns; {@code overrides} on top.
   */
  KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> overrides) {
    Map<String, Object> props = kafka.clientProperties();
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.putAll(overrides);
    return new KafkaConsumer<>(props);
  }

  /** SIGKILL of the broker, then a start on its ports and log directory (log recovery). */
  void killAndRestartBroker() {
    LOG.info("Killing the Kafka broker (SIGKILL)");
    kafka.kill();
    kafka.restart();
  }

  /** SIGTERM of the broker (a controlled shutdown), then a start on its ports and log directory. */
  void stopAndRestartBroker() {
    LOG.info("Stopping the Kafka broker (SIGTERM)");
    kafka.stop();
    kafka.restart();
  }

  // ---- the warehouse

  SnowflakeEmulator emulator() {
    return emulator;
  }

  /** Stops the emulator and starts it again on its port with its data. */
  void restartEmulator() {
    LOG.info("Restarting the emulator");
    emulator.close();
    emulator = emulatorBuilder.start();
  }

  Connection warehouse() throws SQLException {
    Properties p = new Properties();
    p.put("account", "FAULTS");
    p.put("user", USER);
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", keys.getPrivate());
    p.put("db", "KAFKA_DB");
    p.put("schema", "PUBLIC");
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    return DriverManager.getConnection(emulator.jdbcUrl(), p);
  }

  long warehouseCount(String table) throws SQLException {
    try (Connection c = warehouse();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM KAFKA_DB.PUBLIC." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  // ---- what the secret scan reads

  /** The logs of every worker and of every start of the broker. */
  List<Path> logs() {
    List<Path> all = new ArrayList<>(logs);
    all.addAll(kafka.logs());
    return all;
  }

  List<String> restAnswers() {
    return restAnswers;
  }

  static Path workDir(String name) throws Exception {
    Path dir = DIR.resolve(name);
    Files.createDirectories(dir);
    return dir;
  }

  @Override
  public void close() {
    restarting.forEach(f -> f.cancel(false));
    synchronized (workers) {
      workers.forEach(ConnectWorkerProcess::close);
    }
    if (aloWorker != null) {
      aloWorker.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    kafka.close();
    proxy.close();
    pg.close();
  }

  private static void deleteTree(Path root) throws Exception {
    if (Files.exists(root)) {
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
