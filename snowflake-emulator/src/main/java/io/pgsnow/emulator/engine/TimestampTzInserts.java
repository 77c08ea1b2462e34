package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.SnowflakeType;
import io.pgsnow.emulator.sql.SqlLexer;
import io.pgsnow.emulator.sql.Token;
import io.pgsnow.emulator.sql.TokenLists;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets {@code INSERT} put text and timestamps into TIMESTAMP_TZ columns, as Snowflake converts them
 * implicitly. DuckDB cannot cast text to the struct that stores TIMESTAMP_TZ, so an INSERT whose
 * target has such a column becomes {@code INSERT INTO t (cols) SELECT #1, to_timestamp_tz(#2), ...
 * FROM (<the original VALUES or query>)}; bind variables keep their order. Other statements are
 * returned unchanged.
 */
final class TimestampTzInserts {

  private record Target(String table, List<String> columns, String source) {}

  private TimestampTzInserts() {}

  static String rewrite(Connection conn, String duckSql) {
    Target target = parseLeniently(duckSql);
    if (target == null) {
      return duckSql;
    }
    TableColumns table = TableColumns.read(conn, target.table());
    if (table == null || !table.timestampTz().contains(true)) {
      return duckSql;
    }
    List<String> columns = target.columns().isEmpty() ? quoted(table.names()) : target.columns();
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(target.table()).append(" (");
    StringBuilder select = new StringBuilder(" SELECT ");
    for (int k = 0; k < columns.size(); k++) {
      String sep = k == 0 ? "" : ", ";
      sql.append(sep).append(columns.get(k));
      String position = "#" + (k + 1);
      select
          .append(sep)
          .append(
              table.isTimestampTz(columns.get(k))
                  ? SnowflakeType.TO_TIMESTAMP_TZ + "(" + position + ")"
                  : position);
    }
    return sql.append(')')
        .append(select)
        .append(" FROM (")
        .append(target.source())
        .append(") AS emulator_insert_source")
        .toString();
  }

  private static Target parseLeniently(String duckSql) {
    try {
      return parse(SqlLexer.tokenize(duckSql));
    } catch (RuntimeException e) {
      return null; // not lexable as Snowflake SQL; DuckDB parses it as it is
    }
  }

  /** A table's column names and which of them store TIMESTAMP_TZ. */
  private record TableColumns(List<String> names, List<Boolean> timestampTz) {

    /** The columns, or null when the table cannot be read (DuckDB reports that on the INSERT). */
    static TableColumns read(Connection conn, String table) {
      List<String> names = new ArrayList<>();
      List<Boolean> timestampTz = new ArrayList<>();
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
        ResultSetMetaData md = rs.getMetaData();
        for (int c = 1; c <= md.getColumnCount(); c++) {
          names.add(md.getColumnName(c));
          timestampTz.add(SnowflakeType.isTimestampTzStorage(md.getColumnTypeName(c)));
        }
      } catch (SQLException e) {
        return null;
      }
      return new TableColumns(names, timestampTz);
    }

    boolean isTimestampTz(String column) {
      String bare = column.startsWith("\"") ? column.substring(1, column.length() - 1) : column;
      String name = bare.replace("\"\"", "\"");
      for (int c = 0; c < names.size(); c++) {
        if (names.get(c).equalsIgnoreCase(name)) {
          return timestampTz.get(c);
        }
      }
      return false;
    }
  }

  private static List<String> quoted(List<String> names) {
    List<String> out = new ArrayList<>();
    names.forEach(n -> out.add('"' + n.replace("\"", "\"\"") + '"'));
    return out;
  }

  /** {@code INSERT INTO name [(columns)] source}, or null for any other shape. */
  private static Target parse(List<Token> all) {
    List<Token> tokens = TokenLists.significant(all);
    if (tokens.size() < 4 || !tokens.get(0).isWord("INSERT") || !tokens.get(1).isWord("INTO")) {
      return null;
    }
    int i = 2;
    StringBuilder table = new StringBuilder(tokens.get(i++).text());
    while (i + 1 < tokens.size() && tokens.get(i).isSymbol(".")) {
      table.append('.').append(tokens.get(i + 1).text());
      i += 2;
    }
    List<String> columns = new ArrayList<>();
    if (i < tokens.size() && tokens.get(i).isSymbol("(") && !startsQuery(tokens, i + 1)) {
      i = columnList(tokens, i + 1, columns);
    }
    if (!startsQuery(tokens, i)) {
      return null;
    }
    return new Target(table.toString(), columns, TokenLists.textFrom(all, tokens.get(i)));
  }

  /** Reads names up to the closing parenthesis; returns the index after it. */
  private static int columnList(List<Token> tokens, int from, List<String> columns) {
    int i = from;
    while (i < tokens.size() && !tokens.get(i).isSymbol(")")) {
      if (!tokens.get(i).isSymbol(",")) {
        columns.add(tokens.get(i).text());
      }
      i++;
    }
    return i + 1;
  }

  private static boolean startsQuery(List<Token> tokens, int i) {
    if (i >= tokens.size()) {
      return false;
    }
    String word = tokens.get(i).upper();
    return word.equals("VALUES")
        || word.equals("SELECT")
        || word.equals("WITH")
        || tokens.get(i).isSymbol("(");
  }
}
