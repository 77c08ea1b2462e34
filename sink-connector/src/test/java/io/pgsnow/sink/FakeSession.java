package io.pgsnow.sink;

import io.pgsnow.sink.ingest.Session;
import io.pgsnow.sink.naming.Identifier;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Session} holding stage files in memory and recording the statements it was given. */
class FakeSession implements Session {

  /** A statement or an update with its binds. */
  record Call(String sql, List<Object> binds) {}

  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  final Map<String, byte[]> files = Collections.synchronizedMap(new LinkedHashMap<>());
  volatile boolean failUploads;

  /** Uploads asked for, failed ones included. */
  final AtomicInteger uploads = new AtomicInteger();

  /** How many of the next uploads fail. */
  final AtomicInteger failingUploads = new AtomicInteger();

  private static String key(Identifier stage, String path) {
    return stage.sql() + "/" + path;
  }

  void stage(Identifier stage, String path, byte[] bytes) {
    files.put(key(stage, path), bytes);
  }

  List<String> statements() {
    synchronized (calls) {
      return calls.stream().map(Call::sql).toList();
    }
  }

  @Override
  public void execute(String sql) {
    calls.add(new Call(sql, List.of()));
  }

  @Override
  public int update(String sql, Object... binds) {
    calls.add(new Call(sql, List.of(binds)));
    return 1;
  }

  @Override
  public List<Map<String, String>> query(String sql) {
    calls.add(new Call(sql, List.of()));
    return List.of();
  }

  @Override
  public void upload(Identifier stage, String directory, String fileName, byte[] gzip)
      throws SQLException {
    uploads.incrementAndGet();
    if (failUploads || failingUploads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new SQLTransientException("the stage is unavailable");
    }
    stage(stage, directory + "/" + fileName, gzip);
  }

  @Override
  public List<StagedFile> list(Identifier stage, String directory) {
    String prefix = key(stage, directory + "/");
    List<StagedFile> out = new ArrayList<>();
    synchronized (files) {
      files.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) {
              out.add(new StagedFile(k.substring(stage.sql().length() + 1), v.length));
            }
          });
    }
    return out;
  }

  @Override
  public void close() {}
}
