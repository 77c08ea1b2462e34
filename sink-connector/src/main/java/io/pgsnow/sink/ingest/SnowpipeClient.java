package io.pgsnow.sink.ingest;

import io.pgsnow.sink.recovery.LoadStatus;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.snowflake.ingest.SimpleIngestManager;
import net.snowflake.ingest.connection.HistoryRangeResponse;
import net.snowflake.ingest.connection.HistoryResponse;
import net.snowflake.ingest.connection.IngestResponseException;
import net.snowflake.ingest.utils.StagedFileWrapper;

/**
 * Snowpipe's REST API through the ingest SDK: insertFiles, insertReport and loadHistoryScan, one
 * client per pipe. Callers serialize access.
 *
 * <p>The SDK's HTTP client is shared by the whole JVM, with a fixed one-minute socket timeout and
 * up to ten retries of a timed-out request, and it offers no per-request timeout. So each call runs
 * on a worker thread and the caller waits at most the configured request timeout; then the call is
 * abandoned (it may still take effect, which a repeated insertFiles tolerates) and the caller sees
 * a {@link SocketTimeoutException}, a transient fault.
 */
public final class SnowpipeClient implements AutoCloseable {

  private final ConnectionSettings settings;
  private final Map<String, SimpleIngestManager> managers = new HashMap<>();
  private final ExecutorService calls =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "pgsnow-snowpipe-call");
            t.setDaemon(true);
            return t;
          });

  public SnowpipeClient(ConnectionSettings settings) {
    this.settings = settings;
  }

  private <T> T call(String what, String pipe, Callable<T> request) throws Exception {
    Duration timeout = settings.timeouts().snowpipeRequest();
    Future<T> future = calls.submit(request);
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      SocketTimeoutException timedOut =
          new SocketTimeoutException(
              "Snowpipe "
                  + what
                  + " of "
                  + pipe
                  + " did not answer within "
                  + timeout.toMillis()
                  + " ms");
      timedOut.initCause(e);
      throw timedOut;
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while waiting for Snowpipe " + what + " of " + pipe, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private SimpleIngestManager manager(String pipe) throws Exception {
    SimpleIngestManager m = managers.get(pipe);
    if (m == null) {
      m =
          new SimpleIngestManager(
              settings.url().account(),
              settings.user(),
              pipe,
              settings.privateKey(),
              settings.url().scheme(),
              settings.url().host(),
              settings.url().port());
      managers.put(pipe, m);
    }
    return m;
  }

  /**
   * Asks the pipe to load the files (paths relative to its stage). Snowpipe skips a path it loaded
   * before, which makes this safe to repeat.
   */
  public void insertFiles(String pipe, List<String> paths) throws Exception {
    List<StagedFileWrapper> files =
        paths.stream().map(p -> new StagedFileWrapper(p, null)).toList();
    SimpleIngestManager manager = manager(pipe);
    call("insertFiles", pipe, () -> manager.ingestFiles(files, UUID.randomUUID()));
  }

  /** Outcomes of files the pipe handled in the last ten minutes (insertReport). */
  public Map<String, LoadStatus> recentOutcomes(String pipe) throws Exception {
    SimpleIngestManager manager = manager(pipe);
    HistoryResponse response =
        call("insertReport", pipe, () -> manager.getHistory(UUID.randomUUID(), null, null));
    return outcomes(response.files);
  }

  /** Outcomes of files loaded since {@code since} (loadHistoryScan). */
  public Map<String, LoadStatus> history(String pipe, Instant since) throws Exception {
    try {
      SimpleIngestManager manager = manager(pipe);
      String until = Instant.now().plusSeconds(60).toString();
      HistoryRangeResponse response =
          call(
              "loadHistoryScan",
              pipe,
              () -> manager.getHistoryRange(UUID.randomUUID(), since.toString(), until));
      return outcomes(response.files);
    } catch (IngestResponseException e) {
      if (e.getErrorCode() == 404) {
        return Map.of();
      }
      throw e;
    }
  }

  private static Map<String, LoadStatus> outcomes(List<HistoryResponse.FileEntry> files) {
    Map<String, LoadStatus> out = new HashMap<>();
    if (files == null) {
      return out;
    }
    for (HistoryResponse.FileEntry f : files) {
      LoadStatus.Status status =
          LoadStatus.Status.parse(f.getStatus() == null ? null : f.getStatus().name());
      out.put(
          f.getPath(),
          new LoadStatus(
              f.getPath(),
              status,
              f.getRowsParsed(),
              f.getRowsInserted() == null ? 0 : f.getRowsInserted(),
              f.getFirstError()));
    }
    return out;
  }

  @Override
  public void close() {
    calls.shutdownNow();
    managers.values().forEach(SimpleIngestManager::close);
    managers.clear();
  }
}
