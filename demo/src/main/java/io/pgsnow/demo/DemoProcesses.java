package io.pgsnow.demo;

import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.ExampleSecrets;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's processes: PostgreSQL, the warehouse (emulator or real account), a KRaft Kafka broker
 * and a Kafka Connect distributed worker loading the plugin archives from its plugin.path. Each is
 * started on request and stopped, newest first, on close.
 */
final class DemoProcesses implements AutoCloseable {
  static final String WORKER_GROUP = "pgsnow-demo";

  private final DemoOptions options;
  private final Progress progress;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private LocalPostgres pg;
  private KafkaBrokerProcess broker;
  private ConnectWorkerProcess worker;
  private Warehouse warehouse;
  private ExampleSecrets secrets;

  DemoProcesses(DemoOptions options, Progress progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Fails with the option to change when a port the demo needs is in use. */
  void checkPorts() {
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
        throw new Demo.PortTakenException(
            "Port "
                + p.getValue()
                + " is taken: choose another with "
                + p.getKey()
                + " (or stop what runs there; `bin/demo stop` stops an earlier demo)");
      }
    }
  }

  LocalPostgres startPostgres() {
    progress.step(
        "Starting PostgreSQL on port "
            + options.pgPort()
            + " (durable: fsync, synchronous_commit and full_page_writes on)");
    pg = LocalPostgres.builder().port(options.pgPort()).durable().start();
    resources.add(pg);
    return pg;
  }

  Warehouse startWarehouse() throws Exception {
    if (options.snowflakeUrl().isPresent()) {
      progress.step("Using the Snowflake account at " + options.snowflakeUrl().get());
    } else {
      progress.step("Starting the Snowflake emulator on port " + options.emulatorPort());
    }
    warehouse = Warehouse.start(options, freshDir("warehouse"));
    resources.add(warehouse);
    return warehouse;
  }

  /** The file the connectors read the database password and the Snowflake key from. */
  ExampleSecrets writeSecrets() throws IOException {
    secrets =
        ExampleSecrets.write(
            options.workDir(),
            Map.of(
                "database.password",
                LocalPostgres.PASSWORD,
                "snowflake.private.key",
                warehouse.privateKeyText()));
    return secrets;
  }

  KafkaBrokerProcess startBroker() throws Exception {
    progress.step("Starting a Kafka broker (KRaft) on port " + options.kafkaPort());
    broker =
        KafkaBrokerProcess.start(
            runtime(), freshDir("kafka"), options.kafkaPort(), options.controllerPort());
    resources.add(broker);
    return broker;
  }

  ConnectWorkerProcess startWorker() throws Exception {
    progress.step(
        "Starting a Kafka Connect distributed worker on port "
            + options.connectPort()
            + " with exactly-once source support (exactly.once.source.support=enabled)");
    worker =
        ConnectWorkerProcess.builder(runtime())
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
    return worker;
  }

  private Path runtime() {
    return options.root().resolve("packaging/runtimes/kafka-4.3.1/target/lib");
  }

  private Path installPlugins() throws IOException {
    Path plugins = freshDir("plugins");
    Directories.installPlugins(
        options.root().resolve("packaging/target/zips"), plugins, progress.out());
    return plugins;
  }

  private Path freshDir(String name) throws IOException {
    return Directories.fresh(options.workDir(), name);
  }

  /** Tells how to reach each running piece. */
  void printConnectionInfo(String database) {
    progress.step("How to connect to each piece");
    progress.detail(
        "PostgreSQL:   psql -h 127.0.0.1 -p "
            + pg.port()
            + " -U postgres "
            + database
            + "   (password: database.password in "
            + secrets.file()
            + ")");
    progress.detail("Kafka:        bootstrap servers " + broker.bootstrapServers());
    progress.detail("Kafka Connect REST: " + worker.restUrl() + "/connectors");
    warehouse
        .emulator()
        .ifPresent(
            emulator ->
                progress.detail(
                    "Snowflake emulator JDBC: "
                        + emulator.jdbcUrl()
                        + "  (user "
                        + warehouse.user()
                        + ", key pair in "
                        + warehouse.keyFile()
                        + ")"));
    progress.detail("Logs: " + options.workDir());
  }

  LocalPostgres postgres() {
    return pg;
  }

  KafkaBrokerProcess broker() {
    return broker;
  }

  ConnectWorkerProcess worker() {
    return worker;
  }

  Warehouse warehouse() {
    return warehouse;
  }

  ExampleSecrets secrets() {
    return secrets;
  }

  @Override
  public synchronized void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        progress.detail("could not stop " + resources.get(i) + ": " + e.getMessage());
      }
    }
    resources.clear();
  }
}
