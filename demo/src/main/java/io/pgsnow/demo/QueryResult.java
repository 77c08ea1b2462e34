package io.pgsnow.demo;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a query returned, each value as its driver's text, so that PostgreSQL's and Snowflake's
 * answers print and compare alike.
 *
 * @param columns the column names as the driver reports them
 * @param rows the rows in the order the query gave them
 */
record QueryResult(List<String> columns, List<List<String>> rows) {

  static QueryResult read(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      columns.add(meta.getColumnLabel(i));
    }
    List<List<String>> rows = new ArrayList<>();
    while (rs.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= columns.size(); i++) {
        row.add(rs.getString(i));
      }
      rows.add(row);
    }
    return new QueryResult(List.copyOf(columns), List.copyOf(rows));
  }
}
