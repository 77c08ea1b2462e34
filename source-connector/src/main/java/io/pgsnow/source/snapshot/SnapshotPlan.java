package io.pgsnow.source.snapshot;

import java.util.List;

/**
 * How the snapshot of a start is read, and what of it is left.
 *
 * @param progress the chunks planned, and which of them are in Kafka already
 * @param tables the tables whose chunks are copied before streaming (empty for a snapshot read
 *     between watermarks)
 * @param exported the slot's or the connector's exported snapshot the copy reads under, or null
 */
record SnapshotPlan(
    Kind kind, SnapshotProgress progress, List<SnapshotTable> tables, ExportedSnapshot exported) {

  /** How the snapshot of this start is read. */
  enum Kind {
    NONE,
    /** Copied under an exported snapshot before streaming starts at its consistent point. */
    EXPORTED,
    /** Chunks of a snapshot spread over tasks, read by a task other than task 0. */
    CHUNKS_ONLY,
    /** Read in chunks between watermarks while streaming. */
    WATERMARK,
    /** Copied under a snapshot of its own, with nothing streamed ({@code initial_only}). */
    PLAIN
  }

  /** Whether tables are copied before streaming, not read between watermarks. */
  boolean copies() {
    return kind == Kind.EXPORTED || kind == Kind.PLAIN || kind == Kind.CHUNKS_ONLY;
  }
}
