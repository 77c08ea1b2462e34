package io.pgsnow.sink.model;

import io.pgsnow.sink.ddl.TableColumns;
import io.pgsnow.sink.naming.Identifier;
import java.util.Locale;
import java.util.Set;

/** A column of a model: the row field it reads, its name and its type. */
public record ModelColumn(String field, ColumnType type) {

  /** Snowflake's reserved keywords: a column with such a name must be quoted. */
  private static final Set<String> RESERVED =
      Set.of(
          "ACCOUNT",
          "ALL",
          "ALTER",
          "AND",
          "ANY",
          "AS",
          "BETWEEN",
          "BY",
          "CASE",
          "CAST",
          "CHECK",
          "COLUMN",
          "CONNECT",
          "CONNECTION",
          "CONSTRAINT",
          "CREATE",
          "CROSS",
          "CURRENT",
          "CURRENT_DATE",
          "CURRENT_TIME",
          "CURRENT_TIMESTAMP",
          "CURRENT_USER",
          "DATABASE",
          "DELETE",
          "DISTINCT",
          "DROP",
          "ELSE",
          "EXISTS",
          "FALSE",
          "FOLLOWING",
          "FOR",
          "FROM",
          "FULL",
          "GRANT",
          "GROUP",
          "GSCLUSTER",
          "HAVING",
          "ILIKE",
          "IN",
          "INCREMENT",
          "INNER",
          "INSERT",
          "INTERSECT",
          "INTO",
          "IS",
          "ISSUE",
          "JOIN",
          "LATERAL",
          "LEFT",
          "LIKE",
          "LOCALTIME",
          "LOCALTIMESTAMP",
          "MINUS",
          "NATURAL",
          "NOT",
          "NULL",
          "OF",
          "ON",
          "OR",
          "ORDER",
          "ORGANIZATION",
          "QUALIFY",
          "REGEXP",
          "REVOKE",
          "RIGHT",
          "RLIKE",
          "ROW",
          "ROWS",
          "SAMPLE",
          "SCHEMA",
          "SELECT",
          "SET",
          "SOME",
          "START",
          "TABLE",
          "TABLESAMPLE",
          "THEN",
          "TO",
          "TRIGGER",
          "TRUE",
          "TRY_CAST",
          "UNION",
          "UNIQUE",
          "UPDATE",
          "USING",
          "VALUES",
          "VIEW",
          "WHEN",
          "WHENEVER",
          "WHERE",
          "WINDOW",
          "WITH");

  /**
   * Plain names become unquoted upper-case identifiers (so {@code employee_id} is queried as {@code
   * EMPLOYEE_ID}); reserved words are quoted upper case; any other name is quoted exactly.
   */
  public Identifier name() {
    Identifier name = TableColumns.columnName(field);
    String upper = name.resolved().toUpperCase(Locale.ROOT);
    return !name.quoted() && RESERVED.contains(upper) ? new Identifier(upper, true) : name;
  }
}
