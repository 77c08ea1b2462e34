package io.pgsnow.source.snapshot;

import java.util.BitSet;

/**
 * Splits a table into block ranges ({@code ctid} ranges) that readers copy in parallel. A range
 * scan of a block range reads exactly its blocks (PostgreSQL 14+ TID range scans), whatever the
 * key's type or distribution, and needs no key at all; the last range is open-ended so rows in
 * blocks added since the plan are read too.
 */
public final class ChunkPlanner {
  /** Small tables are one chunk: 256 blocks are 2 MiB with the default block size. */
  static final long MIN_CHUNK_BLOCKS = 256;

  /** A chunk's rows stream to Kafka as they are read, but a restart re-reads a whole chunk. */
  static final long MAX_CHUNK_BLOCKS = 16_384;

  private ChunkPlanner() {}

  /** About four chunks per thread for tables large enough, so threads finish together. */
  public static SnapshotProgress.TablePlan plan(
      SnapshotTable table, int threads, boolean overridden) {
    long blocks = table.blocks();
    if (overridden || blocks <= MIN_CHUNK_BLOCKS) {
      return plan(table, Math.max(blocks, 1), 1);
    }
    long step = Math.max(MIN_CHUNK_BLOCKS, ceilDiv(blocks, threads * 4L));
    step = Math.min(step, MAX_CHUNK_BLOCKS);
    return plan(table, step, (int) ceilDiv(blocks, step));
  }

  private static SnapshotProgress.TablePlan plan(SnapshotTable table, long step, int chunks) {
    return new SnapshotProgress.TablePlan(
        table.name().schema(), table.name().table(), step, chunks, new BitSet());
  }

  /** The SELECT of one chunk: its block range, or the override statement for the whole table. */
  public static String select(
      SnapshotTable table, SnapshotProgress.TablePlan plan, int chunk, String override) {
    String columns = table.columnList();
    if (override != null) {
      return "SELECT " + columns + " FROM (" + override + ") AS snapshot_override";
    }
    String from = "SELECT " + columns + " FROM " + table.name().quoted();
    if (plan.chunks() == 1) {
      return from;
    }
    long lower = chunk * plan.step();
    String where = chunk == 0 ? "" : "ctid >= '(" + lower + ",0)'::tid";
    if (chunk < plan.chunks() - 1) {
      where += (where.isEmpty() ? "" : " AND ") + "ctid < '(" + (lower + plan.step()) + ",0)'::tid";
    }
    return from + " WHERE " + where;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
