package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnow.smt.payroll.PayrollScenario;
import io.pgsnow.smt.payroll.SeedPayrollJoin;
import io.pgsnow.source.PostgresCdcSourceConnector;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's payroll pipeline end to end without ksqlDB: real PostgreSQL tables {@code payroll} and
 * {@code payroll_bonus}, the pgsnow source connector with the chain unwrap → lookup join (topic
 * table on the payroll topic) → FULL_NAME, written to {@code payroll_complete}. The scenario's
 * changes are made as SQL in commit order; the output must equal what the seed's ksqlDB join gives.
 */
class SourcePayrollPipelineIT {
  private static LocalPostgres pg;
  private static ConnectCluster cluster;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    cluster = SmtItCluster.shared();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void innerJoinThroughTheSourceConnectorGivesTheSeedsOutput() throws Exception {
    runAndCompare("seedinner", "inner");
  }

  @Test
  void leftJoinThroughTheSourceConnectorKeepsBonusesWithoutEmployee() throws Exception {
    List<Map<String, Object>> rows = runAndCompare("seedleft", "left");
    assertThat(rows).extracting(r -> r.get("EMPLOYEE_ID")).contains(9999L, 1003L);
  }

  @Test
  void aRestartedTaskJoinsAgainstTheFullyLoadedTable() throws Exception {
    String name = "seedrestart";
    PayrollScenario full = PayrollScenario.full(name);
    int before = runAndCompare(name, "inner", false).size();
    cluster.connect().restartTask(name, 0);
    cluster.awaitRunning(name, 1, Duration.ofSeconds(60));
    // The restarted task's table must load the payroll topic before it joins these bonuses.
    PayrollScenario after = PayrollScenario.bonusesAfter(full);
    applyAll(name, after);
    List<Map<String, Object>> expected = after.expected(false).output();
    List<Map<String, Object>> all = output("payroll_complete_" + name, before + expected.size());
    assertThat(all.subList(before, all.size())).containsExactlyElementsOf(expected);
    assertThat(cluster.failedTaskTrace(name)).isEmpty();
    cluster.connect().deleteConnector(name);
  }

  @Test
  void theJdbcLookupSourceJoinsAgainstTheDatabase() throws Exception {
    String name = "seedjdbc";
    PayrollScenario full = PayrollScenario.full(name);
    createTables(name);
    // The payroll story happens before the connector starts: a JDBC lookup sees the table as it
    // is when the bonus is joined, not as it was when the bonus committed.
    applyAll(name, full);
    Map<String, String> config = connectorConfig(name, "inner");
    // Only what happens after the start: the story before it is not snapshotted into the join.
    config.put("snapshot.mode", "no_data");
    config.put("transforms.join.lookup.source", "jdbc");
    config.put("transforms.join.jdbc.url", pg.jdbcUrl(name));
    config.put("transforms.join.jdbc.user", LocalPostgres.SUPERUSER);
    config.put("transforms.join.jdbc.password", LocalPostgres.PASSWORD);
    config.put(
        "transforms.join.jdbc.query",
        "SELECT first_name, last_name, age, ssn, hourly_rate, gender, email FROM payroll"
            + " WHERE employee_id = ?");
    startConnector(name, config);
    PayrollScenario after = PayrollScenario.bonusesAfter(full);
    applyAll(name, after);
    List<Map<String, Object>> expected = after.expected(false).output();
    assertThat(output("payroll_complete_" + name, expected.size()))
        .containsExactlyElementsOf(expected);
    assertThat(cluster.failedTaskTrace(name)).isEmpty();
    cluster.connect().deleteConnector(name);
  }

  @Test
  void everyBonusSnapshottedWithItsEmployeeIsJoined() throws Exception {
    String name = "seedsnapshot";
    int employees = 10_000;
    int bonuses = 5_000;
    createTables(name);
    // Few rows per block, so each table is several chunks that the readers take up at once; the
    // first bonuses belong to the last employees, whose rows are read last.
    pg.executeIn(
        name,
        "ALTER TABLE payroll SET (fillfactor = 10)",
        "ALTER TABLE payroll_bonus SET (fillfactor = 10)",
        "INSERT INTO payroll SELECT e, 'first' || e, 'last' || e, 30, 'ssn' || e, 20, 'F',"
            + " 'e' || e || '@example.com' FROM generate_series(1, "
            + employees
            + ") e",
        "INSERT INTO payroll_bonus SELECT b, "
            + employees
            + " + 1 - b, b, b FROM generate_series(1, "
            + bonuses
            + ") b");
    Map<String, String> config = connectorConfig(name, "inner");
    config.put("snapshot.max.threads", "8");
    config.put("max.queue.size", "64");
    startConnector(name, config);
    // A bonus streamed after the snapshot marks the end of what the snapshot gave.
    int marker = bonuses + 1;
    pg.executeIn(name, "INSERT INTO payroll_bonus VALUES (" + marker + ", 1, 1, 1)");
    String topic = "payroll_complete_" + name;
    List<Map<?, ?>> joined = new ArrayList<>();
    await()
        .atMost(Duration.ofMinutes(3))
        .ignoreExceptions() // the output topic exists only once a record is joined
        .until(
            () -> {
              joined.clear();
              joined.addAll(values(topic));
              return joined.stream().anyMatch(v -> v.get("bonus_id").equals((long) marker));
            });
    assertThat(joined)
        .extracting(v -> ((Number) v.get("bonus_id")).intValue())
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, marker).boxed().toList());
    assertThat(joined)
        .allSatisfy(
            v -> {
              long employee = (Long) v.get("employee_id");
              assertThat(v.get("FULL_NAME")).isEqualTo("first" + employee + " last" + employee);
            });
    assertThat(cluster.failedTaskTrace(name)).isEmpty();
    cluster.connect().deleteConnector(name);
  }

  private static List<Map<?, ?>> values(String topic) throws Exception {
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "true"), false);
    List<Map<?, ?>> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : cluster.kafka().consumeAll(30_000, topic)) {
      values.add((Map<?, ?>) ChangeEvents.toMap(json.toConnectData(topic, record.value()).value()));
    }
    return values;
  }

  private List<Map<String, Object>> runAndCompare(String name, String joinType) throws Exception {
    return runAndCompare(name, joinType, true);
  }

  private List<Map<String, Object>> runAndCompare(String name, String joinType, boolean delete)
      throws Exception {
    createTables(name);
    startConnector(name, connectorConfig(name, joinType));
    PayrollScenario scenario = PayrollScenario.full(name);
    applyAll(name, scenario);
    List<Map<String, Object>> expected = scenario.expected("left".equals(joinType)).output();
    List<Map<String, Object>> actual = output("payroll_complete_" + name, expected.size());
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(cluster.failedTaskTrace(name)).isEmpty();
    if (delete) {
      cluster.connect().deleteConnector(name);
    }
    return actual;
  }

  private static void createTables(String name) {
    pg.createDatabase(name);
    pg.executeIn(
        name,
        "CREATE TABLE payroll (employee_id int PRIMARY KEY, first_name text, last_name text,"
            + " age int, ssn text, hourly_rate int, gender text, email text)",
        "CREATE TABLE payroll_bonus (bonus_id int PRIMARY KEY, employee_id int, bonus int,"
            + " ts bigint)");
  }

  private static void startConnector(String name, Map<String, String> config) {
    cluster.createConnector(name, config);
    cluster.awaitRunning(name, 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(name, name + "_slot");
  }

  private static void applyAll(String db, PayrollScenario scenario) throws Exception {
    try (Connection c = pg.connect(db)) {
      for (SourceRecord event : scenario.events()) {
        apply(c, event);
      }
    }
  }

  /** The pipeline of the seed on the pgsnow source connector, reading database {@code name}. */
  private static Map<String, String> connectorConfig(String name, String joinType) {
    Map<String, String> config =
        PayrollPipelineIT.pipeline(name, "unused", joinType, cluster.bootstrapServers());
    config.remove("scenario");
    config.put("connector.class", PostgresCdcSourceConnector.class.getName());
    config.put("database.hostname", pg.host());
    config.put("database.port", Integer.toString(pg.port()));
    config.put("database.user", LocalPostgres.SUPERUSER);
    config.put("database.password", LocalPostgres.PASSWORD);
    config.put("database.dbname", name);
    config.put("database.sslmode", "disable");
    config.put("slot.name", name + "_slot");
    config.put("publication.name", name + "_pub");
    config.put("transforms.route.replacement", "payroll_complete_" + name);
    return config;
  }

  /** The SQL that makes the source connector emit this change event. */
  private static void apply(Connection c, SourceRecord event) throws Exception {
    if (event.value() == null) {
      return; // the source connector emits the tombstone itself after the delete
    }
    Struct envelope = (Struct) event.value();
    String table = event.topic().substring(event.topic().lastIndexOf('.') + 1);
    String key = table.equals("payroll") ? "employee_id" : "bonus_id";
    String op = envelope.getString("op");
    Struct row = envelope.getStruct("d".equals(op) ? "before" : "after");
    List<String> columns = row.schema().fields().stream().map(Field::name).toList();
    String sql;
    List<Object> params = new ArrayList<>();
    switch (op) {
      case "r":
      case "c":
        sql =
            "INSERT INTO "
                + table
                + " ("
                + String.join(", ", columns)
                + ") VALUES ("
                + columns.stream().map(x -> "?").collect(Collectors.joining(", "))
                + ")";
        columns.forEach(col -> params.add(row.get(col)));
        break;
      case "u":
        List<String> others = columns.stream().filter(col -> !col.equals(key)).toList();
        sql =
            "UPDATE "
                + table
                + " SET "
                + others.stream().map(col -> col + " = ?").collect(Collectors.joining(", "))
                + " WHERE "
                + key
                + " = ?";
        others.forEach(col -> params.add(row.get(col)));
        params.add(row.get(key));
        break;
      default:
        sql = "DELETE FROM " + table + " WHERE " + key + " = ?";
        params.add(row.get(key));
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      ps.executeUpdate();
    }
  }

  private static List<Map<String, Object>> output(String topic, int count) {
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "true"), false);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record :
        cluster.kafka().consume(count, Duration.ofSeconds(90).toMillis(), topic)) {
      Object value = json.toConnectData(topic, record.value()).value();
      rows.add(SeedPayrollJoin.project((Map<?, ?>) ChangeEvents.toMap(value)));
    }
    return rows;
  }
}
