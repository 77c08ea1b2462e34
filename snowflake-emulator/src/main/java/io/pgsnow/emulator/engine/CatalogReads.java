package io.pgsnow.emulator.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads of DuckDB's catalog functions ({@code duckdb_tables()}, {@code duckdb_columns()}, ...). */
final class CatalogReads {

  private CatalogReads() {}

  static boolean exists(Connection conn, String sql, Object... args) throws SQLException {
    return !strings(conn, sql, args).isEmpty();
  }

  /** Every row as a list of strings (getString of each column). */
  static List<List<String>> strings(Connection conn, String sql, Object... args)
      throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>(n);
          for (int c = 1; c <= n; c++) {
            row.add(rs.getString(c));
          }
          out.add(row);
        }
      }
    }
    return out;
  }
}
