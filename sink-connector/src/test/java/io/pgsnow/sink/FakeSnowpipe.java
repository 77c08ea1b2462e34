package io.pgsnow.sink;

import io.pgsnow.sink.ingest.Snowpipe;
import io.pgsnow.sink.recovery.LoadStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Snowpipe} that records the files it is asked to load and answers with the outcomes a
 * test sets: {@link #report} for insertReport, {@link #history} for loadHistoryScan.
 */
class FakeSnowpipe implements Snowpipe {

  /** One insertFiles request. */
  record Insert(String pipe, List<String> paths) {}

  final List<Insert> inserts = Collections.synchronizedList(new ArrayList<>());
  final Map<String, LoadStatus> report = new ConcurrentHashMap<>();
  final Map<String, LoadStatus> history = new ConcurrentHashMap<>();
  final List<Instant> historySince = Collections.synchronizedList(new ArrayList<>());

  void loaded(String path, long rows) {
    report.put(path, new LoadStatus(path, LoadStatus.Status.LOADED, rows, rows, null));
  }

  void failed(String path, String error) {
    report.put(path, new LoadStatus(path, LoadStatus.Status.LOAD_FAILED, 1, 0, error));
  }

  List<String> insertedPaths() {
    synchronized (inserts) {
      return inserts.stream().flatMap(i -> i.paths().stream()).toList();
    }
  }

  @Override
  public void insertFiles(String pipe, List<String> paths) throws Exception {
    inserts.add(new Insert(pipe, List.copyOf(paths)));
  }

  @Override
  public Map<String, LoadStatus> recentOutcomes(String pipe) {
    return Map.copyOf(report);
  }

  @Override
  public Map<String, LoadStatus> history(String pipe, Instant since) {
    historySince.add(since);
    return Map.copyOf(history);
  }

  @Override
  public void close() {}
}
