package io.pgsnow.source.events;

import java.util.List;

/**
 * The primary key columns of a table. Relation messages flag the replica-identity columns, which
 * are the primary key except under REPLICA IDENTITY FULL, where every column is flagged; only then
 * is the key looked up here.
 */
@FunctionalInterface
public interface PrimaryKeys {
  /** The primary key column names of the relation; empty when it has none. */
  List<String> of(int relationId);

  PrimaryKeys NONE = relationId -> List.of();
}
