package io.pgsnow.emulator.pipe;

import io.pgsnow.emulator.engine.Warehouse;
import io.pgsnow.emulator.fault.Faults;
import io.pgsnow.emulator.load.CopyErrors;
import io.pgsnow.emulator.load.CopyLoader;
import io.pgsnow.emulator.load.FileLoadResult;
import io.pgsnow.emulator.load.LoadRecord;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SessionValues;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.StageRef;
import io.pgsnow.emulator.sql.Statement;
import io.pgsnow.emulator.sql.Statement.CopyInto;
import io.pgsnow.emulator.sql.StatementParser;
import io.pgsnow.emulator.stage.StageStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snowpipe: files named by insertFiles are queued and loaded asynchronously, one at a time, with
 * the pipe's COPY. A bad file is recorded as LOAD_FAILED (ON_ERROR defaults to SKIP_FILE). Like the
 * real service, a file name the pipe has already processed is skipped, whatever the outcome was:
 * Snowflake's answer to reloading a file Snowpipe processed is to stage it under a new name (or run
 * a COPY INTO), so a file that failed is not loaded again by naming it in insertFiles again.
 */
public final class Snowpipe implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Snowpipe.class);
  private static final SessionValues NO_SESSION = new SessionValues("", "", "", "");

  /** A file named in an insertFiles request, relative to the pipe's stage location. */
  public record QueuedFile(String path, long size) {}

  private final Warehouse warehouse;
  private final StageStore stages;
  private final Faults faults;
  private final ExecutorService loader;
  private final Connection connection;
  private final AtomicInteger pending = new AtomicInteger();
  private final java.util.Map<String, AtomicInteger> pendingByPipe =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger insertRequests = new AtomicInteger();
  private final AtomicInteger insertedFiles = new AtomicInteger();

  public Snowpipe(Warehouse warehouse, StageStore stages, Faults faults) throws SQLException {
    this.warehouse = warehouse;
    this.stages = stages;
    this.faults = faults;
    this.connection = warehouse.newConnection();
    this.loader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "emulator-snowpipe");
              t.setDaemon(true);
              return t;
            });
  }

  /** The pipe's key in load history: its fully qualified display name. */
  public Optional<ObjectName> pipe(String restName) {
    ObjectName name = ObjectName.parse(restName);
    if (name.database() == null) {
      return Optional.empty();
    }
    return warehouse.metadata().object("PIPE", name).map(p -> name);
  }

  public void insertFiles(ObjectName pipe, List<QueuedFile> files) {
    Instant received = Instant.now();
    insertRequests.incrementAndGet();
    insertedFiles.addAndGet(files.size());
    AtomicInteger pipePending =
        pendingByPipe.computeIfAbsent(pipe.display(), k -> new AtomicInteger());
    for (QueuedFile file : files) {
      pending.incrementAndGet();
      pipePending.incrementAndGet();
      loader.execute(
          () -> {
            try {
              loadOnce(pipe, file, received);
            } catch (RuntimeException e) {
              LOG.warn("Snowpipe load of {} failed unexpectedly", file.path(), e);
            } finally {
              pipePending.decrementAndGet();
              pending.decrementAndGet();
            }
          });
    }
  }

  /** insertFiles requests accepted so far. */
  public int insertRequests() {
    return insertRequests.get();
  }

  /** Files named by the insertFiles requests accepted so far. */
  public int insertedFiles() {
    return insertedFiles.get();
  }

  /** Files still queued or loading. */
  public int pending() {
    return pending.get();
  }

  /** Files still queued or loading for one pipe ({@code DB.SCHEMA.PIPE}). */
  public int pending(String pipe) {
    AtomicInteger count = pendingByPipe.get(pipe);
    return count == null ? 0 : count.get();
  }

  public List<LoadRecord> history(ObjectName pipe) {
    return warehouse.metadata().loads(pipe.display());
  }

  private void loadOnce(ObjectName pipe, QueuedFile file, Instant received) {
    String key = pipe.display();
    boolean processed =
        warehouse.metadata().loads(key).stream().anyMatch(r -> r.path().equals(file.path()));
    if (processed) {
      LOG.debug("Pipe {} skips {}: already processed", key, file.path());
      return;
    }
    var definition = warehouse.metadata().object("PIPE", pipe);
    if (definition.isEmpty()) {
      return;
    }
    CopyInto copy = copyOf(pipe, definition.get().definition());
    String stagePath = directoryPrefix(copy.source().path()) + file.path();
    FileLoadResult result = load(copy, stagePath, file.path());
    // Snowflake's load history gives the staged file's size whether or not insertFiles named one
    // (the official connector and pgsnow's sink name none).
    long size =
        file.size() > 0
            ? file.size()
            : stages.read(StageStore.keyOf(copy.source()), stagePath).map(b -> b.length).orElse(0);
    warehouse
        .metadata()
        .recordLoad(
            key,
            file.path(),
            copy.source().name().display(),
            size,
            received,
            result,
            copy.table(),
            Optional.of(pipe));
    LOG.info(
        "Pipe {} loaded {}: {} ({} rows)", key, file.path(), result.status(), result.rowsLoaded());
  }

  private FileLoadResult load(CopyInto copy, String stagePath, String path) {
    Optional<String> injected = faults.loadFailure(path);
    if (injected.isPresent()) {
      return FileLoadResult.failed(injected.get(), 1);
    }
    Optional<byte[]> bytes = stages.read(StageStore.keyOf(copy.source()), stagePath);
    if (bytes.isEmpty()) {
      return FileLoadResult.failed("Remote file '" + stagePath + "' was not found.", 0);
    }
    String onError = copy.onError().equals("ABORT_STATEMENT") ? "SKIP_FILE" : copy.onError();
    try {
      return CopyLoader.load(connection, copy, bytes.get(), onError);
    } catch (SnowflakeSqlException e) {
      return FileLoadResult.failed(e.getMessage(), 0);
    } catch (SQLException e) {
      return FileLoadResult.failed(CopyErrors.snowflakeMessage(e.getMessage()), 0);
    }
  }

  private static CopyInto copyOf(ObjectName pipe, String definition) {
    Statement statement = StatementParser.parse(definition, NO_SESSION);
    if (!(statement instanceof CopyInto copy)) {
      throw new IllegalStateException("Pipe definition is not a COPY: " + definition);
    }
    StageRef source = copy.source().qualify(pipe.database(), pipe.schema());
    return new CopyInto(
        copy.table().qualify(pipe.database(), pipe.schema()),
        copy.columns(),
        source,
        copy.projections(),
        copy.fileFormatType(),
        copy.stripOuterArray(),
        copy.matchByColumnName(),
        copy.onError(),
        copy.files(),
        copy.pattern(),
        copy.force());
  }

  private static String directoryPrefix(String path) {
    return path.isEmpty() || path.endsWith("/") ? path : path + "/";
  }

  @Override
  public void close() throws SQLException {
    loader.shutdown();
    try {
      loader.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }
}
