package io.pgsnow.benchmarks;

import static io.pgsnow.benchmarks.CaptureRuns.processCpuNanos;
import static io.pgsnow.benchmarks.CaptureRuns.timestampAt;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end streaming throughput of PostgreSQL CDC source connectors, side by side in one run: a
 * local PostgreSQL 15, an embedded Kafka broker and Connect worker, the JSON converter (schemas
 * on), and for each of pgsnow's and Debezium's connector (pgoutput):
 *
 * <ul>
 *   <li>batched inserts: N rows as 1,000-row INSERTs written while the connector is paused, then
 *       streamed after resume; rows/s between the first and the last record appended to Kafka
 *       (broker LogAppendTime), and the JVM's CPU time per row meanwhile;
 *   <li>single-row transactions: T one-row commits by pgbench, streamed the same way (catch-up),
 *       and again live, with the connector running while pgbench commits;
 * </ul>
 *
 * <p>and the pgoutput stream's own limit: {@code pg_recvlogical} reading the same N rows.
 *
 * <p>Usage: {@code StreamingThroughput [rows] [transactions] [rounds] [pgsnow|dbz]}; run through
 * {@code benchmarks/run streaming}.
 */
public final class StreamingThroughput {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingThroughput.class);
  private static final int ROWS_PER_INSERT = 1000;
  private static final int WARM_UP_ROWS = 50_000;
  private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(10);
  private static final String TABLE =
      "CREATE TABLE payroll (employee_id bigserial PRIMARY KEY, first_name text, last_name text,"
          + " age int, ssn text, hourly_rate int, gender text, email text)";
  private static final String ROW =
      "('Sheridan', 'Lezemere', 48, '674-68-7406', 23, 'male', 'jpbi@mycompany.com')";
  private static final String INSERT =
      "INSERT INTO payroll (first_name, last_name, age, ssn, hourly_rate, gender, email) VALUES ";

  private final LocalPostgres pg;
  private final ConnectCluster connect;
  private final Path pgBin;
  private final List<String> results = new ArrayList<>();

  private StreamingThroughput(LocalPostgres pg, ConnectCluster connect, Path pgBin) {
    this.pg = pg;
    this.connect = connect;
    this.pgBin = pgBin;
  }

  /** A connector under test: its name (also topic prefix, slot and publication stem) and config. */
  private record Peer(String name, Map<String, String> config) {
    String topic() {
      return name + ".public.payroll";
    }

    String slot() {
      return name + "_slot";
    }
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int transactions = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    String only = args.length > 3 ? args[3] : "";
    Path plugins = Path.of("source-connector", "target", "plugin");
    try (LocalPostgres pg = LocalPostgres.builder().start();
        ConnectCluster connect =
            ConnectCluster.builder().name("pgsnow-bench").pluginPath(plugins).start()) {
      StreamingThroughput bench = new StreamingThroughput(pg, connect, postgresBinaries());
      bench.results.add(
          String.format(
              Locale.ROOT,
              "%-10s %-28s %10s %12s %10s %14s",
              "connector",
              "scenario",
              "events",
              "events/s",
              "seconds",
              "JVM CPU us/ev"));
      // Rounds alternate the order, so that neither connector always runs on a warmer worker.
      for (int round = 1; round <= rounds; round++) {
        List<Peer> peers = new ArrayList<>(List.of(bench.debezium(round), bench.pgsnow(round)));
        if (round % 2 == 0) {
          java.util.Collections.reverse(peers);
        }
        for (Peer peer : peers) {
          if (peer.name().startsWith(only)) {
            bench.measure(peer, rows, transactions);
          }
        }
      }
      bench.pgRecvLogical(rows);
      String report = String.join("\n", bench.results);
      Files.writeString(Path.of("benchmarks", "target", "streaming-result.txt"), report + "\n");
      System.out.println(report);
    }
  }

  private Peer debezium(int round) {
    String name = "dbz" + round;
    Map<String, String> config = CaptureRuns.sourceConfig(pg, "bench_" + name, name);
    config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    config.put("plugin.name", "pgoutput");
    config.put("publication.autocreate.mode", "filtered");
    config.put("snapshot.mode", "no_data");
    return new Peer(name, config);
  }

  private Peer pgsnow(int round) {
    String name = "pgsnow" + round;
    Map<String, String> config = CaptureRuns.sourceConfig(pg, "bench_" + name, name);
    config.put("connector.class", "io.pgsnow.source.PostgresCdcSourceConnector");
    return new Peer(name, config);
  }

  private void measure(Peer peer, int rows, int transactions) throws Exception {
    String db = pg.createDatabase(peer.config().get("database.dbname"));
    pg.executeIn(db, TABLE);
    // Broker append time: the first and last record's timestamps bound the streaming interval.
    connect
        .kafka()
        .createTopic(peer.topic(), 1, 1, Map.of("message.timestamp.type", "LogAppendTime"));
    connect.createConnector(peer.name(), peer.config());
    connect.awaitRunning(peer.name(), 1, Duration.ofMinutes(2));
    awaitSlotActive(db, peer.slot(), true);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(peer.topic())) {
      insertBatched(db, WARM_UP_ROWS);
      awaitEndOffset(consumer, WARM_UP_ROWS);
      LOG.info("{}: warmed up with {} rows", peer.name(), WARM_UP_ROWS);

      pause(peer);
      long insertStart = System.nanoTime();
      insertBatched(db, rows);
      double insertSeconds = (System.nanoTime() - insertStart) / 1e9;
      catchUp(peer, consumer, rows, "batched inserts (catch-up)");
      results.add(
          String.format(
              Locale.ROOT,
              "%-10s %-28s %10d %12.0f %10.2f",
              "postgres",
              "INSERT of those rows",
              rows,
              rows / insertSeconds,
              insertSeconds));

      pause(peer);
      double tps = pgbench(db, transactions);
      catchUp(peer, consumer, transactions, "1-row txns (catch-up)");
      results.add(
          String.format(
              Locale.ROOT,
              "%-10s %-28s %10d %12.0f",
              "postgres",
              "pgbench 1-row commits",
              transactions,
              tps));

      live(peer, consumer, db, transactions);
    } finally {
      connect.connect().deleteConnector(peer.name());
      awaitSlotActive(db, peer.slot(), false);
      pg.executeIn(
          db,
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
              + " WHERE slot_name = '"
              + peer.slot()
              + "'");
    }
  }

  private void pause(Peer peer) {
    connect.connect().pauseConnector(peer.name());
    Awaitility.await(peer.name() + " paused")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                connect.connect().connectorStatus(peer.name()).tasks().stream()
                    .allMatch(t -> "PAUSED".equals(t.state())));
  }

  private void catchUp(Peer peer, KafkaConsumer<byte[], byte[]> consumer, int events, String what)
      throws InterruptedException {
    long base = endOffset(consumer);
    long cpuStart = processCpuNanos();
    connect.connect().resumeConnector(peer.name());
    awaitEndOffset(consumer, base + events);
    long cpu = processCpuNanos() - cpuStart;
    record(peer, consumer, base, events, what, cpu);
  }

  private void live(Peer peer, KafkaConsumer<byte[], byte[]> consumer, String db, int events)
      throws Exception {
    long base = endOffset(consumer);
    long cpuStart = processCpuNanos();
    double tps = pgbench(db, events);
    awaitEndOffset(consumer, base + events);
    long cpu = processCpuNanos() - cpuStart;
    record(peer, consumer, base, events, "1-row txns (live)", cpu);
    results.add(
        String.format(
            Locale.ROOT,
            "%-10s %-28s %10d %12.0f",
            "postgres",
            "pgbench, connector running",
            events,
            tps));
  }

  private void record(
      Peer peer,
      KafkaConsumer<byte[], byte[]> consumer,
      long base,
      int events,
      String what,
      long cpuNanos) {
    long first = timestampAt(consumer, base);
    long last = timestampAt(consumer, base + events - 1);
    double seconds = Math.max(1, last - first) / 1000.0;
    String line =
        String.format(
            Locale.ROOT,
            "%-10s %-28s %10d %12.0f %10.2f %14.1f",
            peer.name(),
            what,
            events,
            events / seconds,
            seconds,
            cpuNanos / 1000.0 / events);
    LOG.info(line);
    results.add(line);
  }

  private void insertBatched(String db, int rows) throws SQLException {
    StringBuilder values = new StringBuilder(INSERT);
    for (int i = 0; i < ROWS_PER_INSERT; i++) {
      values.append(i == 0 ? "" : ", ").append(ROW);
    }
    String statement = values.toString();
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      for (int done = 0; done < rows; done += ROWS_PER_INSERT) {
        s.execute(statement);
      }
    }
  }

  /** Commits single-row INSERTs with pgbench (2 clients) and returns its transactions/s. */
  private double pgbench(String db, int transactions) throws IOException, InterruptedException {
    Path script = Files.createTempFile("pgsnow-bench-", ".sql");
    Files.writeString(script, INSERT + ROW + ";\n", StandardCharsets.UTF_8);
    int clients = 2;
    List<String> command =
        List.of(
            pgBin.resolve("pgbench").toString(),
            "-n",
            "-M",
            "prepared",
            "-c",
            Integer.toString(clients),
            "-j",
            Integer.toString(clients),
            "-t",
            Integer.toString(transactions / clients),
            "-f",
            script.toString(),
            "-h",
            pg.host(),
            "-p",
            Integer.toString(pg.port()),
            "-U",
            LocalPostgres.SUPERUSER,
            db);
    String out = run(command);
    Files.delete(script);
    for (String line : out.split("\n")) {
      if (line.startsWith("tps = ")) {
        return Double.parseDouble(line.substring(6).split(" ")[0]);
      }
    }
    throw new IllegalStateException("pgbench printed no tps:\n" + out);
  }

  /** The decoding limit: pg_recvlogical reading N batched rows through pgoutput to /dev/null. */
  private void pgRecvLogical(int rows) throws Exception {
    String db = pg.createDatabase("bench_recvlogical");
    pg.executeIn(
        db,
        TABLE,
        "CREATE PUBLICATION recv_pub FOR TABLE payroll",
        "SELECT pg_create_logical_replication_slot('recv_slot', 'pgoutput')");
    insertBatched(db, rows);
    String endLsn;
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()")) {
      rs.next();
      endLsn = rs.getString(1);
    }
    long start = System.nanoTime();
    run(
        List.of(
            pgBin.resolve("pg_recvlogical").toString(),
            "-d",
            "host=" + pg.host() + " port=" + pg.port() + " user=postgres dbname=" + db,
            "--slot=recv_slot",
            "--start",
            "--endpos=" + endLsn,
            "--no-loop",
            "-o",
            "proto_version=1",
            "-o",
            "publication_names=recv_pub",
            "-f",
            "/dev/null"));
    double seconds = (System.nanoTime() - start) / 1e9;
    results.add(
        String.format(
            Locale.ROOT,
            "%-10s %-28s %10d %12.0f %10.2f",
            "pg_recv",
            "batched inserts (catch-up)",
            rows,
            rows / seconds,
            seconds));
  }

  private String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", LocalPostgres.PASSWORD);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  private static long endOffset(KafkaConsumer<byte[], byte[]> consumer) {
    TopicPartition partition = consumer.assignment().iterator().next();
    return consumer.endOffsets(List.of(partition)).get(partition);
  }

  private static void awaitEndOffset(KafkaConsumer<byte[], byte[]> consumer, long offset) {
    Awaitility.await("end offset " + offset)
        .atMost(CATCH_UP_LIMIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> endOffset(consumer) >= offset);
  }

  private void awaitSlotActive(String db, String slot, boolean active) {
    Awaitility.await(slot + (active ? " active" : " inactive"))
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try (Connection c = pg.connect(db);
                  Statement s = c.createStatement();
                  ResultSet rs =
                      s.executeQuery(
                          "SELECT active FROM pg_replication_slots WHERE slot_name = '"
                              + slot
                              + "'")) {
                boolean exists = rs.next();
                return active ? exists && rs.getBoolean(1) : !exists || !rs.getBoolean(1);
              }
            });
  }

  private static Path postgresBinaries() throws IOException {
    String configured = System.getenv("PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("pg_recvlogical")))
          .max(Path::compareTo)
          .orElseThrow(() -> new IllegalStateException("No PostgreSQL binaries: set PG_BIN"));
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(String topic) {
    return CaptureRuns.oneRecordConsumer(connect, topic);
  }
}
