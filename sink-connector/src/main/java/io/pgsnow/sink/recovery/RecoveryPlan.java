package io.pgsnow.sink.recovery;

import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState.Tracked;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a starting task learns about one partition from the stage listing and the load history: the
 * last offset already written to a file (redelivered records up to it are skipped, so a re-flush
 * never writes them under a new name) and the files whose outcome is still open.
 *
 * <p>Attempts of one offset range (a file loaded again after a transient failure) count as one
 * file: if any attempt loaded, the range is done and no later attempt is registered; otherwise the
 * latest attempt decides, registered again when its outcome is unknown or handled as a failure.
 *
 * @param skipThrough the highest offset already in a file, or -1
 * @param pending files to re-register (STAGED) or whose failure to handle (FAILED)
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
    TreeMap<Long, List<StageFileName>> ranges = new TreeMap<>();
    staged.forEach(f -> ranges.computeIfAbsent(f.startOffset(), k -> new ArrayList<>()).add(f));
    historical.forEach(f -> ranges.computeIfAbsent(f.startOffset(), k -> new ArrayList<>()).add(f));
    long skip = -1;
    List<Tracked> pending = new ArrayList<>();
    for (List<StageFileName> attempts : ranges.values()) {
      StageFileName latest = attempts.get(0);
      boolean loaded = false;
      for (StageFileName f : attempts) {
        skip = Math.max(skip, f.endOffset());
        LoadStatus status = history.get(f.path());
        loaded |= status != null && status.isLoaded();
        if (f.attempt() > latest.attempt()) {
          latest = f;
        }
      }
      if (loaded) {
        continue;
      }
      LoadStatus status = history.get(latest.path());
      if (status == null || !status.isFinal()) {
        pending.add(new Tracked(latest, FileState.STAGED, 0));
      } else {
        pending.add(new Tracked(latest, FileState.FAILED, 0));
      }
    }
    return new RecoveryPlan(skip, List.copyOf(pending));
  }
}
