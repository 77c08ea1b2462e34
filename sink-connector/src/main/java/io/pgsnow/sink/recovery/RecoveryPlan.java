package io.pgsnow.sink.recovery;

import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState.Tracked;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a starting task learns about one partition from the stage listing and the load history: the
 * last offset already written to a file (redelivered records up to it are skipped, so a re-flush
 * never writes them under a new name) and the files whose outcome is still open.
 *
 * @param skipThrough the highest offset already in a file, or -1
 * @param pending files to re-register (STAGED) or whose failure to record (FAILED)
 */
public record RecoveryPlan(long skipThrough, List<Tracked> pending) {

  public static final RecoveryPlan EMPTY = new RecoveryPlan(-1, List.of());

  /**
   * @param staged this partition's files found in the stage
   * @param history load outcomes by path, from the pipe's load history
   */
  public static RecoveryPlan of(
      Collection<StageFileName> staged,
      Collection<StageFileName> historical,
      Map<String, LoadStatus> history) {
    TreeMap<Long, StageFileName> all = new TreeMap<>();
    staged.forEach(f -> all.put(f.startOffset(), f));
    historical.forEach(f -> all.putIfAbsent(f.startOffset(), f));
    long skip = -1;
    List<Tracked> pending = new java.util.ArrayList<>();
    for (StageFileName file : all.values()) {
      skip = Math.max(skip, file.endOffset());
      LoadStatus status = history.get(file.path());
      if (status == null || !status.isFinal()) {
        pending.add(new Tracked(file, FileState.STAGED, 0));
      } else if (!status.isLoaded()) {
        pending.add(new Tracked(file, FileState.FAILED, 0));
      }
    }
    return new RecoveryPlan(skip, List.copyOf(pending));
  }
}
