package io.pgsnow.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

class SharedSnapshotTest {
  /** Two tables: 3 chunks and 2 chunks, so chunks 0..4 in plan order. */
  private static SnapshotProgress plan() {
    SnapshotProgress plan = new SnapshotProgress();
    plan.addPlan(new SnapshotProgress.TablePlan("public", "a", 256, 3, new BitSet()));
    plan.addPlan(new SnapshotProgress.TablePlan("public", "b", 256, 2, new BitSet()));
    return plan;
  }

  private static SharedSnapshot.Assignment assignment(int task) {
    return new SharedSnapshot.Assignment("00000003-1", 42L, plan().encode(), task, 2);
  }

  /** The offsets a task's snapshot record would carry. */
  private static Map<String, Object> offset(SharedSnapshot.Assignment a, SnapshotProgress p) {
    Map<String, Object> offset = new HashMap<>(a.offsetKeys());
    offset.put(SnapshotProgress.OFFSET_KEY, p.encode());
    return offset;
  }

  private static OffsetStorageReader reader(Map<Map<String, ?>, Map<String, Object>> stored) {
    return new OffsetStorageReader() {
      @Override
      public <T> Map<String, Object> offset(Map<String, T> partition) {
        return stored.get(partition);
      }

      @Override
      public <T> Map<Map<String, T>, Map<String, Object>> offsets(
          Collection<Map<String, T>> partitions) {
        Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
        for (Map<String, T> p : partitions) {
          found.put(p, stored.get(p));
        }
        return found;
      }
    };
  }

  @Test
  void chunksAreOwnedInTurnAcrossTablesAndTheOthersCountAsDone() {
    SnapshotProgress first = assignment(0).progress(null);
    SnapshotProgress second = assignment(1).progress(null);
    // Chunks 0, 2, 4 (a0, a2, b1) are task 0's; 1, 3 (a1, b0) task 1's.
    assertThat(first.plans().get(0).isDone(0)).isFalse();
    assertThat(first.plans().get(0).isDone(1)).isTrue();
    assertThat(first.plans().get(1).isDone(1)).isFalse();
    assertThat(second.plans().get(0).isDone(1)).isFalse();
    assertThat(second.plans().get(1).isDone(0)).isFalse();
    assertThat(second.plans().get(1).isDone(1)).isTrue();
    assertThat(first.complete()).isFalse();
  }

  @Test
  void theWholeSnapshotIsDoneOnlyWhenEachChunksOwnerCommittedIt() {
    SharedSnapshot.Assignment first = assignment(0);
    SharedSnapshot.Assignment second = assignment(1);
    SnapshotProgress own = first.progress(null);
    for (SnapshotProgress.TablePlan p : own.plans()) {
      for (int c = 0; c < p.chunks(); c++) {
        own.chunkDone(p, c);
      }
    }
    Map<Map<String, ?>, Map<String, Object>> stored = new HashMap<>();
    Map<String, Object> partition = SharedSnapshot.partition("pg", 1);
    // Task 1 has committed nothing yet: its chunks are not done though task 0's are.
    SnapshotProgress whole = SharedSnapshot.merged(first, own, reader(stored), "pg");
    assertThat(whole.complete()).isFalse();
    assertThat(whole.pendingTables()).isEqualTo(2);

    SnapshotProgress theirs = second.progress(null);
    theirs.chunkDone(theirs.plans().get(0), 1);
    stored.put(partition, offset(second, theirs));
    whole = SharedSnapshot.merged(first, own, reader(stored), "pg");
    assertThat(whole.plans().get(0).complete()).isTrue();
    assertThat(whole.plans().get(1).isDone(0)).isFalse();

    // Offsets of another export (an earlier slot) count for nothing.
    SharedSnapshot.Assignment older =
        new SharedSnapshot.Assignment("00000002-9", 7L, plan().encode(), 1, 2);
    SnapshotProgress olderDone = older.progress(null);
    olderDone.chunkDone(olderDone.plans().get(1), 0);
    stored.put(partition, offset(older, olderDone));
    assertThat(SharedSnapshot.merged(first, own, reader(stored), "pg").plans().get(0).isDone(1))
        .isFalse();

    theirs.chunkDone(theirs.plans().get(1), 0);
    stored.put(partition, offset(second, theirs));
    assertThat(SharedSnapshot.merged(first, own, reader(stored), "pg").complete()).isTrue();
    // Task 0's offsets alone lead to the same view after a restart.
    assertThat(SharedSnapshot.merged(offset(first, own), reader(stored), "pg").get().complete())
        .isTrue();
  }

  @Test
  void theAssignmentTravelsInTheTaskConfig() {
    SharedSnapshot.Assignment a = assignment(1);
    Map<String, String> config = a.into(Map.of("topic.prefix", "pg"));
    assertThat(SharedSnapshot.Assignment.of(config)).contains(a);
    assertThat(config).containsEntry("topic.prefix", "pg");
    assertThat(SharedSnapshot.Assignment.of(Map.of("topic.prefix", "pg"))).isEmpty();
    assertThat(config.keySet().stream().filter(SharedSnapshot::isTaskConfigKey)).hasSize(5);
  }
}
