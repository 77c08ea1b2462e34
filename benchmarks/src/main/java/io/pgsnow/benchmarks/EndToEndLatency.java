package io.pgsnow.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;

/**
 * End-to-end latency of issue #17: PostgreSQL commit → row queryable in the warehouse (the
 * emulator). Single-row transactions are committed at a steady rate, each row's id and the time its
 * commit returned are kept, and a poller queries the warehouse every {@value #POLL_MS} ms for rows
 * it has not seen; a row's latency is the poll that first saw it minus its commit. The pipeline is
 * the demo's ({@code config-examples/pipelines/payroll}: pgsnow's source with the unwrap, lookup
 * join and concat SMTs, pgsnow's sink), run twice on fresh PostgreSQL, Kafka and emulator: with the
 * demo's settings, and with the sink's buffer keys at their defaults ({@code buffer.flush.time} 120
 * s, {@code buffer.count.records} 10,000) and no exactly-once source. The joined {@code
 * PAYROLL_COMPLETE} rows (one bonus per transaction, for employees already loaded) are measured
 * after the payroll rows, with the demo's settings only. Each measured phase of the demo's settings
 * follows a warm-up (a few rows committed and awaited, so the table, stage and pipe exist).
 *
 * <p>Usage: {@code EndToEndLatency [txns=10000] [rate=100] [demo|defaults]}; run through {@code
 * benchmarks/run e2e}.
 */
public final class EndToEndLatency {
  static final String SOURCE = "config-examples/pipelines/payroll/payroll-source-join.json";
  static final String SINK = "config-examples/pipelines/payroll/payroll-sink.json";
  private static final long POLL_MS = 100;
  private static final int WARM_UP = 20;
  private static final String DATABASE = "payroll_e2e";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EndToEndLatency() {}

  public static void main(String[] args) throws Exception {
    int txns = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    String only = args.length > 2 ? args[2] : "";
    List<String> report = new ArrayList<>();
    for (String settings : List.of("demo", "defaults")) {
      if (settings.startsWith(only)) {
        report.addAll(run(settings, txns, rate));
      }
    }
    Files.writeString(
        Path.of("benchmarks", "target", "e2e-result.txt"), String.join("\n", report) + "\n");
    report.forEach(System.out::println);
  }

  private static List<String> run(String settings, int txns, int rate) throws Exception {
    EmulatorUser user = EmulatorUser.newUser();
    boolean demo = "demo".equals(settings);
    ConnectCluster.Builder cluster =
        ConnectCluster.builder()
            .name("pgsnow-e2e-" + settings)
            .pluginPath(Path.of("source-connector", "target", "plugin"))
            .pluginPath(Path.of("sink-connector", "target", "plugin"))
            // pgsnow's plugins declare themselves in META-INF/services: no class scan at start-up.
            .workerProperty("plugin.discovery", "service_load");
    if (demo) {
      cluster.exactlyOnceSource();
    }
    try (LocalPostgres pg = LocalPostgres.builder().start();
        SnowflakeEmulator emulator = user.startEmulator();
        ConnectCluster connect = cluster.start()) {
      pg.createDatabase(DATABASE);
      pg.executeIn(
          DATABASE,
          "CREATE TABLE payroll (employee_id int PRIMARY KEY, first_name text, last_name text,"
              + " age int, ssn text, hourly_rate int, gender text, email text)",
          "CREATE TABLE payroll_bonus (bonus_id int PRIMARY KEY, employee_id int, bonus int,"
              + " ts bigint)");
      Map<String, String> values = new LinkedHashMap<>();
      values.put("${PG_HOST}", pg.host());
      values.put("${PG_PORT}", Integer.toString(pg.port()));
      values.put("${PG_USER}", LocalPostgres.SUPERUSER);
      values.put("${PG_DATABASE}", DATABASE);
      values.put("${KAFKA_BOOTSTRAP}", connect.bootstrapServers());
      values.put("${SNOWFLAKE_URL}", emulator.accountUrl());
      values.put("${SNOWFLAKE_USER}", EmulatorUser.NAME);
      Map<String, String> secrets =
          Map.of(
              "database.password",
              LocalPostgres.PASSWORD,
              "snowflake.private.key",
              user.privateKeyText());
      Map<String, String> source = connectorConfig(Path.of(SOURCE), values, secrets);
      Map<String, String> sink = connectorConfig(Path.of(SINK), values, secrets);
      if (!demo) {
        source.remove("exactly.once.support");
        sink.remove("buffer.count.records");
        sink.remove("buffer.flush.time");
      }
      connect.createConnector("payroll-source", source);
      connect.createConnector("payroll-sink", sink);
      connect.awaitRunning("payroll-source", 1, Duration.ofMinutes(2));
      connect.awaitRunning("payroll-sink", 1, Duration.ofMinutes(2));

      List<String> out = new ArrayList<>();
      String flush = sink.getOrDefault("buffer.flush.time", "120");
      try (Connection db = pg.connect(DATABASE);
          Connection warehouse = EmulatorUser.jdbc(emulator)) {
        Phase payroll =
            new Phase(
                warehouse,
                "KAFKA_DB.PUBLIC.TOPIC_PAYROLL",
                "employee_id",
                db.prepareStatement(
                    "INSERT INTO payroll VALUES (?, 'Sheridan', 'Lezemere', 48, '674-68-7406', 23,"
                        + " 'male', 'jpbi' || ? || '@mycompany.com')"));
        if (demo) {
          // With the defaults the first file waits buffer.flush.time (120 s) anyway: creating the
          // table, stage and pipe on its way is lost in it, and a warm-up would cost two minutes.
          payroll.warmUp(flush);
        }
        try (LoadAverage load = LoadAverage.sample()) {
          Latencies l = payroll.measure(txns, rate, flush);
          out.add(line(settings, flush, "TOPIC_PAYROLL", txns, rate, l, load.range()));
        }
        if (!demo) {
          return out; // the joined rows are measured with the demo's settings only
        }
        Phase joined =
            new Phase(
                warehouse,
                "KAFKA_DB.PUBLIC.PAYROLL_COMPLETE",
                "bonus_id",
                db.prepareStatement("INSERT INTO payroll_bonus VALUES (?, ?, 25, 1640317836271)"));
        joined.warmUp(flush);
        try (LoadAverage load = LoadAverage.sample()) {
          Latencies l = joined.measure(txns, rate, flush);
          out.add(line(settings, flush, "PAYROLL_COMPLETE", txns, rate, l, load.range()));
        }
      }
      out.forEach(System.out::println);
      return out;
    }
  }

  private static String line(
      String settings, String flush, String table, int txns, int rate, Latencies l, String load) {
    return String.format(
        Locale.ROOT,
        "%-8s buffer.flush.time %4ss %-16s txns %6d at %4d/s  %s  load %s",
        settings,
        flush,
        table,
        txns,
        rate,
        l.summary(),
        load);
  }

  /**
   * A connector config of {@code config-examples}: its {@code ${NAME}} placeholders replaced from
   * {@code values}, and each {@code ${file:…:key}} secret by {@code secrets.get(key)}.
   */
  static Map<String, String> connectorConfig(
      Path file, Map<String, String> values, Map<String, String> secrets) throws Exception {
    JsonNode config = JSON.readTree(Files.readString(file)).get("config");
    Map<String, String> out = new LinkedHashMap<>();
    config
        .properties()
        .forEach(
            e -> {
              String v = e.getValue().asText();
              for (Map.Entry<String, String> r : values.entrySet()) {
                v = v.replace(r.getKey(), r.getValue());
              }
              if (v.startsWith("${file:")) {
                String key = v.substring(v.lastIndexOf(':') + 1, v.length() - 1);
                v = secrets.get(key);
                if (v == null) {
                  throw new IllegalArgumentException("No value for the secret " + key);
                }
              }
              out.put(e.getKey(), v);
            });
    return out;
  }

  /** Single-row transactions into one table and the polls that find their rows downstream. */
  private static final class Phase {
    private final Connection warehouse;
    private final String table;
    private final String idField;
    private final PreparedStatement insert;
    private final Map<Long, Long> committedAt = new ConcurrentHashMap<>();
    private final Map<Long, Long> seenAt = new ConcurrentHashMap<>();
    private long nextId = 1;
    private long seenThrough;

    Phase(Connection warehouse, String table, String idField, PreparedStatement insert) {
      this.warehouse = warehouse;
      this.table = table;
      this.idField = idField;
      this.insert = insert;
    }

    /** Commits a few rows and waits for them: the table, stage and pipe exist afterwards. */
    void warmUp(String flush) throws Exception {
      commit(WARM_UP, 50);
      awaitSeen(flush);
      committedAt.clear();
      seenAt.clear();
    }

    Latencies measure(int txns, int rate, String flush) throws Exception {
      Thread poller = new Thread(this::pollUntilInterrupted, "e2e-poller");
      poller.setDaemon(true);
      poller.start();
      try {
        commit(txns, rate);
        awaitSeen(flush);
      } finally {
        poller.interrupt();
        poller.join();
      }
      return Latencies.of(committedAt, seenAt);
    }

    private void commit(int count, int rate) throws SQLException {
      long interval = 1_000_000_000L / rate;
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        next += interval;
        long id = nextId++;
        insert.setLong(1, id);
        insert.setLong(2, id);
        insert.executeUpdate(); // autocommit: one transaction per row
        committedAt.put(id, System.currentTimeMillis());
      }
    }

    private void awaitSeen(String flush) {
      long flushSeconds = Long.parseLong(flush);
      Awaitility.await("every row of " + table + " queryable")
          .atMost(Duration.ofSeconds(flushSeconds * 3 + 120))
          .pollInterval(Duration.ofMillis(POLL_MS))
          // the table does not exist before the first file
          .ignoreExceptionsInstanceOf(SQLException.class)
          .until(
              () -> {
                poll();
                return seenAt.keySet().containsAll(committedAt.keySet());
              });
    }

    private void pollUntilInterrupted() {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          poll();
          Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
          return;
        } catch (SQLException e) {
          LockSupport.parkNanos(POLL_MS * 1_000_000); // the table does not exist yet
        }
      }
    }

    private synchronized void poll() throws SQLException {
      String id = "RECORD_CONTENT:" + idField + "::NUMBER";
      try (Statement st = warehouse.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT " + id + " FROM " + table + " WHERE " + id + " > " + seenThrough)) {
        long now = System.currentTimeMillis();
        while (rs.next()) {
          seenAt.putIfAbsent(rs.getLong(1), now);
        }
      }
      while (seenAt.containsKey(seenThrough + 1)) {
        seenThrough++;
      }
    }
  }
}
