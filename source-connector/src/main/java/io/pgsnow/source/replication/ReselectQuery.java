package io.pgsnow.source.replication;

import io.pgsnow.source.events.ToastReselect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * Reads unchanged TOASTed values by key with one query per batch: {@code SELECT key, columns FROM
 * table WHERE (key) IN ((...), ...)}, the key values bound as untyped text so that PostgreSQL
 * parses them as the key columns' types and uses the key's index. The session's settings give
 * values the text form pgoutput sends ({@link PgConnections#SESSION_OPTIONS}). One connection is
 * kept for the reader thread that calls it, opened again once when a query fails.
 */
public final class ReselectQuery implements ToastReselect, AutoCloseable {
  private final PgConnections connections;
  private Connection connection;

  public ReselectQuery(PgConnections connections) {
    this.connections = connections;
  }

  @Override
  public Map<List<String>, Map<String, String>> select(
      String schema,
      String table,
      List<String> keyColumns,
      List<String> columns,
      List<List<String>> keys) {
    String key = keyColumns.stream().map(ReplicationSetup::quote).collect(Collectors.joining(", "));
    String tuple = keyColumns.stream().map(c -> "?").collect(Collectors.joining(", ", "(", ")"));
    String sql =
        "SELECT "
            + key
            + ", "
            + columns.stream().map(ReplicationSetup::quote).collect(Collectors.joining(", "))
            + " FROM "
            + ReplicationSetup.quote(schema)
            + "."
            + ReplicationSetup.quote(table)
            + " WHERE ("
            + key
            + ") IN ("
            + String.join(", ", java.util.Collections.nCopies(keys.size(), tuple))
            + ")";
    try {
      return query(sql, keyColumns, columns, keys);
    } catch (SQLException first) {
      close();
      try {
        return query(sql, keyColumns, columns, keys);
      } catch (SQLException e) {
        e.addSuppressed(first);
        close();
        throw new RetriableException(
            "Cannot read unchanged TOAST values of " + schema + "." + table + " by key", e);
      }
    }
  }

  private Map<List<String>, Map<String, String>> query(
      String sql, List<String> keyColumns, List<String> columns, List<List<String>> keys)
      throws SQLException {
    if (connection == null) {
      connection = connections.regular();
    }
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int parameter = 1;
      for (List<String> values : keys) {
        for (String value : values) {
          ps.setObject(parameter++, value, Types.OTHER);
        }
      }
      Map<List<String>, Map<String, String>> rows = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> rowKey = new ArrayList<>(keyColumns.size());
          for (int i = 1; i <= keyColumns.size(); i++) {
            rowKey.add(rs.getString(i));
          }
          Map<String, String> values = new LinkedHashMap<>();
          for (int i = 0; i < columns.size(); i++) {
            values.put(columns.get(i), rs.getString(keyColumns.size() + i + 1));
          }
          rows.put(rowKey, values);
        }
      }
      return rows;
    }
  }

  @Override
  public void close() {
    PgConnections.closeQuietly(connection);
    connection = null;
  }
}
