package io.pgsnow.source.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides which tables are captured, with Debezium's semantics: each regular expression must match
 * the whole name; schema lists match the schema name, table lists match {@code schema.table}; an
 * empty include list includes everything not excluded. Column lists match {@code
 * schema.table.column} and only shape the events' rows.
 */
public final class TableFilter {
  private final List<Pattern> schemaInclude;
  private final List<Pattern> schemaExclude;
  private final List<Pattern> tableInclude;
  private final List<Pattern> tableExclude;
  private final List<Pattern> columnInclude;
  private final List<Pattern> columnExclude;
  private final MessageKeyColumns messageKeys;

  public TableFilter(
      List<Pattern> schemaInclude,
      List<Pattern> schemaExclude,
      List<Pattern> tableInclude,
      List<Pattern> tableExclude) {
    this(
        schemaInclude,
        schemaExclude,
        tableInclude,
        tableExclude,
        List.of(),
        List.of(),
        MessageKeyColumns.NONE);
  }

  private TableFilter(
      List<Pattern> schemaInclude,
      List<Pattern> schemaExclude,
      List<Pattern> tableInclude,
      List<Pattern> tableExclude,
      List<Pattern> columnInclude,
      List<Pattern> columnExclude,
      MessageKeyColumns messageKeys) {
    this.messageKeys = messageKeys;
    this.schemaInclude = List.copyOf(schemaInclude);
    this.schemaExclude = List.copyOf(schemaExclude);
    this.tableInclude = List.copyOf(tableInclude);
    this.tableExclude = List.copyOf(tableExclude);
    this.columnInclude = List.copyOf(columnInclude);
    this.columnExclude = List.copyOf(columnExclude);
  }

  /**
   * This filter with {@code column.include.list} / {@code column.exclude.list}: patterns matching
   * {@code schema.table.column}.
   */
  public TableFilter withColumns(List<Pattern> include, List<Pattern> exclude) {
    return new TableFilter(
        schemaInclude, schemaExclude, tableInclude, tableExclude, include, exclude, messageKeys);
  }

  /** This filter with {@code message.key.columns}. */
  public TableFilter withMessageKeys(MessageKeyColumns keys) {
    return new TableFilter(
        schemaInclude,
        schemaExclude,
        tableInclude,
        tableExclude,
        columnInclude,
        columnExclude,
        keys);
  }

  /** The columns of {@code message.key.columns} keying a table with {@code columns}, or empty. */
  public List<String> messageKeyColumns(String schema, String table, List<String> columns) {
    return messageKeys.of(schema, table, columns);
  }

  /** Whether a captured table's column goes into change events' before and after. */
  public boolean includesColumn(String schema, String table, String column) {
    String qualified = schema + "." + table + "." + column;
    if (!columnInclude.isEmpty() && !anyMatches(columnInclude, qualified)) {
      return false;
    }
    return !anyMatches(columnExclude, qualified);
  }

  public boolean includes(String schema, String table) {
    if (!schemaInclude.isEmpty() && !anyMatches(schemaInclude, schema)) {
      return false;
    }
    if (anyMatches(schemaExclude, schema)) {
      return false;
    }
    String qualified = schema + "." + table;
    if (!tableInclude.isEmpty() && !anyMatches(tableInclude, qualified)) {
      return false;
    }
    return !anyMatches(tableExclude, qualified);
  }

  /** The table include patterns, for checking that each one matches an existing table. */
  public List<Pattern> tableIncludePatterns() {
    return tableInclude;
  }

  private static boolean anyMatches(List<Pattern> patterns, String name) {
    for (Pattern p : patterns) {
      if (p.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }
}
