package io.pgsnow.demo;

import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.ExampleSecrets;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code bin/demo}: the seed's pipeline on this machine. PostgreSQL, a KRaft Kafka broker and a
 * Kafka Connect distributed worker run as separate processes; the worker loads the pgsnow plugin
 * archives from its plugin.path; the connectors are created through the REST API from the files in
 * {@code config-examples/}; the Snowflake emulator (or a real account) is the warehouse.
 */
public final class Demo implements AutoCloseable {
  static final String SOURCE_CONFIG = "config-examples/pipelines/payroll/payroll-source-join.json";
  static final String SINK_CONFIG = "config-examples/pipelines/payroll/payroll-sink.json";
  static final String MODELS_CONFIG = "config-examples/pipelines/payroll/payroll-models-sink.json";
  static final String PAYROLL_TABLE = "KAFKA_DB.PUBLIC.PAYROLL";
  static final String DATABASE = "seed";
  static final String WORKER_GROUP = "pgsnow-demo";

  private final DemoOptions options;
  private final PrintStream out;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private LocalPostgres pg;
  private KafkaBrokerProcess broker;
  private ConnectWorkerProcess worker;
  private Warehouse warehouse;
  private ExampleSecrets secrets;
  private boolean sinkInstalled;

  Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("pgsnow.root", ".")).toAbsolutePath().normalize();
    DemoOptions options;
    try {
      options = DemoOptions.parse(root, args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Demo demo = new Demo(options, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
    try {
      Result result = demo.run();
      if (options.keepRunning()) {
        demo.out.println("\nEverything keeps running: Ctrl-C or `bin/demo stop` shuts it down.");
        Thread.currentThread().join();
      }
      System.exit(result.complete() ? 0 : 1);
    } catch (PortTakenException e) {
      System.err.println(e.getMessage());
      System.exit(3);
    }
  }

  /**
   * What the demo saw at the end.
   *
   * @param currentState PostgreSQL's payroll next to PAYROLL_CURRENT, when a sink ran
   * @param complete every joined row landed and PAYROLL_CURRENT equals PostgreSQL's payroll
   */
  record Result(
      int expectedRows,
      int landedRows,
      List<List<String>> completeRows,
      Optional<PayrollComparison> currentState,
      boolean complete) {}

  Result run() throws Exception {
    checkPorts();
    Files.createDirectories(options.workDir());
    Files.writeString(
        options.workDir().resolve("demo.pid"), Long.toString(ProcessHandle.current().pid()));
    step(
        "Starting PostgreSQL on port "
            + options.pgPort()
            + " (durable: fsync, synchronous_commit and full_page_writes on)");
    pg = LocalPostgres.builder().port(options.pgPort()).durable().start();
    resources.add(pg);
    pg.createDatabase(DATABASE);
    SeedData.createSchema(pg, DATABASE);
    startWarehouse();
    secrets =
        ExampleSecrets.write(
            options.workDir(),
            Map.of(
                "database.password",
                LocalPostgres.PASSWORD,
                "snowflake.private.key",
                warehouse.privateKeyText()));
    step("Starting a Kafka broker (KRaft) on port " + options.kafkaPort());
    Path runtime = options.root().resolve("packaging/runtimes/kafka-4.3.1/target/lib");
    broker =
        KafkaBrokerProcess.start(
            runtime, freshDir("kafka"), options.kafkaPort(), options.controllerPort());
    resources.add(broker);
    step(
        "Starting a Kafka Connect distributed worker on port "
            + options.connectPort()
            + " with exactly-once source support (exactly.once.source.support=enabled)");
    worker =
        ConnectWorkerProcess.builder(runtime)
            .bootstrapServers(broker.bootstrapServers())
            .pluginPath(installPlugins())
            .property("listeners", "http://127.0.0.1:" + options.connectPort())
            .property("group.id", WORKER_GROUP)
            .property("plugin.discovery", "service_load")
            // Source records and their offsets are committed in one Kafka transaction: a crash
            // of the worker or the broker repeats nothing (the source config requires it).
            .property("exactly.once.source.support", "enabled")
            // Connector configs name their secrets as ${file:<secrets file>:<key>}: the worker
            // reads them when it starts a task, so no secret is in the config topic or in REST.
            .property("config.providers", "file")
            .property(
                "config.providers.file.class",
                ExampleSecrets.WORKER_PROPERTIES.get("config.providers.file.class"))
            .workDirectory(options.workDir().resolve("connect"))
            .start();
    resources.add(worker);
    sinkInstalled = worker.get("/connector-plugins").contains("SnowflakeSinkConnector");
    // The employees exist before the source starts: its initial snapshot copies them (op=r),
    // consistent with the changes it streams afterwards.
    step(
        "Writing "
            + SeedData.EMPLOYEES
            + " employees before the source connector starts (its initial snapshot copies them)");
    try (Connection c = pg.connect(DATABASE)) {
      SeedData.insertEmployees(c);
    }
    createConnectors();
    step(
        "Writing bonuses, a raise, a deleted employee and an unknown employee's bonus"
            + " (streamed as they commit)");
    try (Connection c = pg.connect(DATABASE)) {
      SeedData.generateChanges(c, options.bonuses());
    }
    int landed = awaitRows(SeedData.expectedJoinedRows(options.bonuses()));
    Optional<PayrollComparison> currentState =
        sinkInstalled ? Optional.of(awaitCurrentState()) : Optional.empty();
    printWarehouse(currentState);
    printConnectionInfo();
    int expected = SeedData.expectedJoinedRows(options.bonuses());
    List<List<String>> rows =
        sinkInstalled ? new SeedQueries(warehouse, out).completeRows() : List.of();
    return new Result(
        expected,
        landed,
        rows,
        currentState,
        landed == expected && currentState.map(PayrollComparison::matches).orElse(true));
  }

  private void startWarehouse() throws Exception {
    if (options.snowflakeUrl().isPresent()) {
      step("Using the Snowflake account at " + options.snowflakeUrl().get());
    } else {
      step("Starting the Snowflake emulator on port " + options.emulatorPort());
    }
    warehouse = Warehouse.start(options, freshDir("warehouse"));
    resources.add(warehouse);
  }

  private Path installPlugins() throws IOException {
    Path plugins = freshDir("plugins");
    Directories.installPlugins(options.root().resolve("packaging/target/zips"), plugins, out);
    return plugins;
  }

  private void createConnectors() throws IOException {
    Map<String, String> values =
        Map.of(
            "PG_HOST", pg.host(),
            "PG_PORT", Integer.toString(pg.port()),
            "PG_USER", LocalPostgres.SUPERUSER,
            "PG_DATABASE", DATABASE,
            "KAFKA_BOOTSTRAP", broker.bootstrapServers(),
            "SNOWFLAKE_URL", warehouse.accountUrl(),
            "SNOWFLAKE_USER", warehouse.user());
    ConnectorDeployer deployer =
        new ConnectorDeployer(worker, options.root(), values, secrets, out);
    step(
        "Creating the source connector from "
            + SOURCE_CONFIG
            + " (REST API; exactly.once.support=required)");
    deployer.deploy(SOURCE_CONFIG, slot -> pg.slotActive(DATABASE, slot));
    if (sinkInstalled && Files.exists(options.root().resolve(SINK_CONFIG))) {
      step(
          "Creating the Snowflake sink connector from "
              + SINK_CONFIG
              + " (REST API; reads committed records only, loads each offset once)");
      deployer.deploy(SINK_CONFIG, slot -> true);
      step(
          "Creating the sink that keeps PAYROLL and its models PAYROLL_VIEW and PAYROLL_CURRENT"
              + " (a dynamic table) from "
              + MODELS_CONFIG);
      deployer.deploy(MODELS_CONFIG, slot -> true);
    } else {
      step("No Snowflake sink plugin in the archives: rows are shown from the Kafka topic");
      sinkInstalled = false;
    }
  }

  /** The number of joined rows that landed (or reached Kafka, without a sink). */
  private int awaitRows(int expected) throws Exception {
    step("Waiting for " + expected + " joined rows (FULL_NAME, BONUS, ...) to land");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    int landed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      while (System.nanoTime() < deadline) {
        long captured = count(pg, "SELECT count(*) FROM payroll_bonus");
        long inKafka = endOffset(consumer, "payroll_complete");
        landed = sinkInstalled ? warehouse.count(SeedQueries.COMPLETE_TABLE) : (int) inKafka;
        out.printf(
            "  PostgreSQL: %d bonus rows | Kafka payroll_complete: %d records | %s: %d rows%n",
            captured, inKafka, sinkInstalled ? "Snowflake PAYROLL_COMPLETE" : "joined", landed);
        if (landed >= expected) {
          break;
        }
        sleep(Duration.ofSeconds(2));
      }
    }
    return landed;
  }

  /**
   * Waits until PAYROLL and the seed's TOPIC_PAYROLL hold every change of the payroll table,
   * refreshes PAYROLL_CURRENT (a dynamic table refreshes by itself within its target lag; the demo
   * does not wait for it), then reads it and PostgreSQL's payroll.
   */
  private PayrollComparison awaitCurrentState() throws Exception {
    int changes = SeedData.payrollChanges(options.bonuses());
    step(
        "Waiting for the "
            + changes
            + " payroll changes (snapshot, raise, delete) to land in PAYROLL and TOPIC_PAYROLL,"
            + " then refreshing"
            + " PAYROLL_CURRENT");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      int models = warehouse.count(PAYROLL_TABLE);
      int seed = warehouse.count(SeedQueries.PAYROLL_TABLE);
      out.printf(
          "  Snowflake PAYROLL: %d, TOPIC_PAYROLL: %d of %d changes%n", models, seed, changes);
      boolean landed = models >= changes && seed >= changes;
      if (landed && refreshCurrentState() || System.nanoTime() > deadline) {
        break;
      }
      sleep(Duration.ofSeconds(2));
    }
    QueryResult postgres;
    try (Connection c = pg.connect(DATABASE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(PayrollComparison.POSTGRES_QUERY)) {
      postgres = QueryResult.read(rs);
    }
    return new PayrollComparison(postgres, warehouse.select(PayrollComparison.CURRENT_QUERY));
  }

  /** Whether PAYROLL_CURRENT exists and was refreshed. */
  private boolean refreshCurrentState() {
    try {
      warehouse.execute("ALTER DYNAMIC TABLE " + PayrollComparison.CURRENT + " REFRESH");
      return true;
    } catch (SQLException e) {
      out.println("  PAYROLL_CURRENT not refreshed yet: " + e.getMessage());
      return false;
    }
  }

  private void printWarehouse(Optional<PayrollComparison> currentState) throws SQLException {
    if (!sinkInstalled) {
      return;
    }
    step("The seed's Snowflake queries, through the Snowflake JDBC driver");
    new SeedQueries(warehouse, out).print();
    step("PostgreSQL's payroll table next to its current-state model in Snowflake");
    currentState.ifPresent(c -> c.print(out));
  }

  private void printConnectionInfo() {
    step("How to connect to each piece");
    out.println(
        "  PostgreSQL:   psql -h 127.0.0.1 -p "
            + pg.port()
            + " -U postgres "
            + DATABASE
            + "   (password: database.password in "
            + secrets.file()
            + ")");
    out.println("  Kafka:        bootstrap servers " + broker.bootstrapServers());
    out.println("  Kafka Connect REST: " + worker.restUrl() + "/connectors");
    warehouse
        .emulator()
        .ifPresent(
            emulator ->
                out.println(
                    "  Snowflake emulator JDBC: "
                        + emulator.jdbcUrl()
                        + "  (user "
                        + warehouse.user()
                        + ", key pair in "
                        + warehouse.keyFile()
                        + ")"));
    out.println("  Logs: " + options.workDir());
  }

  /** The demo's PostgreSQL server, once started. */
  LocalPostgres postgres() {
    return pg;
  }

  /** The file the connectors read their secrets from, once written. */
  ExampleSecrets secrets() {
    return secrets;
  }

  /** The demo's Connect worker, once started. */
  ConnectWorkerProcess worker() {
    return worker;
  }

  /** The demo's Kafka broker, once started. */
  String kafkaBootstrapServers() {
    return broker.bootstrapServers();
  }

  Connection snowflake() throws SQLException {
    return warehouse.connect();
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private static long endOffset(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    try {
      TopicPartition tp = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(tp), Duration.ofSeconds(5)).getOrDefault(tp, 0L);
    } catch (RuntimeException e) {
      return 0L;
    }
  }

  private static long count(LocalPostgres pg, String sql) throws SQLException {
    try (Connection c = pg.connect(DATABASE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void checkPorts() {
    Map<String, Integer> ports =
        Map.of(
            "--pg-port", options.pgPort(),
            "--kafka-port", options.kafkaPort(),
            "--kafka-port (controller: the next port)", options.controllerPort(),
            "--connect-port", options.connectPort(),
            "--emulator-port", options.emulatorPort());
    for (Map.Entry<String, Integer> p : ports.entrySet()) {
      try (ServerSocket socket = new ServerSocket(p.getValue())) {
        socket.setReuseAddress(true);
      } catch (IOException e) {
        throw new PortTakenException(
            "Port "
                + p.getValue()
                + " is taken: choose another with "
                + p.getKey()
                + " (or stop what runs there; `bin/demo stop` stops an earlier demo)");
      }
    }
  }

  private Path freshDir(String name) throws IOException {
    return Directories.fresh(options.workDir(), name);
  }

  private void step(String message) {
    out.println("==> " + message);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        out.println("  could not stop " + resources.get(i) + ": " + e.getMessage());
      }
    }
    resources.clear();
  }

  /** A port the demo needs is in use. */
  static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }
}
