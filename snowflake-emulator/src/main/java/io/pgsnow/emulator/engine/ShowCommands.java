package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.LikePattern;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.Statement.Show;
import io.pgsnow.emulator.sql.Unsupported;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * SHOW DATABASES / SCHEMAS / TABLES / STAGES / PIPES / DYNAMIC TABLES. SHOW VIEWS and SHOW OBJECTS
 * are refused: their documented columns (a view's {@code text}, an object's kind) are not kept
 * here.
 */
final class ShowCommands {

  private final Warehouse warehouse;

  ShowCommands(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  QueryResult show(SessionState s, Show show) throws SQLException {
    return switch (show.kind()) {
      case "DATABASES" -> databases(s, show);
      case "SCHEMAS" -> schemas(s, show);
      case "TABLES" -> relations(s, show);
      case "STAGES" -> stages(s, show);
      case "PIPES" -> pipes(s, show);
      case "DYNAMIC TABLES" -> dynamicTables(s, show);
      default -> throw Unsupported.feature("SHOW " + show.kind());
    };
  }

  /** The columns of SHOW DATABASES and SHOW SCHEMAS: {@code fifth} names the origin or parent. */
  private static List<Column> containerColumns(String fifth, String... more) {
    List<String> names =
        new ArrayList<>(
            List.of(
                "created_on",
                "name",
                "is_default",
                "is_current",
                fifth,
                "owner",
                "comment",
                "options"));
    names.addAll(List.of(more));
    return columns(names.toArray(String[]::new));
  }

  private static List<Column> columns(String... names) {
    List<Column> cols = new ArrayList<>();
    for (String n : names) {
      cols.add(
          n.equals("created_on")
              ? Column.timestamp(n)
              : n.equals("rows") || n.equals("bytes") ? Column.fixed(n) : Column.text(n));
    }
    return cols;
  }

  /** Whether a DuckDB catalog is a Snowflake database (not DuckDB's own or the emulator's). */
  private boolean isUserDatabase(String catalog) {
    return warehouse.databases().contains(catalog);
  }

  private boolean matches(Show show, String name) {
    return show.like().map(p -> LikePattern.of(p).matches(name)).orElse(true);
  }

  private static String yesNo(boolean value) {
    return value ? "Y" : "N";
  }

  private QueryResult databases(SessionState s, Show show) {
    List<List<String>> rows = new ArrayList<>();
    for (String db : warehouse.databases()) {
      if (matches(show, db)) {
        rows.add(
            Arrays.asList(
                ResultEncoder.timestamp(Instant.EPOCH),
                db,
                "N",
                yesNo(db.equals(s.database())),
                "",
                "SYSADMIN",
                "",
                ""));
      }
    }
    return new QueryResult(containerColumns("origin"), rows, QueryResult.SHOW);
  }

  private QueryResult schemas(SessionState s, Show show) throws SQLException {
    String db = scope(s, show)[0];
    List<List<String>> rows = new ArrayList<>();
    for (List<String> r :
        CatalogReads.strings(
            s.connection(),
            "SELECT database_name, schema_name FROM duckdb_schemas()"
                + " WHERE (? IS NULL OR database_name = ?) AND schema_name <> 'main'"
                + " AND NOT internal ORDER BY 1, 2",
            db,
            db)) {
      if (matches(show, r.get(1)) && isUserDatabase(r.get(0))) {
        rows.add(
            Arrays.asList(
                ResultEncoder.timestamp(Instant.EPOCH),
                r.get(1),
                "N",
                yesNo(r.get(0).equals(s.database()) && r.get(1).equals(s.schema())),
                r.get(0),
                "SYSADMIN",
                "",
                "",
                "1"));
      }
    }
    return new QueryResult(
        containerColumns("database_name", "retention_time"), rows, QueryResult.SHOW);
  }

  /**
   * The (database, schema) scope; schema null means the whole database, database null the whole
   * account. {@code IN SCHEMA s} and {@code IN s} name a schema of the current database ({@code IN
   * d.s} one of another); without IN, the scope is the current schema, or the account when the
   * session has no database.
   */
  private static String[] scope(SessionState s, Show show) {
    boolean noDatabase = s.database() == null && show.in().isEmpty();
    if (show.inKind().equals("ACCOUNT") || noDatabase) {
      return new String[] {null, null};
    }
    if (show.in().isPresent()) {
      ObjectName in = show.in().get();
      if (in.schema() != null) {
        return new String[] {in.schema(), in.name()};
      }
      if (show.inKind().equals("DATABASE")) {
        return new String[] {in.name(), null};
      }
    }
    if (s.database() == null) {
      throw SnowflakeSqlException.noCurrent(false, "SHOW");
    }
    if (show.inKind().equals("DATABASE")) {
      return new String[] {s.database(), null}; // IN DATABASE: the current one
    }
    String schema = show.in().map(ObjectName::name).orElse(s.schema());
    return new String[] {s.database(), schema};
  }

  private QueryResult relations(SessionState s, Show show) throws SQLException {
    String[] scope = scope(s, show);
    String source =
        "SELECT database_name, schema_name, table_name, 'TABLE', estimated_size FROM"
            + " duckdb_tables() WHERE TRUE";
    List<List<String>> found =
        CatalogReads.strings(
            s.connection(),
            source
                + " AND (? IS NULL OR database_name = ?) AND (? IS NULL OR schema_name = ?)"
                + " ORDER BY 1, 2, 3",
            scope[0],
            scope[0],
            scope[1],
            scope[1]);
    List<List<String>> rows = new ArrayList<>();
    for (List<String> r : found) {
      if (matches(show, r.get(2)) && isUserDatabase(r.get(0))) {
        rows.add(
            Arrays.asList(
                ResultEncoder.timestamp(Instant.EPOCH),
                r.get(2),
                r.get(0),
                r.get(1),
                r.get(3),
                "",
                "",
                r.get(4),
                "0",
                "SYSADMIN",
                "1"));
      }
    }
    return new QueryResult(
        columns(
            "created_on",
            "name",
            "database_name",
            "schema_name",
            "kind",
            "comment",
            "cluster_by",
            "rows",
            "bytes",
            "owner",
            "retention_time"),
        rows,
        QueryResult.SHOW);
  }

  private QueryResult stages(SessionState s, Show show) {
    List<List<String>> rows =
        objectRows(
            "STAGE",
            s,
            show,
            stage ->
                objectRow(
                    stage, "", "N", "N", "SYSADMIN", "", null, "INTERNAL", null, null, "ROLE"));
    return new QueryResult(
        objectColumns(
            "url",
            "has_credentials",
            "has_encryption_key",
            "owner",
            "comment",
            "region",
            "type",
            "cloud",
            "storage_integration",
            "owner_role_type"),
        rows,
        QueryResult.SHOW);
  }

  private QueryResult pipes(SessionState s, Show show) {
    return new QueryResult(
        pipeColumns(), objectRows("PIPE", s, show, ShowCommands::pipeRow), QueryResult.SHOW);
  }

  static List<String> pipeRow(MetadataStore.CatalogObject pipe) {
    return objectRow(
        pipe, pipe.definition(), "SYSADMIN", null, "", null, null, null, "ROLE", "false");
  }

  static List<Column> pipeColumns() {
    return objectColumns(
        "definition",
        "owner",
        "notification_channel",
        "comment",
        "integration",
        "pattern",
        "error_integration",
        "owner_role_type",
        "invalid_reason");
  }

  private QueryResult dynamicTables(SessionState s, Show show) {
    List<List<String>> rows =
        objectRows(
            "DYNAMIC TABLE",
            s,
            show,
            table -> objectRow(table, table.extra(), table.definition(), "ACTIVE"));
    return new QueryResult(
        objectColumns("target_lag", "text", "scheduling_state"), rows, QueryResult.SHOW);
  }

  /** A row for each object of {@code kind} in the command's scope whose name it matches. */
  private List<List<String>> objectRows(
      String kind,
      SessionState s,
      Show show,
      Function<MetadataStore.CatalogObject, List<String>> row) {
    String[] scope = scope(s, show);
    List<List<String>> rows = new ArrayList<>();
    for (var object : warehouse.metadata().objects(kind, scope[0], scope[1])) {
      if (matches(show, object.name().name())) {
        rows.add(row.apply(object));
      }
    }
    return rows;
  }

  /** A catalog object's created_on, name, database_name and schema_name, then {@code rest}. */
  private static List<String> objectRow(MetadataStore.CatalogObject object, String... rest) {
    List<String> row = new ArrayList<>(4 + rest.length);
    row.add(ResultEncoder.timestamp(object.createdOn()));
    row.add(object.name().name());
    row.add(object.name().database());
    row.add(object.name().schema());
    row.addAll(Arrays.asList(rest));
    return row;
  }

  /** The columns {@link #objectRow} starts with, then {@code rest}. */
  private static List<Column> objectColumns(String... rest) {
    List<String> names =
        new ArrayList<>(List.of("created_on", "name", "database_name", "schema_name"));
    names.addAll(Arrays.asList(rest));
    return columns(names.toArray(String[]::new));
  }
}
