package io.pgsnow.source.decoding;

import java.util.List;

/**
 * One message of the pgoutput logical replication protocol (versions 1 and 2), decoded. LSNs are
 * unsigned 64-bit WAL positions held in a {@code long}; timestamps are microseconds since the Unix
 * epoch (converted from PostgreSQL's 2000-01-01 epoch). {@code xid} fields of change messages are
 * set only inside a streamed transaction block, and are 0 otherwise.
 */
public sealed interface PgOutputMessage {

  /** Start of a transaction; {@code finalLsn} is the LSN of its commit record. */
  record Begin(long finalLsn, long commitTimeMicros, long xid) implements PgOutputMessage {}

  /** End of a transaction. */
  record Commit(long commitLsn, long endLsn, long commitTimeMicros) implements PgOutputMessage {}

  /** The origin of a transaction replicated from elsewhere. */
  record Origin(long originLsn, String name) implements PgOutputMessage {}

  /** A table's shape; sent before the first change of that table and after every DDL on it. */
  record Relation(
      long xid,
      int relationId,
      String namespace,
      String name,
      char replicaIdentity,
      List<Column> columns)
      implements PgOutputMessage {}

  /**
   * A column of a {@link Relation}; {@code key} is set for replica-identity (primary key) columns.
   */
  record Column(boolean key, String name, int typeOid, int typeModifier) {}

  /** A non-built-in type used by a following Relation. */
  record Type(long xid, int typeOid, String namespace, String name) implements PgOutputMessage {}

  record Insert(long xid, int relationId, TupleData newTuple) implements PgOutputMessage {}

  /**
   * An update; {@code oldTuple} is null, the old key (when the key changed, {@code oldIsKeyOnly}),
   * or the whole old row (REPLICA IDENTITY FULL).
   */
  record Update(
      long xid, int relationId, TupleData oldTuple, boolean oldIsKeyOnly, TupleData newTuple)
      implements PgOutputMessage {}

  /** A delete carrying the old key, or the whole old row under REPLICA IDENTITY FULL. */
  record Delete(long xid, int relationId, TupleData oldTuple, boolean oldIsKeyOnly)
      implements PgOutputMessage {}

  record Truncate(long xid, int[] relationIds, boolean cascade, boolean restartIdentity)
      implements PgOutputMessage {}

  /** A message written with {@code pg_logical_emit_message}. */
  record LogicalMessage(long xid, boolean transactional, long lsn, String prefix, byte[] content)
      implements PgOutputMessage {}

  /** Start of a block of changes of an in-progress transaction (protocol v2). */
  record StreamStart(long xid, boolean firstSegment) implements PgOutputMessage {}

  /** End of a block of changes of an in-progress transaction. */
  record StreamStop() implements PgOutputMessage {}

  /** Commit of a streamed transaction. */
  record StreamCommit(long xid, long commitLsn, long endLsn, long commitTimeMicros)
      implements PgOutputMessage {}

  /** Abort of a streamed transaction ({@code xid == subXid}) or of one of its subtransactions. */
  record StreamAbort(long xid, long subXid) implements PgOutputMessage {}
}
