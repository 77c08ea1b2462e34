package io.pgsnow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
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
  static final String SNOWFLAKE_USER = "PGSNOW_DEMO";
  static final String DATABASE = "seed";
  static final String WORKER_GROUP = "pgsnow-demo";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DemoOptions options;
  private final PrintStream out;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private LocalPostgres pg;
  private KafkaBrokerProcess broker;
  private ConnectWorkerProcess worker;
  private SnowflakeEmulator emulator;
  private KeyPair keys;
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

  /** What the demo saw at the end. */
  record Result(
      int expectedRows, int landedRows, List<List<String>> completeRows, boolean complete) {}

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
            .workDirectory(options.workDir().resolve("connect"))
            .start();
    resources.add(worker);
    sinkInstalled = worker.get("/connector-plugins").contains("SnowflakeSinkConnector");
    createConnectors();
    // The source streams changes from its slot on: the employees are written after it started.
    step(
        "Writing "
            + SeedData.EMPLOYEES
            + " employees, then bonuses, a raise, a deleted employee"
            + " and an unknown employee's bonus");
    try (Connection c = pg.connect(DATABASE)) {
      SeedData.insertEmployees(c);
      SeedData.generateChanges(c, options.bonuses());
    }
    Result result = awaitRows(SeedData.expectedJoinedRows(options.bonuses()));
    printWarehouse();
    printConnectionInfo();
    return result;
  }

  private void startWarehouse() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    if (options.snowflakeUrl().isPresent()) {
      step("Using the Snowflake account at " + options.snowflakeUrl().get());
      return;
    }
    keys = generator.generateKeyPair();
    step("Starting the Snowflake emulator on port " + options.emulatorPort());
    emulator =
        SnowflakeEmulator.builder()
            .port(options.emulatorPort())
            .userKey(SNOWFLAKE_USER, keys.getPublic())
            .dataDirectory(freshDir("warehouse"))
            .start();
    resources.add(emulator);
    try (Connection c = snowflake();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS KAFKA_DB");
      s.execute("CREATE SCHEMA IF NOT EXISTS KAFKA_DB.PUBLIC");
    }
  }

  private Path installPlugins() throws IOException {
    Path plugins = freshDir("plugins");
    Path zips = options.root().resolve("packaging/target/zips");
    try (var files = Files.list(zips)) {
      for (Path zip : files.filter(p -> p.toString().endsWith(".zip")).toList()) {
        unzip(zip, plugins);
        out.println("  installed " + zip.getFileName() + " into " + plugins);
      }
    }
    return plugins;
  }

  private void createConnectors() throws IOException {
    Map<String, String> values =
        Map.of(
            "PG_HOST", pg.host(),
            "PG_PORT", Integer.toString(pg.port()),
            "PG_USER", LocalPostgres.SUPERUSER,
            "PG_PASSWORD", LocalPostgres.PASSWORD,
            "PG_DATABASE", DATABASE,
            "KAFKA_BOOTSTRAP", broker.bootstrapServers(),
            "SNOWFLAKE_URL", snowflakeUrl(),
            "SNOWFLAKE_USER", options.snowflakeUser().orElse(SNOWFLAKE_USER),
            "SNOWFLAKE_PRIVATE_KEY", privateKeyText());
    step(
        "Creating the source connector from "
            + SOURCE_CONFIG
            + " (REST API; exactly.once.support=required)");
    put(SOURCE_CONFIG, values);
    if (sinkInstalled && Files.exists(options.root().resolve(SINK_CONFIG))) {
      step(
          "Creating the Snowflake sink connector from "
              + SINK_CONFIG
              + " (REST API; reads committed records only, loads each offset once)");
      put(SINK_CONFIG, values);
    } else {
      step("No Snowflake sink plugin in the archives: rows are shown from the Kafka topic");
      sinkInstalled = false;
    }
  }

  private void put(String file, Map<String, String> values) throws IOException {
    String text = Files.readString(options.root().resolve(file), StandardCharsets.UTF_8);
    for (Map.Entry<String, String> v : values.entrySet()) {
      text =
          text.replace(
              "${" + v.getKey() + "}",
              JSON.writeValueAsString(v.getValue()).replaceAll("^\"|\"$", ""));
    }
    JsonNode root = JSON.readTree(text);
    String name = root.get("name").asText();
    worker.put("/connectors/" + name + "/config", JSON.writeValueAsString(root.get("config")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      JsonNode status;
      try {
        status = JSON.readTree(worker.get("/connectors/" + name + "/status"));
      } catch (IllegalStateException e) {
        // 404 until the herder has written the connector's first status
        sleep(Duration.ofMillis(300));
        continue;
      }
      String state = status.at("/tasks/0/state").asText();
      String slot = root.get("config").path("slot.name").asText("");
      // A source connector streams once its replication slot is in use.
      if ("RUNNING".equals(state) && (slot.isEmpty() || pg.slotActive(DATABASE, slot))) {
        out.println("  " + name + ": RUNNING");
        return;
      }
      if ("FAILED".equals(state)) {
        throw new IllegalStateException(name + " failed: " + status.at("/tasks/0/trace").asText());
      }
      sleep(Duration.ofMillis(300));
    }
    throw new IllegalStateException(name + " did not start within 90 s");
  }

  private Result awaitRows(int expected) throws Exception {
    step("Waiting for " + expected + " joined rows (FULL_NAME, BONUS, ...) to land");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    int landed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      while (System.nanoTime() < deadline) {
        long captured = count(pg, "SELECT count(*) FROM payroll_bonus");
        long inKafka = endOffset(consumer, "payroll_complete");
        landed = sinkInstalled ? landedRows() : (int) inKafka;
        out.printf(
            "  PostgreSQL: %d bonus rows | Kafka payroll_complete: %d records | %s: %d rows%n",
            captured, inKafka, sinkInstalled ? "Snowflake PAYROLL_COMPLETE" : "joined", landed);
        if (landed >= expected) {
          break;
        }
        sleep(Duration.ofSeconds(2));
      }
    }
    List<List<String>> rows = sinkInstalled ? completeRows() : List.of();
    return new Result(expected, landed, rows, landed == expected);
  }

  private int landedRows() {
    try (Connection c = snowflake();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM KAFKA_DB.PUBLIC.PAYROLL_COMPLETE")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      return 0; // the table appears with the sink's first flush
    }
  }

  private List<List<String>> completeRows() throws SQLException {
    return query(
        "SELECT RECORD_CONTENT:employee_id::NUMBER AS EMPLOYEE_ID,"
            + " RECORD_CONTENT:FULL_NAME::STRING AS FULL_NAME,"
            + " RECORD_CONTENT:bonus::NUMBER AS BONUS,"
            + " RECORD_CONTENT:hourly_rate::NUMBER AS HOURLY_RATE"
            + " FROM KAFKA_DB.PUBLIC.PAYROLL_COMPLETE"
            + " ORDER BY RECORD_METADATA:offset::NUMBER");
  }

  private void printWarehouse() throws SQLException {
    if (!sinkInstalled) {
      return;
    }
    step("The seed's Snowflake queries, through the Snowflake JDBC driver");
    List<List<String>> rows = completeRows();
    printTable(
        "SELECT ... FROM PAYROLL_COMPLETE (first 10 of " + rows.size() + ")",
        List.of("EMPLOYEE_ID", "FULL_NAME", "BONUS", "HOURLY_RATE"),
        rows.subList(0, Math.min(10, rows.size())));
    try (Connection c = snowflake();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE OR REPLACE VIEW KAFKA_DB.PUBLIC.TOPIC_PAYROLL_VIEW AS SELECT RECORD_CONTENT,"
              + " RECORD_CONTENT:employee_id::NUMBER AS EMPLOYEE_ID,"
              + " TO_TIMESTAMP_NTZ(RECORD_METADATA:CreateTime::VARCHAR) AS CREATED_AT"
              + " FROM KAFKA_DB.PUBLIC.TOPIC_PAYROLL");
    }
    printTable(
        "SELECT * FROM TOPIC_PAYROLL_VIEW ORDER BY CREATED_AT DESC (first 5)",
        List.of("EMPLOYEE_ID", "CREATED_AT"),
        query(
            "SELECT EMPLOYEE_ID, CREATED_AT FROM KAFKA_DB.PUBLIC.TOPIC_PAYROLL_VIEW"
                + " ORDER BY CREATED_AT DESC LIMIT 5"));
    for (List<String> stage : query("SHOW STAGES IN SCHEMA KAFKA_DB.PUBLIC")) {
      out.println("  stage: " + String.join(" | ", stage.subList(0, Math.min(4, stage.size()))));
    }
    for (List<String> pipe : query("SHOW PIPES IN SCHEMA KAFKA_DB.PUBLIC")) {
      out.println("  pipe:  " + String.join(" | ", pipe.subList(0, Math.min(4, pipe.size()))));
    }
  }

  private void printConnectionInfo() {
    step("How to connect to each piece");
    out.println(
        "  PostgreSQL:   psql -h 127.0.0.1 -p "
            + pg.port()
            + " -U postgres "
            + DATABASE
            + "   (password "
            + LocalPostgres.PASSWORD
            + ")");
    out.println("  Kafka:        bootstrap servers " + broker.bootstrapServers());
    out.println("  Kafka Connect REST: " + worker.restUrl() + "/connectors");
    if (emulator != null) {
      out.println(
          "  Snowflake emulator JDBC: "
              + emulator.jdbcUrl()
              + "  (user "
              + SNOWFLAKE_USER
              + ", key pair in "
              + options.workDir().resolve("snowflake_key.p8")
              + ")");
    }
    out.println("  Logs: " + options.workDir());
  }

  private void printTable(String title, List<String> header, List<List<String>> rows) {
    out.println("\n  " + title);
    out.println("  " + String.join(" | ", header));
    rows.forEach(r -> out.println("  " + String.join(" | ", r)));
  }

  private List<List<String>> query(String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Connection c = snowflake();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** The demo's PostgreSQL server, once started. */
  LocalPostgres postgres() {
    return pg;
  }

  /** The demo's Kafka broker, once started. */
  String kafkaBootstrapServers() {
    return broker.bootstrapServers();
  }

  Connection snowflake() throws SQLException {
    Properties p = new Properties();
    p.put("user", options.snowflakeUser().orElse(SNOWFLAKE_USER));
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", privateKey());
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    p.put("disablePlatformDetection", "true");
    String url;
    if (emulator != null) {
      p.put("account", "DEMO");
      url = emulator.jdbcUrl();
    } else {
      url =
          "jdbc:snowflake://" + options.snowflakeUrl().orElseThrow().replaceFirst("^https?://", "");
    }
    return DriverManager.getConnection(url, p);
  }

  private String snowflakeUrl() {
    return options.snowflakeUrl().orElseGet(() -> emulator.accountUrl());
  }

  private PrivateKey privateKey() {
    if (keys != null) {
      return keys.getPrivate();
    }
    try {
      byte[] der = Base64.getDecoder().decode(privateKeyText());
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read the private key (PKCS#8 PEM expected)", e);
    }
  }

  /** The private key as the sink's {@code snowflake.private.key} wants it: base64 PKCS#8. */
  private String privateKeyText() {
    try {
      if (keys != null) {
        String text = Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
        Files.writeString(options.workDir().resolve("snowflake_key.p8"), pem("PRIVATE KEY", text));
        return text;
      }
      return Files.readString(options.privateKeyFile().orElseThrow())
          .replaceAll("-----[A-Z ]+-----", "")
          .replaceAll("\\s", "");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM text of a base64 DER body, e.g. the PKCS#8 key a Snowflake client reads. */
  private static String pem(String label, String base64) {
    return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
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
    Path dir = options.workDir().resolve(name);
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  private static void unzip(Path zip, Path target) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Path outPath = target.resolve(e.getName()).normalize();
        if (!outPath.startsWith(target)) {
          throw new IOException("Bad entry " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(outPath);
        } else {
          Files.createDirectories(outPath.getParent());
          Files.copy(in, outPath, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
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
