package io.pgsnow.emulator.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement's answer in wire form: columns, rows of already-encoded cell strings (null for SQL
 * NULL) and the statement type id that decides the JDBC semantics.
 */
public record QueryResult(
    List<Column> columns, List<List<String>> rows, long statementTypeId, Object command) {

  public static final long SELECT = 0x1000;
  public static final long INSERT = 0x3100;
  public static final long UPDATE = 0x3200;
  public static final long DELETE = 0x3300;
  public static final long MERGE = 0x3400;
  public static final long COPY = 0x3000;
  public static final long SHOW = 0x4400;
  public static final long DESCRIBE = 0x4500;
  public static final long LIST = 0x4701;
  public static final long DDL = 0x6000;

  public QueryResult(List<Column> columns, List<List<String>> rows, long statementTypeId) {
    this(columns, rows, statementTypeId, null);
  }

  /** The one-row {@code status} answer of DDL and accepted statements. */
  public static QueryResult status(String message) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of(message));
    return new QueryResult(List.of(Column.text("status")), rows, DDL);
  }

  /** The single-count answer of DML; the driver sums the row for the update count. */
  public static QueryResult dmlCount(String columnName, long count, long statementTypeId) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of(Long.toString(count)));
    return new QueryResult(List.of(Column.fixed(columnName)), rows, statementTypeId);
  }
}
