package io.pgsnow.sink.ingest;

import io.pgsnow.sink.recovery.LoadStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.snowflake.ingest.SimpleIngestManager;
import net.snowflake.ingest.connection.HistoryRangeResponse;
import net.snowflake.ingest.connection.HistoryResponse;
import net.snowflake.ingest.connection.IngestResponseException;
import net.snowflake.ingest.utils.StagedFileWrapper;

/**
 * Snowpipe's REST API through the ingest SDK: insertFiles, insertReport and loadHistoryScan, one
 * client per pipe. Callers serialize access.
 */
public final class SnowpipeClient implements AutoCloseable {

  private final ConnectionSettings settings;
  private final Map<String, SimpleIngestManager> managers = new HashMap<>();

  public SnowpipeClient(ConnectionSettings settings) {
    this.settings = settings;
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
    manager(pipe).ingestFiles(files, UUID.randomUUID());
  }

  /** Outcomes of files the pipe handled in the last ten minutes (insertReport). */
  public Map<String, LoadStatus> recentOutcomes(String pipe) throws Exception {
    HistoryResponse response = manager(pipe).getHistory(UUID.randomUUID(), null, null);
    return outcomes(response.files);
  }

  /** Outcomes of files loaded since {@code since} (loadHistoryScan). */
  public Map<String, LoadStatus> history(String pipe, Instant since) throws Exception {
    try {
      HistoryRangeResponse response =
          manager(pipe)
              .getHistoryRange(
                  UUID.randomUUID(), since.toString(), Instant.now().plusSeconds(60).toString());
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
    managers.values().forEach(SimpleIngestManager::close);
    managers.clear();
  }
}
