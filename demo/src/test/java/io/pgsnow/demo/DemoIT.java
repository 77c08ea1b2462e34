package io.pgsnow.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** Runs the demo non-interactively, on free ports, exactly as {@code bin/demo} does. */
class DemoIT {
  /** PostgreSQL's payroll columns in table order, and those of them that are integers. */
  private static final List<String> PAYROLL =
      List.of(
          "employee_id", "first_name", "last_name", "age", "ssn", "hourly_rate", "gender", "email");

  private static final Set<String> INTEGERS = Set.of("employee_id", "age", "hourly_rate");
  private static final List<String> UPPER =
      PAYROLL.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList();
  private static final String CURRENT = PayrollComparison.CURRENT;

  @Test
  void theSeedPipelineRunsEndToEnd() throws Exception {
    Path root = Path.of(System.getProperty("pgsnow.root", "..")).toAbsolutePath().normalize();
    int kafka = freePortPair();
    DemoOptions options =
        DemoOptions.parse(root, "--bonuses", "20")
            .withPorts(freePort(), kafka, freePort(), freePort())
            .withWorkDir(Files.createTempDirectory("pgsnow-demo-it"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Demo.Result result;
    Map<String, String> pgSettings;
    Set<String> transactionalIds;
    List<String> secretsSeen;
    List<List<Object>> postgresPayroll;
    List<List<Object>> payrollCurrent;
    List<String> currentColumns;
    int payrollViewRows;
    int seedViewRows;
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        Demo demo = new Demo(options, out)) {
      result = demo.run();
      try (Connection c = demo.postgres().connect(Demo.DATABASE)) {
        postgresPayroll = typedRows(c, "SELECT " + String.join(", ", PAYROLL) + " FROM payroll");
      }
      try (Connection c = demo.snowflake()) {
        payrollCurrent = typedRows(c, "SELECT " + String.join(", ", PAYROLL) + " FROM " + CURRENT);
        currentColumns = columns(c, "SELECT * FROM " + CURRENT);
        payrollViewRows = count(c, "SELECT COUNT(*) FROM KAFKA_DB.PUBLIC.PAYROLL_VIEW");
        seedViewRows =
            count(
                c,
                "SELECT COUNT(EMPLOYEE_ID) FROM KAFKA_DB.PUBLIC.TOPIC_PAYROLL_VIEW"
                    + " WHERE CREATED_AT IS NOT NULL");
      }
      pgSettings = durabilitySettings(demo);
      transactionalIds = transactionalIds(demo);
      secretsSeen = secretsSeen(demo, log);
    }
    String printed = log.toString(StandardCharsets.UTF_8);
    assertThat(result.landedRows()).as(printed).isEqualTo(SeedData.expectedJoinedRows(20));
    assertThat(result.complete()).isTrue();
    // The seed's output, queried from the warehouse: EMPLOYEE_ID, FULL_NAME, BONUS, HOURLY_RATE.
    assertThat(result.completeRows()).hasSize(SeedData.expectedJoinedRows(20));
    assertThat(result.completeRows())
        .extracting(row -> row.get(1))
        .contains("Sheridan Lezemere-Smith")
        .doesNotContainNull();
    assertThat(result.completeRows())
        .extracting(row -> row.get(0))
        .doesNotContain(String.valueOf(SeedData.UNKNOWN_EMPLOYEE));
    assertThat(printed).contains("TOPIC_PAYROLL_VIEW", "stage:", "pipe:");

    // PAYROLL_CURRENT is PostgreSQL's payroll after the snapshot, the raise and the delete.
    assertThat(postgresPayroll)
        .as("the story happened in PostgreSQL: a raise and rename, a deleted employee")
        .hasSize(SeedData.EMPLOYEES - 1)
        .contains(
            List.of(
                (long) SeedData.FIRST_ID,
                "Sheridan",
                "Lezemere-Smith",
                22L,
                "100-00-1000",
                25L,
                "male",
                "sheridan1001@mycompany.com"))
        .noneMatch(row -> row.get(0).equals((long) SeedData.FIRST_ID + SeedData.EMPLOYEES - 1));
    assertThat(currentColumns)
        .as("PAYROLL_CURRENT's columns")
        .containsExactlyInAnyOrderElementsOf(UPPER);
    assertThat(payrollCurrent)
        .as("SELECT * FROM PAYROLL_CURRENT, row for row and value for value")
        .containsExactlyElementsOf(postgresPayroll);
    assertThat(result.currentState()).map(PayrollComparison::matches).contains(true);
    assertThat(printed)
        .contains(
            "SELECT * FROM PAYROLL_CURRENT",
            "PAYROLL_CURRENT equals PostgreSQL's payroll",
            "Lezemere-Smith");
    // The typed view shows every change; the seed's own view keeps its name and its query.
    int changes = SeedData.payrollChanges(20);
    assertThat(payrollViewRows).as("PAYROLL_VIEW rows").isEqualTo(changes);
    assertThat(seedViewRows).as("the seed's TOPIC_PAYROLL_VIEW rows").isEqualTo(changes);
    assertThat(printed).contains("Kafka Connect REST", "psql -h 127.0.0.1");

    // A crash must not lose what PostgreSQL acknowledged: the server's durable defaults.
    assertThat(pgSettings)
        .containsEntry("fsync", "on")
        .containsEntry("synchronous_commit", "on")
        .containsEntry("full_page_writes", "on");
    // The source task writes in Kafka transactions (the worker's exactly-once source support):
    // Connect names its producer's transactional id <group>-<connector>-<task>.
    assertThat(transactionalIds).contains(Demo.WORKER_GROUP + "-payroll-source-0");
    assertThat(printed).contains("exactly.once.source.support=enabled", "durable");
    // Secrets reach the connectors through the worker's file config provider only.
    assertThat(secretsSeen).isEmpty();
  }

  /**
   * Where the demo's secrets can be seen although they should not: the connectors' configs as the
   * REST API answers them, every record of the worker's config topic, the worker's log and what the
   * demo printed. Each finding names the place and the secret.
   */
  private static List<String> secretsSeen(Demo demo, ByteArrayOutputStream printed)
      throws Exception {
    Properties secretFile = new Properties();
    try (var in = Files.newInputStream(demo.secrets().file())) {
      secretFile.load(in);
    }
    assertThat(secretFile).containsKeys("database.password", "snowflake.private.key");
    Map<String, String> places = new HashMap<>();
    for (String name : List.of("payroll-source", "payroll-sink", "payroll-models-sink")) {
      places.put(
          "GET /connectors/" + name + "/config",
          demo.worker().get("/connectors/" + name + "/config"));
    }
    places.put("worker log", Files.readString(demo.worker().log()));
    places.put("demo output", printed.toString(StandardCharsets.UTF_8));
    places.put("config topic", configTopic(demo));
    List<String> seen = new ArrayList<>();
    places.forEach(
        (place, text) ->
            secretFile.forEach(
                (key, secret) -> {
                  if (text.contains(secret.toString())) {
                    seen.add(key + " in " + place);
                  }
                }));
    return seen;
  }

  private static String configTopic(Demo demo) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, demo.kafkaBootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    StringBuilder text = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      TopicPartition configs = new TopicPartition("pgsnow-worker-configs", 0);
      consumer.assign(List.of(configs));
      consumer.seekToBeginning(List.of(configs));
      long end = consumer.endOffsets(List.of(configs)).get(configs);
      assertThat(end).as("records in the worker's config topic").isPositive();
      while (consumer.position(configs) < end) {
        for (var record : consumer.poll(Duration.ofSeconds(1))) {
          if (record.value() != null) {
            text.append(new String(record.value(), StandardCharsets.UTF_8)).append('\n');
          }
        }
      }
    }
    assertThat(text)
        .as("the config topic holds the connectors' configs")
        .contains("database.password");
    return text.toString();
  }

  /** The rows of {@code select} in primary-key order, integer columns as longs, text as strings. */
  private static List<List<Object>> typedRows(Connection c, String select) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(select + " ORDER BY employee_id")) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= PAYROLL.size(); i++) {
          Object value =
              INTEGERS.contains(PAYROLL.get(i - 1)) ? (Object) rs.getLong(i) : rs.getString(i);
          row.add(rs.wasNull() ? null : value);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static List<String> columns(Connection c, String select) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(select)) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        names.add(rs.getMetaData().getColumnLabel(i));
      }
      return names;
    }
  }

  private static int count(Connection c, String select) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(select)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static Map<String, String> durabilitySettings(Demo demo) throws Exception {
    Map<String, String> settings = new HashMap<>();
    try (Connection c = demo.postgres().connect(Demo.DATABASE);
        Statement s = c.createStatement()) {
      for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
          rs.next();
          settings.put(name, rs.getString(1));
        }
      }
    }
    return settings;
  }

  private static Set<String> transactionalIds(Demo demo) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, demo.kafkaBootstrapServers()))) {
      Set<String> ids = new HashSet<>();
      admin
          .listTransactions()
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach(t -> ids.add(t.transactionalId()));
      return ids;
    }
  }

  /** Ports handed out so far: the operating system may offer a just-closed port again. */
  private final Set<Integer> taken = new HashSet<>();

  /** A free port not handed out before in this test. */
  private int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = probe();
      if (taken.add(port)) {
        return port;
      }
    }
    throw new IOException("No free port left");
  }

  /** A free port whose successor is free too (broker and controller listeners). */
  private int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = probe();
      if (taken.contains(port) || taken.contains(port + 1)) {
        continue;
      }
      try (ServerSocket next = new ServerSocket(port + 1)) {
        taken.add(port);
        taken.add(port + 1);
        return port;
      } catch (IOException e) {
        // try another
      }
    }
    throw new IOException("No two consecutive free ports");
  }

  private static int probe() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
