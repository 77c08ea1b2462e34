package io.pgsnow.sink.ingest;

import io.pgsnow.sink.naming.Identifier;
import io.pgsnow.sink.naming.StageFileName;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes files from the stage once Snowpipe has loaded them, so a stage holds only files whose
 * outcome is open and does not grow with every flush. Safe for exactly-once: a loaded file's rows
 * are in the table, and a restarting task learns of it from the pipe's load history, not from the
 * stage. Removal is best effort: a file that could not be removed is tried again on the next run
 * and never fails the task. Queuing and removal may run on different threads.
 */
public final class StagePurge {

  private static final Logger LOG = LoggerFactory.getLogger(StagePurge.class);

  /** Names per REMOVE statement (they are joined into one PATTERN). */
  static final int BATCH = 50;

  private record Place(Identifier stage, String directory) {}

  private final Map<Place, List<String>> due = new LinkedHashMap<>();

  /** Queues a loaded file for removal. */
  public synchronized void loaded(Identifier stage, StageFileName file) {
    due.computeIfAbsent(new Place(stage, file.directory()), p -> new ArrayList<>())
        .add(file.fileName());
  }

  public synchronized int pending() {
    return due.values().stream().mapToInt(List::size).sum();
  }

  /**
   * Removes the queued files; what fails stays queued. The statements run outside the lock, so
   * files loaded meanwhile are queued without waiting for them.
   */
  public void run(Session session) {
    Map<Place, List<String>> work;
    synchronized (this) {
      work = new LinkedHashMap<>(due);
      due.clear();
    }
    for (var entry : work.entrySet()) {
      List<String> names = new ArrayList<>(entry.getValue());
      try {
        while (!names.isEmpty()) {
          List<String> batch = names.subList(0, Math.min(BATCH, names.size()));
          session.execute(
              removeStatement(entry.getKey().stage(), entry.getKey().directory(), batch));
          LOG.debug("Removed {} loaded files from {}", batch.size(), entry.getKey());
          batch.clear();
        }
      } catch (SQLException | RuntimeException e) {
        synchronized (this) {
          due.computeIfAbsent(entry.getKey(), p -> new ArrayList<>()).addAll(names);
        }
        LOG.warn(
            "Could not remove {} loaded files from stage {} (tried again later): {}",
            names.size(),
            entry.getKey().stage().sql(),
            e.getMessage());
      }
    }
  }

  /** One REMOVE of the named files of a directory, matched by one PATTERN of their names. */
  static String removeStatement(Identifier stage, String directory, List<String> fileNames) {
    StringBuilder pattern = new StringBuilder(".*/(");
    for (int i = 0; i < fileNames.size(); i++) {
      pattern.append(i == 0 ? "" : "|").append(fileNames.get(i).replace(".", "\\\\."));
    }
    pattern.append(')');
    return "REMOVE @" + stage.sql() + "/" + directory + "/ PATTERN = '" + pattern + "'";
  }
}
