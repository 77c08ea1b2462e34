package io.pgsnow.emulator.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.emulator.load.FileLoadResult.Status;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.SnowflakeType;
import io.pgsnow.emulator.sql.Statement.CopyInto;
import io.pgsnow.emulator.sql.Statement.CopyProjection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Applies a COPY INTO (JSON) to one staged file's bytes in one transaction. */
public final class CopyLoader {

  private record TableColumn(String name, String duckType) {

    /** DuckDB SQL converting the text in {@code expression} to this column's type. */
    String convert(String expression) {
      return SnowflakeType.isTimestampTzStorage(duckType)
          ? SnowflakeType.TO_TIMESTAMP_TZ + "(" + expression + ")"
          : "CAST(" + expression + " AS " + duckType + ")";
    }
  }

  private static final String SCRATCH = "emulator_copy_rows";

  /** Snowflake's code for a JSON load that would fill several columns or a non-VARIANT one. */
  static final String ONE_SEMI_STRUCTURED_COLUMN = "002019";

  private CopyLoader() {}

  /**
   * Loads a file. With {@code onError} SKIP_FILE (Snowpipe's default) a bad file loads nothing;
   * with CONTINUE the documents before the error are kept; ABORT_STATEMENT raises.
   */
  public static FileLoadResult load(Connection conn, CopyInto copy, byte[] bytes, String onError)
      throws SQLException {
    if (!copy.fileFormatType().equals("JSON")) {
      throw new SnowflakeSqlException(
          SnowflakeSqlException.UNSUPPORTED, "0A000", "Only FILE_FORMAT TYPE=JSON is supported");
    }
    JsonDocuments.Parsed parsed = JsonDocuments.read(bytes, copy.stripOuterArray());
    if (parsed.error().isPresent()) {
      switch (onError) {
        case "CONTINUE" -> {
          // keep the documents read before the error
        }
        case "ABORT_STATEMENT" ->
            throw new SnowflakeSqlException(
                SnowflakeSqlException.DATA_ERROR, "22000", parsed.error().get());
        default -> {
          return FileLoadResult.failed(parsed.error().get(), parsed.errorLine());
        }
      }
    }
    List<TableColumn> tableColumns = columnsOf(conn, copy.table());
    List<TableColumn> targets = targets(copy, tableColumns);
    insert(conn, copy.table(), targets, rows(copy, targets, parsed.documents()));
    long loaded = parsed.documents().size();
    if (parsed.error().isPresent()) {
      return new FileLoadResult(
          Status.PARTIALLY_LOADED,
          loaded + 1,
          loaded,
          1,
          parsed.error(),
          Optional.of(parsed.errorLine()));
    }
    return new FileLoadResult(Status.LOADED, loaded, loaded, 0, Optional.empty(), Optional.empty());
  }

  private static List<TableColumn> columnsOf(Connection conn, ObjectName table)
      throws SQLException {
    List<TableColumn> columns = new ArrayList<>();
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND"
                + " schema_name = ? AND table_name = ? ORDER BY column_index")) {
      ps.setString(1, table.database());
      ps.setString(2, table.schema());
      ps.setString(3, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(new TableColumn(rs.getString(1), rs.getString(2)));
        }
      }
    }
    if (columns.isEmpty()) {
      throw SnowflakeSqlException.notFound("Table", table.display());
    }
    return columns;
  }

  /**
   * Checks at compile time, before any file is read, that a COPY without a transformation or
   * MATCH_BY_COLUMN_NAME targets exactly one VARIANT, OBJECT or ARRAY column: a JSON document is
   * one value, and Snowflake refuses (002019) to spread it over the table's columns by position.
   */
  public static void checkTargets(Connection conn, CopyInto copy) throws SQLException {
    targets(copy, columnsOf(conn, copy.table()));
  }

  private static List<TableColumn> targets(CopyInto copy, List<TableColumn> tableColumns) {
    List<TableColumn> targets = listedTargets(copy, tableColumns);
    if (copy.projections().isEmpty()
        && !copy.matchesByName()
        && (tableColumns.size() != 1 && copy.columns().isEmpty()
            || targets.size() != 1
            || !"JSON".equals(targets.get(0).duckType()))) {
      throw new SnowflakeSqlException(
          ONE_SEMI_STRUCTURED_COLUMN,
          "0A000",
          "SQL compilation error:\n"
              + copy.fileFormatType()
              + " file format can produce one and only one column of type variant, object, or"
              + " array. Load data into separate columns using the MATCH_BY_COLUMN_NAME copy"
              + " option or copy with transformation.");
    }
    return targets;
  }

  private static List<TableColumn> listedTargets(CopyInto copy, List<TableColumn> tableColumns) {
    if (copy.columns().isEmpty()) {
      int n =
          copy.projections().map(List::size).orElse(copy.matchesByName() ? tableColumns.size() : 1);
      return tableColumns.subList(0, Math.min(n, tableColumns.size()));
    }
    List<TableColumn> targets = new ArrayList<>();
    for (String name : copy.columns()) {
      targets.add(
          tableColumns.stream()
              .filter(c -> c.name().equalsIgnoreCase(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new SnowflakeSqlException(
                          SnowflakeSqlException.INVALID_IDENTIFIER,
                          "42000",
                          "SQL compilation error: error line 0 at position -1\ninvalid identifier '"
                              + name
                              + "'")));
    }
    return targets;
  }

  private static List<List<String>> rows(
      CopyInto copy, List<TableColumn> targets, List<JsonNode> documents) {
    List<List<String>> rows = new ArrayList<>(documents.size());
    for (JsonNode doc : documents) {
      List<String> row = new ArrayList<>(targets.size());
      for (int c = 0; c < targets.size(); c++) {
        JsonNode value = valueFor(copy, targets.get(c), c, doc);
        row.add(encode(value, targets.get(c)));
      }
      rows.add(row);
    }
    return rows;
  }

  private static JsonNode valueFor(CopyInto copy, TableColumn target, int index, JsonNode doc) {
    if (copy.projections().isPresent()) {
      CopyProjection p = copy.projections().get().get(index);
      JsonNode node = p.column() == 1 ? doc : null;
      for (String key : p.path()) {
        node = node == null ? null : node.get(key);
      }
      return node;
    }
    if (copy.matchesByName()) {
      boolean exact = copy.matchByColumnName().equals("CASE_SENSITIVE");
      for (Map.Entry<String, JsonNode> field : doc.properties()) {
        String key = field.getKey();
        if (exact ? key.equals(target.name()) : key.equalsIgnoreCase(target.name())) {
          return field.getValue();
        }
      }
      return null;
    }
    return doc;
  }

  private static String encode(JsonNode value, TableColumn target) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (target.duckType().equals("JSON")) {
      return value.toString();
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  /**
   * Appends the rows as text into a connection-local scratch table with DuckDB's appender, then
   * casts them into the target in one INSERT, so a file is loaded atomically and fast (row-wise
   * prepared inserts cost milliseconds per row).
   */
  private static void insert(
      Connection conn, ObjectName table, List<TableColumn> targets, List<List<String>> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder scratch = new StringBuilder("CREATE OR REPLACE TEMP TABLE ");
    scratch.append(SCRATCH).append(" (");
    StringBuilder insert = new StringBuilder("INSERT INTO ").append(table.toDuckSql()).append(" (");
    StringBuilder select = new StringBuilder(" SELECT ");
    for (int i = 0; i < targets.size(); i++) {
      String sep = i == 0 ? "" : ", ";
      scratch.append(sep).append("c").append(i).append(" VARCHAR");
      insert.append(sep).append(ObjectName.quote(targets.get(i).name()));
      select.append(sep).append(targets.get(i).convert("c" + i));
    }
    try (Statement st = conn.createStatement()) {
      st.execute(scratch.append(')').toString());
    }
    try {
      appendRows(conn, rows);
      try (Statement st = conn.createStatement()) {
        st.execute(
            insert
                .append(')')
                .append(select)
                .append(" FROM temp.main.")
                .append(SCRATCH)
                .toString());
      }
    } finally {
      // A fresh statement: DuckDB closes a statement that failed, and the drop must not hide the
      // failure (a value its column cannot take) that the load reports.
      try (Statement st = conn.createStatement()) {
        st.execute("DROP TABLE IF EXISTS temp.main." + SCRATCH);
      }
    }
  }

  private static void appendRows(Connection conn, List<List<String>> rows) throws SQLException {
    try (DuckDBAppender appender =
        conn.unwrap(DuckDBConnection.class).createAppender("temp", "main", SCRATCH)) {
      for (List<String> row : rows) {
        appender.beginRow();
        for (String value : row) {
          if (value == null) {
            appender.appendNull();
          } else {
            appender.append(value);
          }
        }
        appender.endRow();
      }
    }
  }
}
