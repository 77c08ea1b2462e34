package io.pgsnow.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {
  private static SnapshotTable table(long blocks) {
    PgOutputMessage.Relation relation =
        new PgOutputMessage.Relation(
            0,
            1,
            "public",
            "t",
            'd',
            List.of(
                new PgOutputMessage.Column(true, "id", 23, -1),
                new PgOutputMessage.Column(false, "Odd\"name", 25, -1)));
    return new SnapshotTable(
        new TableName("public", "t"),
        relation,
        new int[] {0},
        List.of("integer", "text"),
        blocks,
        0,
        true);
  }

  @Test
  void aSmallTableIsOneChunkReadWhole() {
    SnapshotProgress.TablePlan plan = ChunkPlanner.plan(table(10), 4, false);
    assertThat(plan.chunks()).isEqualTo(1);
    assertThat(ChunkPlanner.select(table(10), plan, 0, null))
        .isEqualTo("SELECT \"id\", \"Odd\"\"name\" FROM \"public\".\"t\"");
  }

  @Test
  void aLargeTableIsSplitIntoBlockRangesWithAnOpenLastOne() {
    SnapshotTable t = table(10_000);
    SnapshotProgress.TablePlan plan = ChunkPlanner.plan(t, 4, false);
    assertThat(plan.chunks()).isEqualTo(16);
    assertThat(plan.step() * plan.chunks()).isGreaterThanOrEqualTo(10_000);
    assertThat(ChunkPlanner.select(t, plan, 0, null)).endsWith("WHERE ctid < '(625,0)'::tid");
    assertThat(ChunkPlanner.select(t, plan, 1, null))
        .endsWith("WHERE ctid >= '(625,0)'::tid AND ctid < '(1250,0)'::tid");
    assertThat(ChunkPlanner.select(t, plan, 15, null)).endsWith("WHERE ctid >= '(9375,0)'::tid");
  }

  @Test
  void anOverriddenTableIsOneChunkOfItsStatement() {
    SnapshotProgress.TablePlan plan = ChunkPlanner.plan(table(10_000), 4, true);
    assertThat(plan.chunks()).isEqualTo(1);
    assertThat(ChunkPlanner.select(table(10_000), plan, 0, "SELECT * FROM t WHERE id > 5"))
        .isEqualTo(
            "SELECT \"id\", \"Odd\"\"name\" FROM (SELECT * FROM t WHERE id > 5) AS snapshot_override");
  }
}
