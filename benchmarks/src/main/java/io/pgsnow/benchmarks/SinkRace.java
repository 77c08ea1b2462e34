package io.pgsnow.benchmarks;

import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.emulator.load.LoadRecord;
import io.pgsnow.testkit.ConnectWorkerProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.awaitility.Awaitility;

/**
 * The sink race of issue #17: one topic pre-filled with N JSON records of the seed's payroll shape
 * (4 partitions), loaded into the emulator by pgsnow's sink and by the official Snowflake connector
 * ({@code com.snowflake:snowflake-kafka-connector}, Snowpipe mode), one after the other, each in a
 * fresh Connect worker process with the same worker and connector settings (one task, JSON
 * converter without schemas, the same buffer thresholds). The time counted runs from the
 * connector's creation until every row is queryable in the emulator ({@code COUNT(*)} polled every
 * 250 ms); "steady" figures run from the first poll that saw rows (the connector's start-up, table,
 * stage and pipe creation left out) to the last. The worker runs in its own JVM so its CPU time
 * ({@code /proc}) and its GC log (peak heap) are the connector's and the worker's alone; the broker
 * and the emulator run in this JVM.
 *
 * <p>Usage: {@code SinkRace [records=1000000] [pgsnow|official]}; run through {@code benchmarks/run
 * sinkrace}, which first copies the official connector's jar from Maven Central into {@code
 * benchmarks/target/official-sink/}.
 */
public final class SinkRace {
  static final String TOPIC = "race_payroll";
  static final int PARTITIONS = 4;
  private static final String DATABASE = EmulatorUser.DATABASE;
  private static final Path OFFICIAL = Path.of("benchmarks", "target", "official-sink");
  private static final Path PGSNOW = Path.of("sink-connector", "target", "plugin");
  private static final Path WORK = Path.of("benchmarks", "target", "sinkrace");

  private final SnowflakeEmulator emulator;
  private final EmbeddedKafkaCluster kafka;
  private final EmulatorUser user;
  private final Path pluginDir;
  private final Path libDir;
  private final List<String> results = new ArrayList<>();

  private SinkRace(
      SnowflakeEmulator emulator,
      EmbeddedKafkaCluster kafka,
      EmulatorUser user,
      Path pluginDir,
      Path libDir) {
    this.emulator = emulator;
    this.kafka = kafka;
    this.user = user;
    this.pluginDir = pluginDir;
    this.libDir = libDir;
  }

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String only = args.length > 1 ? args[1] : "";
    EmulatorUser user = EmulatorUser.newUser();
    Files.createDirectories(WORK);
    Path plugins = pluginDirectory(WORK.resolve("plugins"));
    Path lib = workerLibDirectory(WORK.resolve("lib"), System.getProperty("java.class.path"));
    Properties broker = new Properties();
    broker.put("auto.create.topics.enable", "false");
    EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster(1, broker);
    kafka.start();
    try (SnowflakeEmulator emulator = user.startEmulator()) {
      SinkRace race = new SinkRace(emulator, kafka, user, plugins, lib);
      kafka.createTopic(TOPIC, PARTITIONS, 1, Map.of());
      race.prefill(records);
      race.results.add(
          String.format(
              Locale.ROOT,
              "%-9s %9s %9s %10s %9s %10s %10s %10s %9s %9s %11s %8s %9s %15s %9s",
              "who",
              "records",
              "seconds",
              "records/s",
              "1st rows",
              "steady r/s",
              "CPU us/rec",
              "steady CPU",
              "bytes/rec",
              "files",
              "files/1M rec",
              "files/min",
              "insertFiles",
              "heap MB pk/live",
              "load"));
      for (String peer : List.of("official", "pgsnow")) {
        if (peer.startsWith(only)) {
          race.run(peer, records);
        }
      }
      String report = String.join("\n", race.results);
      Files.writeString(Path.of("benchmarks", "target", "sinkrace-result.txt"), report + "\n");
      System.out.println(report);
    } finally {
      kafka.stop();
    }
  }

  private void prefill(int records) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long id = 0; id < records; id++) {
        producer.send(
            new ProducerRecord<>(
                TOPIC, (int) (id % PARTITIONS), PayrollJson.key(id), PayrollJson.value(id)));
      }
      producer.flush();
    }
  }

  private void run(String peer, int records) throws Exception {
    String connector = "race_" + peer;
    String table = (peer + "_RACE").toUpperCase(Locale.ROOT);
    Path dir = WORK.resolve(peer);
    Files.createDirectories(dir);
    Path gcLog = dir.resolve("gc.log").toAbsolutePath();
    Files.deleteIfExists(gcLog);
    try (ConnectWorkerProcess worker =
            ConnectWorkerProcess.builder(libDir)
                .bootstrapServers(kafka.bootstrapServers())
                .pluginPath(pluginDir)
                .property("group.id", "race-" + peer)
                .property("config.storage.topic", "race-" + peer + "-configs")
                .property("offset.storage.topic", "race-" + peer + "-offsets")
                .property("status.storage.topic", "race-" + peer + "-status")
                .property("plugin.discovery", "service_load")
                .jvmOption("-Xlog:gc:file=" + gcLog)
                .workDirectory(dir.toAbsolutePath())
                .start();
        LoadAverage load = LoadAverage.sample()) {
      int insertsBefore = emulator.insertFilesRequests();
      long cpuBefore = cpuNanos(worker);
      double uptimeAtStart =
          Duration.between(
                      worker.processHandle().info().startInstant().orElseThrow(), Instant.now())
                  .toMillis()
              / 1000.0;
      long start = System.nanoTime();
      worker.put("/connectors/" + connector + "/config", json(config(peer, table)));
      long[] first = new long[3]; // nanoTime, worker CPU, rows at the first poll that saw rows
      Awaitility.await(peer + " loads " + records + " rows")
          .atMost(Duration.ofMinutes(30))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                if (!worker.isAlive()) {
                  throw new IllegalStateException(peer + "'s worker exited; see " + worker.log());
                }
                long rows = count(table);
                if (rows > 0 && first[0] == 0) {
                  first[0] = System.nanoTime();
                  first[1] = cpuNanos(worker);
                  first[2] = rows;
                }
                return rows >= records;
              });
      long end = System.nanoTime();
      double seconds = (end - start) / 1e9;
      long cpuEnd = cpuNanos(worker);
      long cpu = cpuEnd - cpuBefore;
      double steadySeconds = (end - first[0]) / 1e9;
      long steadyRecords = records - first[2];
      int inserts = emulator.insertFilesRequests() - insertsBefore;
      LoadTally files = tally(connector);
      GcLogHeap heap = GcLogHeap.read(gcLog, uptimeAtStart);
      long rows = count(table);
      results.add(
          String.format(
              Locale.ROOT,
              "%-9s %9d %9.1f %10.0f %9.1f %10.0f %10.1f %10.1f %9.1f %9d %11.1f %8.1f %9d %7d/%-7d %9s%s",
              peer,
              records,
              seconds,
              records / seconds,
              (first[0] - start) / 1e9,
              steadyRecords / Math.max(0.001, steadySeconds),
              cpu / 1000.0 / records,
              (cpuEnd - first[1]) / 1000.0 / Math.max(1, steadyRecords),
              (double) files.bytes() / records,
              files.files(),
              files.files() * 1e6 / records,
              files.files() / (seconds / 60),
              inserts,
              heap.peakBeforeGcMb(),
              heap.peakAfterGcMb(),
              load.range(),
              rows > records ? "  (" + (rows - records) + " duplicate rows)" : ""));
      System.out.println(results.get(results.size() - 1));
    }
  }

  private Map<String, String> config(String peer, String table) {
    Map<String, String> config = new HashMap<>();
    config.put(
        "connector.class",
        "official".equals(peer)
            ? "com.snowflake.kafka.connector.SnowflakeSinkConnector"
            : "io.pgsnow.sink.SnowflakeSinkConnector");
    if ("official".equals(peer)) {
      config.put("snowflake.ingestion.method", "SNOWPIPE");
      config.put("snowflake.role.name", "ACCOUNTADMIN");
    }
    config.put("tasks.max", "1");
    config.put("topics", TOPIC);
    config.put("snowflake.topic2table.map", TOPIC + ":" + table);
    config.put("snowflake.url.name", emulator.accountUrl());
    config.put("snowflake.user.name", EmulatorUser.NAME);
    config.put("snowflake.private.key", user.privateKeyText());
    config.put("snowflake.database.name", DATABASE);
    config.put("snowflake.schema.name", "PUBLIC");
    // The official connector's defaults for count and size; 10 s is its smallest flush time.
    config.put("buffer.count.records", "10000");
    config.put("buffer.size.bytes", "5000000");
    config.put("buffer.flush.time", "10");
    config.putAll(CaptureRuns.jsonConverters(false));
    return config;
  }

  /** Files the connector's pipes loaded and their staged (gzip) bytes, from the load history. */
  private LoadTally tally(String connector) throws SQLException {
    List<LoadRecord> loads = new ArrayList<>();
    try (Connection c = EmulatorUser.jdbc(emulator);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW PIPES IN DATABASE " + DATABASE)) {
      List<String> pipes = new ArrayList<>();
      while (rs.next()) {
        String name = rs.getString("name");
        if (name.contains(connector.toUpperCase(Locale.ROOT))) {
          pipes.add(rs.getString("database_name") + "." + rs.getString("schema_name") + "." + name);
        }
      }
      for (String pipe : pipes) {
        loads.addAll(emulator.loadHistory(pipe));
      }
    }
    return LoadTally.of(loads);
  }

  /** Distinct loaded files and their bytes. */
  record LoadTally(int files, long bytes) {
    static LoadTally of(List<LoadRecord> loads) {
      Set<String> seen = new HashSet<>();
      long bytes = 0;
      for (LoadRecord load : loads) {
        if ("LOADED".equals(load.status()) && seen.add(load.pipe() + "/" + load.path())) {
          bytes += load.fileSize();
        }
      }
      return new LoadTally(seen.size(), bytes);
    }
  }

  private long count(String table) {
    try (Connection c = EmulatorUser.jdbc(emulator);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + DATABASE + ".PUBLIC." + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1; // the table does not exist yet
    }
  }

  private static long cpuNanos(ConnectWorkerProcess worker) {
    return worker.processHandle().info().totalCpuDuration().orElseThrow().toNanos();
  }

  /** The plugin.path of both workers: pgsnow's built sink and the official connector's jar. */
  static Path pluginDirectory(Path dir) throws Exception {
    Path official = OFFICIAL.toAbsolutePath();
    Path pgsnow = PGSNOW.resolve("pgsnow-snowflake-sink").toAbsolutePath();
    for (Path needed : List.of(official, pgsnow)) {
      if (!Files.isDirectory(needed)) {
        throw new IllegalStateException(
            needed + " is missing: run benchmarks/run sinkrace, which builds and fetches both");
      }
    }
    Files.createDirectories(dir);
    writeServiceManifest(official.resolve("sinkrace-service-manifest.jar"));
    link(dir.resolve("snowflake-kafka-connector"), official);
    link(dir.resolve("pgsnow-snowflake-sink"), pgsnow);
    return dir.toAbsolutePath();
  }

  /**
   * A worker's lib directory: this JVM's class path (Kafka, Connect, their dependencies) without
   * either sink or the Snowflake clients, which each connector must load from its plugin directory.
   */
  static Path workerLibDirectory(Path dir, String classPath) throws Exception {
    Files.createDirectories(dir);
    try (var old = Files.list(dir)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    int i = 0;
    for (String entry : workerClassPath(classPath)) {
      Path jar = Path.of(entry).toAbsolutePath();
      Files.createSymbolicLink(dir.resolve(i++ + "-" + jar.getFileName()), jar);
    }
    return dir.toAbsolutePath();
  }

  static List<String> workerClassPath(String classPath) {
    List<String> out = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (entry.endsWith(".jar")
          && !name.startsWith("pgsnow-")
          && !name.startsWith("snowflake-")
          && !name.startsWith("debezium-")
          && !name.startsWith("duckdb")
          && !name.startsWith("jmh-")) {
        out.add(entry);
      }
    }
    return out;
  }

  /**
   * The official connector's jar declares no {@code META-INF/services} entry for its connector, so
   * a worker would find it only by scanning every class of the 160 MB jar (minutes on a loaded
   * machine). This is the manifest Kafka's {@code connect-plugin-path.sh sync-manifests} writes
   * next to such a plugin (KIP-898), so both workers start with {@code
   * plugin.discovery=service_load}.
   */
  private static void writeServiceManifest(Path jar) throws Exception {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(
          new JarEntry("META-INF/services/org.apache.kafka.connect.sink.SinkConnector"));
      out.write(
          "com.snowflake.kafka.connector.SnowflakeSinkConnector\n"
              .getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }

  private static void link(Path link, Path target) throws Exception {
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, target);
  }

  private static String json(Map<String, String> config) {
    StringBuilder out = new StringBuilder("{");
    config.forEach(
        (k, v) -> {
          if (out.length() > 1) {
            out.append(',');
          }
          out.append('"').append(escape(k)).append("\":\"").append(escape(v)).append('"');
        });
    return out.append('}').toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
