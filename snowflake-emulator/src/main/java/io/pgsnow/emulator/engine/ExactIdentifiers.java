package io.pgsnow.emulator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.emulator.sql.FunctionCalls;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Holds queries to Snowflake's identifier rule, which DuckDB does not follow: a name resolves only
 * to an object or column spelled exactly the same ({@code "orders"} is not {@code ORDERS}), while
 * DuckDB resolves every name case-insensitively. Before a query runs, its table and column
 * references (read from DuckDB's own parse tree, {@code json_serialize_sql}) are compared with the
 * catalog's spelling; a reference that only matches in another case fails the way Snowflake fails
 * it. References DuckDB cannot find at all are left to DuckDB's own error.
 */
final class ExactIdentifiers {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLAIN = Pattern.compile("[A-Z_][A-Z0-9_$]*");

  record TableRef(String database, String schema, String table) {}

  record Resolved(String database, String schema, String table) {}

  /** What one parse tree names: tables, column references, and names the query defines. */
  private static final class References {
    final List<TableRef> tables = new ArrayList<>();
    final List<String> columns = new ArrayList<>();
    final Set<String> defined = new HashSet<>();
  }

  private ExactIdentifiers() {}

  /**
   * Checks a SELECT in DuckDB SQL; other statements and unparsable text pass unchecked.
   *
   * @return what the query says about its result columns' Snowflake types
   */
  static ResultHints check(Connection conn, String duckSelect) throws SQLException {
    JsonNode tree = parseTree(conn, duckSelect);
    if (tree == null || tree.path("error").asBoolean(true)) {
      return ResultHints.NONE;
    }
    References refs = new References();
    collect(tree, refs);
    Set<String> columns = new HashSet<>();
    Map<String, String> declared = new HashMap<>();
    for (TableRef ref : refs.tables) {
      if (ref.schema().isEmpty() && refs.defined.contains(ref.table())) {
        continue; // a CTE
      }
      Resolved table = resolve(conn, ref);
      if (table != null) {
        Map<String, String> labels = columnLabels(conn, table);
        columns.addAll(labels.keySet());
        labels.forEach(
            (name, label) -> {
              if (SEMI_STRUCTURED.containsKey(label)) {
                declared.put(name, SEMI_STRUCTURED.get(label));
              }
            });
      }
    }
    for (String column : refs.columns) {
      if (columns.contains(column) || refs.defined.contains(column)) {
        continue;
      }
      if (columns.stream().anyMatch(c -> c.equalsIgnoreCase(column))) {
        throw invalidIdentifier(column);
      }
    }
    return ResultHints.of(tree.path("statements").path(0).path("node"), declared);
  }

  /** Declared column labels whose values DuckDB stores as JSON, by the rowtype they answer as. */
  private static final Map<String, String> SEMI_STRUCTURED =
      Map.of("OBJECT", "object", "ARRAY", "array");

  /**
   * The Snowflake rowtype of result columns that DuckDB types as plain JSON: OBJECT and ARRAY
   * columns (kept as JSON, their declared type in the column comment) and OBJECT_CONSTRUCT /
   * ARRAY_CONSTRUCT calls (translated to json_object / json_array), and the OBJECT_AGG / ARRAY_AGG
   * calls wrapped in the engine's identity macros.
   */
  record ResultHints(Map<Integer, String> byPosition, Map<String, String> byName) {
    static final ResultHints NONE = new ResultHints(Map.of(), Map.of());

    private static final Map<String, String> FUNCTIONS =
        Map.of(
            "json_object",
            "object",
            FunctionCalls.OBJECT,
            "object",
            "json_array",
            "array",
            FunctionCalls.ARRAY,
            "array");

    static ResultHints of(JsonNode root, Map<String, String> declared) {
      JsonNode list = root.path("select_list");
      if (!root.path("type").asText("").equals("SELECT_NODE") || list.isEmpty()) {
        return NONE;
      }
      Map<Integer, String> byPosition = new HashMap<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode entry = list.get(i);
        String type = entry.path("class").asText("");
        if (type.equals("STAR")) {
          return new ResultHints(Map.of(), declared); // columns by name, as * expands them
        }
        String kind =
            switch (type) {
              case "FUNCTION" -> FUNCTIONS.get(entry.path("function_name").asText(""));
              case "COLUMN_REF" -> {
                JsonNode names = entry.path("column_names");
                yield declared.get(names.get(names.size() - 1).asText());
              }
              default -> null;
            };
        if (kind != null) {
          byPosition.put(i, kind);
        }
      }
      return new ResultHints(byPosition, Map.of());
    }

    /** The rowtype of result column {@code index} (0-based) named {@code name}, if known. */
    String kindOf(int index, String name) {
      String kind = byPosition.get(index);
      return kind != null ? kind : byName.get(name);
    }
  }

  static SnowflakeSqlException invalidIdentifier(String name) {
    return new SnowflakeSqlException(
        SnowflakeSqlException.INVALID_IDENTIFIER,
        "42000",
        "SQL compilation error: error line 1 at position 0\ninvalid identifier '"
            + display(name)
            + "'");
  }

  /** The tables and views a query reads (its CTEs left out), as the catalog spells them. */
  static List<Resolved> tablesRead(Connection conn, String duckSelect) throws SQLException {
    JsonNode tree = parseTree(conn, duckSelect);
    if (tree == null || tree.path("error").asBoolean(true)) {
      return List.of();
    }
    References refs = new References();
    collect(tree, refs);
    List<Resolved> read = new ArrayList<>();
    for (TableRef ref : refs.tables) {
      if (ref.schema().isEmpty() && refs.defined.contains(ref.table())) {
        continue; // a CTE
      }
      Resolved table = resolve(conn, ref);
      if (table != null) {
        read.add(table);
      }
    }
    return read;
  }

  private static JsonNode parseTree(Connection conn, String sql) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("SELECT json_serialize_sql(?)")) {
      ps.setString(1, sql);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? JSON.readTree(rs.getString(1)) : null;
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  private static void collect(JsonNode node, References refs) {
    if (node.isArray()) {
      node.forEach(child -> collect(child, refs));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    String type = node.path("type").asText("");
    if (type.equals("BASE_TABLE")) {
      refs.tables.add(
          new TableRef(
              node.path("catalog_name").asText(""),
              node.path("schema_name").asText(""),
              node.path("table_name").asText("")));
    } else if (type.equals("COLUMN_REF") && node.path("column_names").size() > 0) {
      JsonNode names = node.path("column_names");
      refs.columns.add(names.get(names.size() - 1).asText());
    }
    String alias = node.path("alias").asText("");
    if (!alias.isEmpty()) {
      refs.defined.add(alias);
    }
    node.path("column_name_alias").forEach(a -> refs.defined.add(a.asText()));
    node.path("aliases").forEach(a -> refs.defined.add(a.asText()));
    node.path("cte_map").path("map").forEach(entry -> refs.defined.add(entry.path("key").asText()));
    node.forEach(child -> collect(child, refs));
  }

  /**
   * The catalog entry a reference names. Null when nothing matches even case-insensitively (DuckDB
   * reports that); an error when entries match only in another case.
   */
  static Resolved resolve(Connection conn, TableRef ref) throws SQLException {
    List<Resolved> candidates = candidates(conn, ref);
    if (candidates.isEmpty()) {
      return null;
    }
    for (Resolved c : candidates) {
      if (spelledAs(c, ref)) {
        return c;
      }
    }
    List<String> parts = new ArrayList<>();
    for (String part : List.of(ref.database(), ref.schema(), ref.table())) {
      if (!part.isEmpty()) {
        parts.add(display(part));
      }
    }
    throw SnowflakeSqlException.notFound("Object", String.join(".", parts));
  }

  private static boolean spelledAs(Resolved c, TableRef ref) {
    return c.table().equals(ref.table())
        && (ref.database().isEmpty() || c.database().equals(ref.database()))
        && (ref.schema().isEmpty() || c.schema().equals(ref.schema()));
  }

  /** Tables and views in the referenced (or current) schema whose names match in any case. */
  private static List<Resolved> candidates(Connection conn, TableRef ref) throws SQLException {
    String sql =
        "SELECT database_name, schema_name, table_name FROM duckdb_tables()"
            + " WHERE lower(table_name) = lower(?)"
            + " UNION ALL SELECT database_name, schema_name, view_name FROM duckdb_views()"
            + " WHERE NOT internal AND lower(view_name) = lower(?)";
    List<Resolved> candidates = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setString(1, ref.table());
      ps.setString(2, ref.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          candidates.add(new Resolved(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    String[] current = currentDatabaseAndSchema(conn);
    String database = ref.database().isEmpty() ? current[0] : ref.database();
    String schema = ref.schema().isEmpty() ? current[1] : ref.schema();
    candidates.removeIf(
        c -> !c.database().equalsIgnoreCase(database) || !c.schema().equalsIgnoreCase(schema));
    return candidates;
  }

  private static String[] currentDatabaseAndSchema(Connection conn) throws SQLException {
    try (PreparedStatement ps =
            conn.prepareStatement("SELECT current_database(), current_schema()");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }

  static List<String> columnsOf(Connection conn, Resolved table) throws SQLException {
    return new ArrayList<>(columnLabels(conn, table).keySet());
  }

  /** A table's column names in order, with the declared Snowflake type kept in their comment. */
  private static Map<String, String> columnLabels(Connection conn, Resolved table)
      throws SQLException {
    Map<String, String> labels = new LinkedHashMap<>();
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT column_name, coalesce(comment, '') FROM duckdb_columns()"
                + " WHERE database_name = ? AND schema_name = ? AND table_name = ?")) {
      ps.setString(1, table.database());
      ps.setString(2, table.schema());
      ps.setString(3, table.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          labels.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return labels;
  }

  /** A name as Snowflake prints it in errors: plain when it needs no quotes. */
  static String display(String name) {
    return PLAIN.matcher(name).matches() ? name : ObjectName.quote(name);
  }
}
