package io.pgsnow.source.snapshot;

import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.decoding.TupleData;
import io.pgsnow.source.replication.ReplicationSetup;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A table to snapshot as the catalog describes it: the Relation message pgoutput would send for it
 * (same columns, types and replica-identity flags, so its rows get the very schemas of streamed
 * rows), the key columns a chunk is ordered and deduplicated by, and its size in blocks.
 */
public record SnapshotTable(
    TableName name,
    PgOutputMessage.Relation relation,
    int[] keyIndexes,
    List<String> columnTypes,
    long blocks,
    long estimatedRows,
    boolean selectable) {

  private static final String TABLE =
      "SELECT c.oid, c.relreplident, pg_catalog.pg_relation_size(c.oid)"
          + " / current_setting('block_size')::bigint, GREATEST(c.reltuples, 0)::bigint,"
          + " has_table_privilege(c.oid, 'SELECT')"
          + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE n.nspname = ? AND c.relname = ?";
  private static final String COLUMNS =
      "SELECT a.attname, a.atttypid, a.atttypmod,"
          + " COALESCE(a.attnum = ANY(pk.indkey::int2[]), false),"
          + " COALESCE(a.attnum = ANY(ri.indkey::int2[]), false),"
          + " pg_catalog.format_type(a.atttypid, a.atttypmod),"
          + " COALESCE(array_position(pk.indkey::int2[], a.attnum), 0)"
          + " FROM pg_catalog.pg_attribute a"
          + " LEFT JOIN pg_catalog.pg_index pk ON pk.indrelid = a.attrelid AND pk.indisprimary"
          + " LEFT JOIN pg_catalog.pg_index ri ON ri.indrelid = a.attrelid AND ri.indisreplident"
          + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped"
          + " AND a.attgenerated = '' ORDER BY a.attnum";

  /** Reads a table from the catalog; empty when it does not exist (any more). */
  public static Optional<SnapshotTable> load(Connection c, TableName name) throws SQLException {
    long oid;
    char identity;
    long blocks;
    long rows;
    boolean selectable;
    try (PreparedStatement ps = c.prepareStatement(TABLE)) {
      ps.setString(1, name.schema());
      ps.setString(2, name.table());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        oid = rs.getLong(1);
        identity = rs.getString(2).charAt(0);
        blocks = rs.getLong(3);
        rows = rs.getLong(4);
        selectable = rs.getBoolean(5);
      }
    }
    List<PgOutputMessage.Column> columns = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<int[]> primaryKey = new ArrayList<>();
    List<Integer> replicaIndex = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean inPk = rs.getBoolean(4);
          boolean inIndex = rs.getBoolean(5);
          boolean flagged =
              switch (identity) {
                case 'd' -> inPk;
                case 'i' -> inIndex;
                case 'f' -> true;
                default -> false;
              };
          if (inPk) {
            primaryKey.add(new int[] {rs.getInt(7), columns.size()});
          }
          if (inIndex) {
            replicaIndex.add(columns.size());
          }
          columns.add(
              new PgOutputMessage.Column(flagged, rs.getString(1), rs.getInt(2), rs.getInt(3)));
          types.add(rs.getString(6));
        }
      }
    }
    primaryKey.sort((a, b) -> Integer.compare(a[0], b[0]));
    int[] keys =
        !primaryKey.isEmpty()
            ? primaryKey.stream().mapToInt(p -> p[1]).toArray()
            : replicaIndex.stream().mapToInt(Integer::intValue).toArray();
    PgOutputMessage.Relation relation =
        new PgOutputMessage.Relation(
            0L, (int) oid, name.schema(), name.table(), identity, List.copyOf(columns));
    return Optional.of(
        new SnapshotTable(name, relation, keys, List.copyOf(types), blocks, rows, selectable));
  }

  public boolean hasKey() {
    return keyIndexes.length > 0;
  }

  /** The quoted column list of a SELECT, in the Relation's order. */
  public String columnList() {
    StringJoiner list = new StringJoiner(", ");
    for (PgOutputMessage.Column column : relation.columns()) {
      list.add(quote(column.name()));
    }
    return list.toString();
  }

  /** The quoted key columns, in key order. */
  public String keyList() {
    StringJoiner list = new StringJoiner(", ");
    for (int index : keyIndexes) {
      list.add(quote(relation.columns().get(index).name()));
    }
    return list.toString();
  }

  /** The key of a row as text (the same for a snapshot row and a streamed change). */
  public String keyText(TupleData tuple) {
    return keyText(tuple, keyIndexes);
  }

  static String keyText(TupleData tuple, int[] keyIndexes) {
    StringBuilder key = new StringBuilder();
    for (int index : keyIndexes) {
      if (index < tuple.size()) {
        byte[] bytes = tuple.bytes(index);
        key.append(bytes == null ? "\u0000" : new String(bytes, StandardCharsets.UTF_8));
      }
      key.append('\u001f');
    }
    return key.toString();
  }

  public static String quote(String identifier) {
    return ReplicationSetup.quote(identifier);
  }

  /** A SQL string literal ({@code E'…'}) of a value, for statements that take no parameters. */
  static String literal(String value) {
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
