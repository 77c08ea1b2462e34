package io.pgsnow.demo;

import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.ExampleSecrets;
import io.pgsnow.testkit.LocalPostgres;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@code bin/demo}: the seed's pipeline on this machine. PostgreSQL, a KRaft Kafka broker and a
 * Kafka Connect distributed worker run as separate processes ({@link DemoProcesses}); the worker
 * loads the pgsnow plugin archives from its plugin.path; the connectors are created through the
 * REST API from the files in {@code config-examples/} ({@link PipelineConnectors}); the seed data
 * ({@link SeedData}) is written and watched until it lands ({@link LandingWatch}) in the Snowflake
 * emulator (or a real account), which the seed's queries then read ({@link SeedQueries}).
 */
public final class Demo implements AutoCloseable {
  static final String DATABASE = "seed";
  static final String WORKER_GROUP = DemoProcesses.WORKER_GROUP;

  private final DemoOptions options;
  private final Progress progress;
  private final DemoProcesses processes;

  Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.progress = new Progress(out);
    this.processes = new DemoProcesses(options, progress);
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
        System.out.println("\nEverything keeps running: Ctrl-C or `bin/demo stop` shuts it down.");
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
    processes.checkPorts();
    Files.createDirectories(options.workDir());
    Files.writeString(
        options.workDir().resolve("demo.pid"), Long.toString(ProcessHandle.current().pid()));
    LocalPostgres pg = processes.startPostgres();
    pg.createDatabase(DATABASE);
    SeedData.createSchema(pg, DATABASE);
    Warehouse warehouse = processes.startWarehouse();
    processes.writeSecrets();
    processes.startBroker();
    processes.startWorker();
    PipelineConnectors connectors = new PipelineConnectors(processes, options, DATABASE, progress);
    boolean sinkInstalled = connectors.sinkPluginInstalled();
    // The employees exist before the source starts: its initial snapshot copies them (op=r),
    // consistent with the changes it streams afterwards.
    progress.step(
        "Writing "
            + SeedData.EMPLOYEES
            + " employees before the source connector starts (its initial snapshot copies them)");
    try (Connection c = pg.connect(DATABASE)) {
      SeedData.insertEmployees(c);
    }
    sinkInstalled = connectors.create(sinkInstalled);
    progress.step(
        "Writing bonuses, a raise, a deleted employee and an unknown employee's bonus"
            + " (streamed as they commit)");
    try (Connection c = pg.connect(DATABASE)) {
      SeedData.generateChanges(c, options.bonuses());
    }
    LandingWatch watch =
        new LandingWatch(pg, DATABASE, kafkaBootstrapServers(), warehouse, sinkInstalled, progress);
    int expected = SeedData.expectedJoinedRows(options.bonuses());
    int landed = watch.awaitRows(expected);
    Optional<PayrollComparison> currentState =
        sinkInstalled
            ? Optional.of(watch.awaitCurrentState(SeedData.payrollChanges(options.bonuses())))
            : Optional.empty();
    if (sinkInstalled) {
      printWarehouse(warehouse, currentState);
    }
    processes.printConnectionInfo(DATABASE);
    List<List<String>> rows =
        sinkInstalled ? new SeedQueries(warehouse, progress.out()).completeRows() : List.of();
    return new Result(
        expected,
        landed,
        rows,
        currentState,
        landed == expected && currentState.map(PayrollComparison::matches).orElse(true));
  }

  private void printWarehouse(Warehouse warehouse, Optional<PayrollComparison> currentState)
      throws SQLException {
    progress.step("The seed's Snowflake queries, through the Snowflake JDBC driver");
    new SeedQueries(warehouse, progress.out()).print();
    progress.step("PostgreSQL's payroll table next to its current-state model in Snowflake");
    currentState.ifPresent(c -> c.print(progress.out()));
  }

  /** The demo's PostgreSQL server, once started. */
  LocalPostgres postgres() {
    return processes.postgres();
  }

  /** The file the connectors read their secrets from, once written. */
  ExampleSecrets secrets() {
    return processes.secrets();
  }

  /** The demo's Connect worker, once started. */
  ConnectWorkerProcess worker() {
    return processes.worker();
  }

  /** The demo's Kafka broker, once started. */
  String kafkaBootstrapServers() {
    return processes.broker().bootstrapServers();
  }

  Connection snowflake() throws SQLException {
    return processes.warehouse().connect();
  }

  @Override
  public void close() {
    processes.close();
  }

  /** A port the demo needs is in use. */
  static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }
}
