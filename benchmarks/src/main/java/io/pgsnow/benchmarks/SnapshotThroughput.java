package io.pgsnow.benchmarks;

import static io.pgsnow.benchmarks.CaptureRuns.processCpuNanos;
import static io.pgsnow.benchmarks.CaptureRuns.timestampAt;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.postgresql.PGConnection;

/**
 * Initial snapshot throughput, side by side in one run: the same table of N rows (the seed's
 * payroll shape) copied by pgsnow's and Debezium's connectors (snapshot.mode=initial) through one
 * embedded Connect worker with the JSON converter (schemas on); rows/s between the first and the
 * last record appended to Kafka (broker LogAppendTime), and the JVM's CPU time per row. The limits:
 * {@code COPY … TO STDOUT} of the whole table on one connection, and of 4 block ranges ({@code
 * ctid}) or 4 primary-key ranges on 4 connections, the two ways to split a table.
 *
 * <p>Usage: {@code SnapshotThroughput [rows] [pgsnow|pgsnow2|pgsnowfast|dbz]} ({@code pgsnow2}:
 * {@code tasks.max=2}; {@code pgsnowfast}: FastJsonConverter as key and value converter, and {@code
 * pgsnowfast2} both); run through {@code benchmarks/run snapshot}.
 */
public final class SnapshotThroughput {
  private static final String TABLE =
      "CREATE TABLE payroll (employee_id bigserial PRIMARY KEY, first_name text, last_name text,"
          + " age int, ssn text, hourly_rate int, gender text, email text)";

  private final LocalPostgres pg;
  private final ConnectCluster connect;
  private final List<String> results = new ArrayList<>();

  private SnapshotThroughput(LocalPostgres pg, ConnectCluster connect) {
    this.pg = pg;
    this.connect = connect;
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String only = args.length > 1 ? args[1] : "";
    Path plugins = Path.of("source-connector", "target", "plugin");
    try (LocalPostgres pg = LocalPostgres.builder().start();
        ConnectCluster connect =
            ConnectCluster.builder().name("pgsnow-snapshot-bench").pluginPath(plugins).start()) {
      SnapshotThroughput bench = new SnapshotThroughput(pg, connect);
      bench.results.add(
          String.format(
              Locale.ROOT,
              "%-10s %-34s %10s %12s %10s %14s",
              "who",
              "what",
              "rows",
              "rows/s",
              "seconds",
              "JVM CPU us/row"));
      String db = pg.createDatabase("bench_snapshot");
      pg.executeIn(
          db,
          TABLE,
          "INSERT INTO payroll (first_name, last_name, age, ssn, hourly_rate, gender, email)"
              + " SELECT 'Sheridan', 'Lezemere', 48, '674-68-7406', 23, 'male',"
              + " 'jpbi' || g || '@mycompany.com' FROM generate_series(1, "
              + rows
              + ") g",
          "VACUUM ANALYZE payroll");
      bench.copyLimits(db, rows);
      for (String peer : List.of("dbz", "pgsnow", "pgsnow2", "pgsnowfast", "pgsnowfast2")) {
        if (peer.startsWith(only)) {
          bench.snapshot(db, peer, rows);
        }
      }
      String report = String.join("\n", bench.results);
      Files.writeString(Path.of("benchmarks", "target", "snapshot-result.txt"), report + "\n");
      System.out.println(report);
    }
  }

  private void snapshot(String db, String peer, int rows) throws Exception {
    Map<String, String> config = CaptureRuns.sourceConfig(pg, db, peer);
    // pgsnow2 and pgsnowfast2: pgsnow with the snapshot spread over two tasks.
    String tasks = peer.startsWith("pgsnow") && peer.endsWith("2") ? "2" : "1";
    config.put("tasks.max", tasks);
    config.put("publication.autocreate.mode", "filtered");
    config.put("snapshot.mode", "initial");
    if (peer.startsWith("pgsnowfast")) {
      // pgsnow again, with the same bytes written by FastJsonConverter.
      config.put("key.converter", "io.pgsnow.converter.FastJsonConverter");
      config.put("value.converter", "io.pgsnow.converter.FastJsonConverter");
    }
    if ("dbz".equals(peer)) {
      config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
      config.put("plugin.name", "pgoutput");
    } else {
      config.put("connector.class", "io.pgsnow.source.PostgresCdcSourceConnector");
    }
    String topic = peer + ".public.payroll";
    connect.kafka().createTopic(topic, 1, 1, Map.of("message.timestamp.type", "LogAppendTime"));
    long cpuStart = processCpuNanos();
    connect.createConnector(peer, config);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      Awaitility.await(peer + " snapshot")
          .atMost(Duration.ofMinutes(20))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> consumer.endOffsets(List.of(partition)).get(partition) >= rows);
      long cpu = processCpuNanos() - cpuStart;
      double seconds =
          Math.max(1, timestampAt(consumer, rows - 1) - timestampAt(consumer, 0)) / 1000.0;
      results.add(
          String.format(
              Locale.ROOT,
              "%-10s %-34s %10d %12.0f %10.2f %14.1f",
              peer,
              (peer.startsWith("pgsnowfast")
                      ? "initial snapshot, FastJsonConverter, "
                      : "initial snapshot, JSON converter, ")
                  + tasks
                  + " task(s)",
              rows,
              rows / seconds,
              seconds,
              cpu / 1000.0 / rows));
    } finally {
      connect.connect().deleteConnector(peer);
    }
  }

  /** COPY TO STDOUT of the table: whole on one connection, and split 4 ways both ways. */
  private void copyLimits(String db, int rows) throws Exception {
    long blocks;
    try (Connection c = pg.connect(db);
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT pg_relation_size('payroll') / current_setting('block_size')::bigint")) {
      rs.next();
      blocks = rs.getLong(1);
    }
    copy(db, rows, "COPY TO STDOUT, 1 connection", 1, i -> "SELECT * FROM payroll");
    copy(db, rows, "COPY TO STDOUT, 4 ctid ranges", 4, i -> range(blocks, i));
    long perPart = (rows + 3) / 4;
    copy(
        db,
        rows,
        "COPY TO STDOUT, 4 primary-key ranges",
        4,
        i ->
            "SELECT * FROM payroll WHERE employee_id > "
                + (i * perPart)
                + " AND employee_id <= "
                + ((i + 1) * perPart));
  }

  private static String range(long blocks, int part) {
    long step = (blocks + 3) / 4;
    String where = "ctid >= '(" + (part * step) + ",0)'::tid";
    if (part < 3) {
      where += " AND ctid < '(" + ((part + 1) * step) + ",0)'::tid";
    }
    return "SELECT * FROM payroll WHERE " + where;
  }

  private void copy(String db, int rows, String what, int parts, IntFunction<String> select)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parts);
    try {
      long start = System.nanoTime();
      List<Future<Long>> futures = new ArrayList<>();
      for (int i = 0; i < parts; i++) {
        String sql = "COPY (" + select.apply(i) + ") TO STDOUT";
        futures.add(
            pool.submit(
                () -> {
                  try (Connection c = pg.connect(db)) {
                    return c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyOut(sql, OutputStream.nullOutputStream());
                  }
                }));
      }
      long copied = 0;
      for (Future<Long> f : futures) {
        copied += f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (copied != rows) {
        throw new IllegalStateException(what + " copied " + copied + " rows, not " + rows);
      }
      results.add(
          String.format(
              Locale.ROOT,
              "%-10s %-34s %10d %12.0f %10.2f",
              "postgres",
              what,
              copied,
              copied / seconds,
              seconds));
    } finally {
      pool.shutdownNow();
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(String topic) {
    return CaptureRuns.oneRecordConsumer(connect, topic);
  }
}
