package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.emulator.fault.Endpoint;
import io.pgsnow.emulator.fault.Faults;
import io.pgsnow.emulator.fault.RequestJournal;
import io.pgsnow.testkit.LocalPostgres.Shutdown;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline as separate processes (PostgreSQL, a Kafka broker, three Connect workers, the
 * emulator; see {@link FaultPipeline}) through one fault at a time while a generator writes
 * inserts, updates, deletes and a large transaction: workers killed with SIGKILL (the source's, a
 * sink's), a rebalance while files load, a worker restarted, PostgreSQL restarted (fast and
 * immediate), the replication connection cut, stalled and reset by a TCP proxy, the broker killed
 * with SIGKILL and restarted, and restarted with SIGTERM, the emulator answering 5xx, timing out,
 * answering slowly, expiring sessions, failing loads and restarting, and 2 KB records under a 512
 * MB worker heap with default buffers. After each, PostgreSQL's committed changes, the change
 * events in Kafka, the warehouse's raw rows and its current-state model must agree: 0 lost, 0
 * duplicated. A table per scenario gives the changes written, delivered, lost and duplicated and
 * the recovery time; RELIABILITY.md records them. At the end no log, topic or REST answer of the
 * run may hold a secret.
 *
 * <p>One scenario runs without the exactly-once settings, on a second source and sink in a worker
 * of their own: the worker running both is killed with SIGKILL, and the duplicates must be the ones
 * the README documents for at-least-once delivery (replays by the source of what it wrote since its
 * last offset commit, the same events; none added by the sink), with nothing lost.
 *
 * <p>Short form by default (small workloads, one pipeline for all scenarios, about 4 minutes);
 * {@code -Dpgsnow.soak=true} (bin/test --soak) writes 100,000 changes per scenario and 1,000,000
 * blobs of 2 KB.
 */
class PipelineFaultSuiteIT {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineFaultSuiteIT.class);
  private static final boolean SOAK = Boolean.getBoolean("pgsnow.soak");
  private static final int CHANGES = SOAK ? 100_000 : 300;
  private static final int PER_TICK = SOAK ? 400 : 3;
  private static final int LARGE_TRANSACTION = SOAK ? 20_000 : 150;
  private static final int BLOBS = SOAK ? 1_000_000 : 10_000;
  private static final int BLOBS_PER_TICK = SOAK ? 2_000 : 200;
  private static final int BLOB_BYTES = 2048;

  /**
   * How long a change may take from its write to the source's queue, added to the offset-commit
   * interval when bounding which changes an at-least-once restart may repeat.
   */
  private static final Duration STREAMING_ALLOWANCE = Duration.ofSeconds(5);

  private static final Duration DELIVERY = SOAK ? Duration.ofMinutes(60) : Duration.ofMinutes(2);

  private static FaultPipeline pipeline;
  private static LedgerWorkload workload;
  private static DeliveryAudit audit;
  private static final ScenarioTable TABLE = new ScenarioTable();

  /** A fault: injected while the workload writes, returning once it is healed. */
  @FunctionalInterface
  private interface Fault {
    void inject(CompletableFuture<Void> writing) throws Exception;
  }

  @BeforeAll
  static void start() throws Exception {
    pipeline = new FaultPipeline(!SOAK);
    pipeline.startWorkersAndConnectors();
    workload = new LedgerWorkload(pipeline.pg, FaultPipeline.DATABASE);
    audit = new DeliveryAudit(pipeline);
  }

  @AfterAll
  static void stop() throws Exception {
    if (workload != null) {
      workload.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void everyChangeArrivesOnceThroughEveryFaultAndNoSecretLeaks() throws Exception {
    long started = System.nanoTime();
    ledger("baseline (no fault)", writing -> {});
    ledger("SIGKILL of the source's worker", writing -> killAndRestart(sourceWorker()));
    ledger("SIGKILL of a sink worker", writing -> killAndRestart(sinkOnlyWorker()));
    atLeastOnceWorkerKilled();
    ledger("rebalance while files load", this::rebalanceWhileLoading);
    ledger("worker restarted (SIGTERM)", this::restartAWorker);
    ledger("PostgreSQL restart, fast", writing -> restartPostgres(Shutdown.FAST, writing));
    ledger(
        "PostgreSQL restart, immediate", writing -> restartPostgres(Shutdown.IMMEDIATE, writing));
    ledger("replication connection cut", writing -> pipeline.proxy.cut());
    ledger("replication connection stalled", this::stallTheReplicationConnection);
    ledger("replication connection reset", writing -> pipeline.proxy.reset());
    ledger("Kafka broker killed (SIGKILL), restarted", writing -> pipeline.killAndRestartBroker());
    ledger("Kafka broker restarted (SIGTERM)", writing -> pipeline.stopAndRestartBroker());
    ledger("emulator 5xx answers", this::emulatorErrors);
    ledger("emulator timeouts", this::emulatorTimeouts);
    ledger("emulator slow answers", this::emulatorSlow);
    ledger("emulator sessions expired", this::expireSessions);
    ledger("emulator failed loads", this::failLoads);
    ledger("emulator restart", writing -> pipeline.restartEmulator());
    memoryPressure();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String table = TABLE.render(SOAK ? "full (soak)" : "short", took);
    LOG.info("Fault suite results:\n{}", table);
    System.out.println(table);
    Files.writeString(FaultPipeline.DIR.resolve("results.md"), table, StandardCharsets.UTF_8);

    SecretScan.Findings leaks = new SecretScan(pipeline).scan();
    assertThat(leaks.places()).as("secrets found in logs, topics or REST answers").isEmpty();
    assertThat(leaks.scanned()).as("what the secret scan read").isNotEmpty();
    assertThat(TABLE.failures()).as("scenarios with lost or duplicated changes").isEmpty();
  }

  // ---- the scenario frame

  private void ledger(String name, Fault fault) throws Exception {
    pipeline.awaitSettled();
    Run run = run(name, fault);
    DeliveryAudit.Mark mark = run.mark();
    long expected = audit.auditCount();
    Duration recovery = awaitLoaded("LEDGER", expected, run.ready());
    Map<String, Integer> committed = audit.committedLedgerChanges(mark);
    DeliveryAudit.Comparison kafka =
        DeliveryAudit.compare(committed, audit.inKafka(FaultPipeline.LEDGER_TOPIC, mark));
    DeliveryAudit.Comparison warehouse =
        DeliveryAudit.compare(
            committed, audit.inWarehouse("LEDGER", FaultPipeline.LEDGER_TOPIC, mark));
    Map<Long, String> model = audit.currentStateDifferences();
    TABLE.add(
        name,
        kafka,
        warehouse,
        model.isEmpty() ? "equal" : model.size() + " rows differ: " + first(model),
        run.faultLasted(),
        recovery);
  }

  /**
   * A scenario's writing, {@code fault} injected once a quarter of it is written.
   *
   * @param ready when the fault was over and everything written
   */
  private record Run(DeliveryAudit.Mark mark, Duration faultLasted, long ready) {}

  private Run run(String name, Fault fault) throws Exception {
    LOG.info("Scenario: {}", name);
    DeliveryAudit.Mark mark = audit.mark(0);
    CompletableFuture<Void> writing = workload.write(CHANGES, PER_TICK, LARGE_TRANSACTION);
    Awaitility.await(name + ": a quarter of the changes written")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> writing.isDone() || audit.auditSeq() >= mark.auditSeq() + CHANGES / 4);
    long faultAt = System.nanoTime();
    fault.inject(writing);
    long healedAt = System.nanoTime();
    writing.get(SOAK ? 60 : 5, TimeUnit.MINUTES);
    return new Run(
        mark, Duration.ofNanos(healedAt - faultAt), Math.max(healedAt, System.nanoTime()));
  }

  private static String first(Map<Long, String> differences) {
    return differences.entrySet().stream().limit(3).toList().toString();
  }

  /** Waits until the table holds {@code expected} rows; the time it took after {@code ready}. */
  private Duration awaitLoaded(String table, long expected, long ready) throws Exception {
    try {
      Awaitility.await(table + " holds " + expected + " rows")
          .atMost(DELIVERY)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
          .until(
              () -> {
                pipeline.assertNoneFailed();
                return pipeline.warehouseCount(table) >= expected;
              });
    } catch (ConditionTimeoutException e) {
      LOG.error("Not everything arrived: {}", e.getMessage());
      return Duration.ofNanos(-1);
    }
    return Duration.ofNanos(System.nanoTime() - ready);
  }

  /**
   * The at-least-once pipeline (no exactly-once source support, a sink reading every record)
   * through a SIGKILL of its worker, which runs its source and its sink. As the README documents,
   * nothing may be lost; a change may be repeated only by the source's restart from its last
   * committed offset: the same event but for when the connector processed it (the envelope's ts_ms,
   * ts_us, ts_ns), of a change written at most one offset-commit interval before the kill (plus
   * {@link #STREAMING_ALLOWANCE} for the time a change takes from its write to the source's queue);
   * the sink loads each Kafka record once, so the warehouse holds exactly Kafka's copies. The
   * at-least-once worker stops afterwards.
   */
  private void atLeastOnceWorkerKilled() throws Exception {
    String name = "at-least-once: SIGKILL of the worker (source and sink)";
    pipeline.awaitSettled();
    pipeline.awaitAtLeastOnceRunning();
    List<Instant> killedAt = new ArrayList<>();
    Run run =
        run(
            name,
            writing -> {
              killedAt.add(audit.postgresClock());
              pipeline.killAndRestartAtLeastOnceWorker();
            });
    DeliveryAudit.Mark mark = run.mark();
    Map<String, Integer> committed = audit.committedLedgerChanges(mark);
    Duration recovery;
    try {
      Awaitility.await(FaultPipeline.ALO_TABLE + " holds every change")
          .atMost(DELIVERY)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
          .until(() -> warehouseAtLeastOnce(committed, mark).lost() == 0);
      recovery = Duration.ofNanos(System.nanoTime() - run.ready());
    } catch (ConditionTimeoutException e) {
      LOG.error("Not everything arrived: {}", e.getMessage());
      recovery = Duration.ofNanos(-1);
    }
    pipeline.awaitAtLeastOnceRunning();
    Map<String, Integer> inKafka = audit.inKafka(FaultPipeline.ALO_TOPIC, mark);
    DeliveryAudit.Comparison kafka = DeliveryAudit.compare(committed, inKafka);
    DeliveryAudit.Comparison warehouse = warehouseAtLeastOnce(committed, mark);
    Duration window = FaultPipeline.ALO_OFFSET_FLUSH.plus(STREAMING_ALLOWANCE);
    List<String> violations =
        atLeastOnceViolations(committed, inKafka, kafka, warehouse, killedAt.get(0), window, mark);
    TABLE.addAtLeastOnce(name, kafka, warehouse, window, violations, run.faultLasted(), recovery);
    pipeline.closeAtLeastOnceWorker();
  }

  /**
   * Where the at-least-once scenario's duplicates are not the documented ones: more than one
   * replay, a replay of a change written over {@code window} before the kill, a replay that is
   * another event, or a warehouse that holds other copies than Kafka.
   */
  private List<String> atLeastOnceViolations(
      Map<String, Integer> committed,
      Map<String, Integer> inKafka,
      DeliveryAudit.Comparison kafka,
      DeliveryAudit.Comparison warehouse,
      Instant killedAt,
      Duration window,
      DeliveryAudit.Mark mark)
      throws Exception {
    Set<String> replayable = audit.ledgerChangesSince(killedAt.minus(window));
    List<String> violations = new ArrayList<>();
    inKafka.forEach(
        (change, copies) -> {
          if (copies > 2) {
            violations.add(copies + " copies of " + change + " after one crash");
          }
          // A change written before the mark and found after it is a replay too.
          boolean repeated = copies > 1 || !committed.containsKey(change);
          if (repeated && !replayable.contains(change)) {
            violations.add(change + " repeated, written over " + window + " before the kill");
          }
        });
    audit
        .differingCopies(FaultPipeline.ALO_TOPIC, mark)
        .forEach(
            (change, fields) ->
                violations.add(change + " repeated with a different event: " + fields));
    if (warehouse.found() != kafka.found() || warehouse.duplicated() != kafka.duplicated()) {
      violations.add(
          "the warehouse holds "
              + warehouse.found()
              + " rows ("
              + warehouse.duplicated()
              + " repeated) for Kafka's "
              + kafka.found()
              + " ("
              + kafka.duplicated()
              + " repeated)");
    }
    return violations;
  }

  private DeliveryAudit.Comparison warehouseAtLeastOnce(
      Map<String, Integer> committed, DeliveryAudit.Mark mark) throws Exception {
    return DeliveryAudit.compare(
        committed, audit.inWarehouse(FaultPipeline.ALO_TABLE, FaultPipeline.ALO_TOPIC, mark));
  }

  // ---- faults

  private void killAndRestart(int worker) throws Exception {
    pipeline.kill(worker);
    pipeline.restartInBackground(worker);
  }

  private int sourceWorker() throws Exception {
    return pipeline.workerOf(FaultPipeline.SOURCE, 0);
  }

  /** A worker running a ledger sink task and not the source's task, if one does. */
  private int sinkOnlyWorker() throws Exception {
    int source = sourceWorker();
    int candidate = pipeline.workerOf(FaultPipeline.LEDGER_SINK, 0);
    for (int task = 0; task < FaultPipeline.LEDGER_SINK_TASKS && candidate == source; task++) {
      candidate = pipeline.workerOf(FaultPipeline.LEDGER_SINK, task);
    }
    return candidate;
  }

  /**
   * Registrations held by the emulator for a second each while the sink's tasks are reconfigured
   * twice (3 → 2 → 3): every worker rebalances with files uploaded and not yet confirmed.
   */
  private void rebalanceWhileLoading(CompletableFuture<Void> writing) throws Exception {
    pipeline.emulator().faults().delayRequests(Endpoint.INSERT_FILES, Duration.ofSeconds(1), 8);
    pipeline.reconfigureLedgerSink(2);
    pipeline.awaitRunning(FaultPipeline.LEDGER_SINK);
    pipeline.reconfigureLedgerSink(FaultPipeline.LEDGER_SINK_TASKS);
    pipeline.awaitRunning(FaultPipeline.LEDGER_SINK);
    pipeline.emulator().faults().clear();
  }

  private void restartAWorker(CompletableFuture<Void> writing) throws Exception {
    int worker = pipeline.workerOf(FaultPipeline.LEDGER_SINK, 1);
    pipeline.stop(worker);
    pipeline.restartInBackground(worker);
  }

  /** The server goes down while the generator writes; it is started once the writer saw it. */
  private void restartPostgres(Shutdown mode, CompletableFuture<Void> writing) {
    int failed = workload.failedTicks();
    pipeline.pg.stop(mode);
    Awaitility.await("the generator meets the stopped server")
        .atMost(Duration.ofMinutes(1))
        .until(() -> workload.failedTicks() > failed || writing.isDone());
    pipeline.pg.start();
  }

  /** Nothing passes the proxy while the generator writes the rest of the scenario's changes. */
  private void stallTheReplicationConnection(CompletableFuture<Void> writing) {
    pipeline.proxy.stall();
    try {
      Awaitility.await("the rest written while stalled")
          .atMost(Duration.ofMinutes(SOAK ? 30 : 1))
          .until(writing::isDone);
    } finally {
      pipeline.proxy.resume();
    }
  }

  private void emulatorErrors(CompletableFuture<Void> writing) {
    Faults faults = pipeline.emulator().faults();
    faults
        .failRequests(Endpoint.INSERT_FILES, 503, 3)
        .failRequests(Endpoint.INSERT_REPORT, 500, 3)
        .failRequests(Endpoint.STAGE_FILES, 503, 3)
        .failRequests(Endpoint.QUERY, 503, 3);
    awaitConsumed(faults, () -> faults.armedRequests() == 0);
  }

  /**
   * Snowpipe calls held past the sink's 5 s request timeout, then dropped unanswered; the fault
   * ends once all four were dropped (the emulator's journal records them with no status).
   */
  private void emulatorTimeouts(CompletableFuture<Void> writing) {
    Faults faults = pipeline.emulator().faults();
    long before = unanswered();
    faults
        .timeoutRequests(Endpoint.INSERT_FILES, Duration.ofSeconds(7), 2)
        .timeoutRequests(Endpoint.INSERT_REPORT, Duration.ofSeconds(7), 2);
    awaitConsumed(faults, () -> unanswered() >= before + 4);
  }

  private long unanswered() {
    return pipeline.emulator().requests().stream()
        .filter(r -> r.status() == RequestJournal.NO_RESPONSE)
        .count();
  }

  private void emulatorSlow(CompletableFuture<Void> writing) {
    Faults faults = pipeline.emulator().faults();
    faults.delayRequests(Endpoint.ANY, Duration.ofMillis(800), 30);
    int armed = faults.armedRequests();
    // An idle sink sends no request that could meet the rest: done once the writing is done, the
    // emulator has nothing to load and some requests were slowed.
    awaitConsumed(
        faults,
        () ->
            faults.armedRequests() == 0
                || (writing.isDone()
                    && pipeline.emulator().pendingLoads() == 0
                    && faults.armedRequests() < armed));
  }

  /** Waits until the sink met the armed faults ({@code met}), then disarms what is left. */
  private static void awaitConsumed(Faults faults, Callable<Boolean> met) {
    try {
      Awaitility.await("the armed faults met")
          .atMost(Duration.ofMinutes(SOAK ? 30 : 2))
          .pollInterval(Duration.ofMillis(100))
          .until(met);
    } finally {
      faults.clear();
    }
  }

  /** Every session token expires now and once more when the writing is done. */
  private void expireSessions(CompletableFuture<Void> writing) {
    assertThat(pipeline.emulator().expireSessions()).isPositive();
    Awaitility.await("writing done").atMost(Duration.ofMinutes(2)).until(writing::isDone);
    pipeline.emulator().expireSessions();
  }

  /**
   * Loads of ledger files fail (an internal error: transient) until one failed and writing ends.
   */
  private void failLoads(CompletableFuture<Void> writing) {
    Faults faults = pipeline.emulator().faults();
    faults.failLoads("LEDGER", "Internal error: injected by the fault suite");
    try {
      Awaitility.await("a failed load, and the writing done")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> failedLedgerLoads() > 0 && writing.isDone());
    } finally {
      faults.clear();
    }
  }

  private long failedLedgerLoads() throws Exception {
    List<String> pipes = new ArrayList<>();
    try (Connection c = pipeline.warehouse();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW PIPES IN SCHEMA KAFKA_DB.PUBLIC")) {
      while (rs.next()) {
        pipes.add("KAFKA_DB.PUBLIC." + rs.getString("name"));
      }
    }
    return pipes.stream()
        .flatMap(p -> pipeline.emulator().loadHistory(p).stream())
        .filter(r -> r.path().contains("LEDGER") && "LOAD_FAILED".equals(r.status()))
        .count();
  }

  /**
   * 2 KB rows through workers with a 512 MB heap and the blob sink's default buffers: everything
   * arrives, no worker runs out of memory.
   */
  private void memoryPressure() throws Exception {
    String name = "memory: " + BLOBS + " x 2 KB, 512 MB heaps, default buffers";
    pipeline.awaitSettled();
    LOG.info("Scenario: {}", name);
    DeliveryAudit.Mark mark = audit.mark(1);
    long first = System.nanoTime();
    workload.writeBlobs(BLOBS, BLOBS_PER_TICK, BLOB_BYTES).get(SOAK ? 120 : 5, TimeUnit.MINUTES);
    long written = System.nanoTime();
    Duration recovery = awaitLoaded("BLOB", BLOBS, written);
    Map<String, Integer> expected = DeliveryAudit.writtenBlobs(mark, BLOBS + 1L);
    DeliveryAudit.Comparison kafka =
        DeliveryAudit.compare(expected, audit.inKafka(FaultPipeline.BLOB_TOPIC, mark));
    DeliveryAudit.Comparison warehouse =
        DeliveryAudit.compare(expected, audit.inWarehouse("BLOB", FaultPipeline.BLOB_TOPIC, mark));
    HeapFigures heap = HeapFigures.read(FaultPipeline.DIR);
    TABLE.add(name, kafka, warehouse, heap.summary(), Duration.ofNanos(written - first), recovery);
    assertThat(heap.outOfMemoryErrors()).as("OutOfMemoryError in a worker's log").isZero();
    assertThat(pipeline.workers()).allMatch(w -> w.isAlive(), "every worker alive");
  }
}
