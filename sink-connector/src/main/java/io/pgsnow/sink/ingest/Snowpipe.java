package io.pgsnow.sink.ingest;

import io.pgsnow.sink.recovery.LoadStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Snowpipe calls the sink needs. {@link SnowpipeClient} is the REST implementation; units of
 * the sink take this interface so they can be tested against a fake. Implementations are safe to
 * call from several threads: Snowpipe takes requests for different pipes and files in parallel.
 */
public interface Snowpipe extends AutoCloseable {

  /**
   * Asks the pipe to load the files (paths relative to its stage). Snowpipe skips a path it loaded
   * before, which makes this safe to repeat.
   */
  void insertFiles(String pipe, List<String> paths) throws Exception;

  /** Outcomes of files the pipe handled in the last ten minutes (insertReport). */
  Map<String, LoadStatus> recentOutcomes(String pipe) throws Exception;

  /** Outcomes of files loaded since {@code since} (loadHistoryScan). */
  Map<String, LoadStatus> history(String pipe, Instant since) throws Exception;

  @Override
  void close();
}
