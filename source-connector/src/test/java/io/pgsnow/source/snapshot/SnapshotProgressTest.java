package io.pgsnow.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotProgressTest {
  @Test
  void survivesTheOffsetRoundTripWithDoneChunksAndKeyedTables() {
    SnapshotProgress progress = new SnapshotProgress();
    SnapshotProgress.TablePlan big =
        new SnapshotProgress.TablePlan("public", "big", 400, 70, new BitSet());
    progress.addPlan(big);
    progress.addPlan(new SnapshotProgress.TablePlan("s", "small", 1, 1, new BitSet()));
    progress.chunkDone(big, 0);
    progress.chunkDone(big, 65);
    progress.addKeyed("public", "orders");
    progress.keyedChunkDone(progress.currentKeyed().orElseThrow(), List.of("42", "a'b"));

    SnapshotProgress back =
        SnapshotProgress.fromOffset(Map.of(SnapshotProgress.OFFSET_KEY, progress.encode()))
            .orElseThrow();
    SnapshotProgress.TablePlan plan = back.plans().get(0);
    assertThat(plan.table()).isEqualTo("big");
    assertThat(plan.step()).isEqualTo(400);
    assertThat(plan.chunks()).isEqualTo(70);
    assertThat(plan.isDone(0)).isTrue();
    assertThat(plan.isDone(1)).isFalse();
    assertThat(plan.isDone(65)).isTrue();
    assertThat(back.plans().get(1).isDone(0)).isFalse();
    assertThat(back.currentKeyed().orElseThrow().afterKey()).containsExactly("42", "a'b");
    assertThat(back.complete()).isFalse();
    assertThat(back.encode()).isEqualTo(progress.encode());
  }

  @Test
  void isCompleteWhenEveryChunkIsDoneAndNoKeyedTableIsLeft() {
    SnapshotProgress progress = new SnapshotProgress();
    SnapshotProgress.TablePlan plan = new SnapshotProgress.TablePlan("p", "t", 10, 2, new BitSet());
    progress.addPlan(plan);
    progress.addKeyed("p", "k");
    assertThat(progress.pendingTables()).isEqualTo(2);
    progress.chunkDone(plan, 0);
    progress.chunkDone(plan, 1);
    assertThat(progress.pendingTables()).isEqualTo(1);
    assertThat(progress.complete()).isFalse();
    assertThat(progress.pendingEncoded()).isEqualTo(progress.encode());
    progress.stopKeyed(List.of("p.k"));
    assertThat(progress.complete()).isTrue();
    assertThat(progress.pendingEncoded()).isNull();
    assertThat(SnapshotProgress.fromOffset(Map.of("lsn_commit", 5L))).isEmpty();
  }
}
