package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.auth.RsaPublicKeys;
import io.pgsnow.emulator.auth.UserDirectory;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.SnowflakeType;
import io.pgsnow.emulator.sql.Statement.AddColumns;
import io.pgsnow.emulator.sql.Statement.ColumnDef;
import io.pgsnow.emulator.sql.Statement.CreateDynamicTable;
import io.pgsnow.emulator.sql.Statement.CreateTable;
import io.pgsnow.emulator.sql.Statement.CreateView;
import io.pgsnow.emulator.sql.Statement.DatabaseObjectDdl;
import io.pgsnow.emulator.sql.Statement.Describe;
import io.pgsnow.emulator.sql.Statement.DropObject;
import io.pgsnow.emulator.sql.Statement.Use;
import io.pgsnow.emulator.sql.Statement.UserDdl;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Databases, schemas, tables, views, dynamic tables and users. */
final class CatalogCommands {

  private static final String OK = "Statement executed successfully.";

  private final Warehouse warehouse;
  private final UserDirectory users;
  private final DynamicTables dynamicTables;

  CatalogCommands(Warehouse warehouse, UserDirectory users, DynamicTables dynamicTables) {
    this.warehouse = warehouse;
    this.users = users;
    this.dynamicTables = dynamicTables;
  }

  QueryResult databaseObject(SessionState s, DatabaseObjectDdl ddl) throws SQLException {
    return ddl.kind().equals("DATABASE") ? database(s, ddl) : schema(s, ddl);
  }

  private QueryResult database(SessionState s, DatabaseObjectDdl ddl) throws SQLException {
    String name = ddl.name().name();
    boolean exists = warehouse.databaseExists(name);
    if (!ddl.create()) {
      return dropDatabase(s, name, exists, ddl.ifClause());
    }
    if (exists && ddl.ifClause()) {
      return QueryResult.status(name + " already exists, statement succeeded.");
    }
    if (exists && !ddl.orReplace()) {
      throw alreadyExists(name);
    }
    if (exists) {
      warehouse.dropDatabase(name);
    }
    warehouse.createDatabase(name);
    use(s, name, "PUBLIC");
    return QueryResult.status("Database " + name + " successfully created.");
  }

  private QueryResult dropDatabase(SessionState s, String name, boolean exists, boolean ifExists)
      throws SQLException {
    if (!exists) {
      if (ifExists) {
        return QueryResult.status(
            "Drop statement executed successfully (" + name + " already dropped).");
      }
      throw SnowflakeSqlException.notFound("Database", name);
    }
    if (name.equals(s.database())) {
      exec(s.connection(), "USE " + ObjectName.quote(warehouse.rootCatalog()));
      s.setDatabase(null, null);
    }
    warehouse.dropDatabase(name);
    return QueryResult.status(name + " successfully dropped.");
  }

  private String schemaDatabase(SessionState s, ObjectName name) {
    String db = name.schema() != null ? name.schema() : s.database();
    if (db == null || !warehouse.databaseExists(db)) {
      throw SnowflakeSqlException.notFound("Database", String.valueOf(db));
    }
    return db;
  }

  private QueryResult schema(SessionState s, DatabaseObjectDdl ddl) throws SQLException {
    String db = schemaDatabase(s, ddl.name());
    ObjectName schema = new ObjectName(null, db, ddl.name().name());
    boolean exists = schemaExists(s.connection(), db, schema.name());
    if (!ddl.create()) {
      if (!exists && !ddl.ifClause()) {
        throw SnowflakeSqlException.notFound("Schema", schema.display());
      }
      exec(s.connection(), "DROP SCHEMA IF EXISTS " + schema.toDuckSql() + " CASCADE");
      if (db.equals(s.database()) && schema.name().equals(s.schema())) {
        // The session keeps its database and has no current schema (SessionNamespace).
        exec(s.connection(), "USE " + ObjectName.quote(db));
        s.setDatabase(db, null);
      }
      return QueryResult.status(schema.name() + " successfully dropped.");
    }
    if (exists && ddl.ifClause()) {
      return QueryResult.status(schema.name() + " already exists, statement succeeded.");
    }
    if (exists && !ddl.orReplace()) {
      throw alreadyExists(schema.name());
    }
    if (exists) {
      exec(s.connection(), "DROP SCHEMA " + schema.toDuckSql() + " CASCADE");
    }
    exec(s.connection(), "CREATE SCHEMA " + schema.toDuckSql());
    use(s, db, schema.name());
    return QueryResult.status("Schema " + schema.name() + " successfully created.");
  }

  static boolean schemaExists(Connection conn, String db, String schema) throws SQLException {
    return CatalogReads.exists(
        conn,
        "SELECT 1 FROM duckdb_schemas() WHERE database_name = ? AND" + " schema_name = ?",
        db,
        schema);
  }

  void use(SessionState s, String db, String schema) throws SQLException {
    exec(s.connection(), "USE " + new ObjectName(null, db, schema).toDuckSql());
    s.setDatabase(db, schema);
  }

  QueryResult use(SessionState s, Use use) throws SQLException {
    ObjectName name = use.name();
    switch (use.kind()) {
      case "DATABASE" -> {
        if (!warehouse.databaseExists(name.name())) {
          throw SnowflakeSqlException.notFound("Database", name.name());
        }
        boolean hasPublic = schemaExists(s.connection(), name.name(), "PUBLIC");
        if (hasPublic) {
          use(s, name.name(), "PUBLIC");
        } else {
          exec(s.connection(), "USE " + ObjectName.quote(name.name()));
          s.setDatabase(name.name(), null);
        }
      }
      case "SCHEMA" -> {
        String db = name.schema() != null ? name.schema() : s.database();
        if (db == null || !schemaExists(s.connection(), db, name.name())) {
          throw SnowflakeSqlException.notFound(
              "Schema", (db == null ? "" : db + ".") + name.name());
        }
        use(s, db, name.name());
      }
      default -> s.setWarehouse(name.name());
    }
    return QueryResult.status(OK);
  }

  QueryResult createTable(SessionState s, CreateTable ct) throws SQLException {
    ObjectName table = s.qualify(ct.name());
    boolean exists = relationExists(s.connection(), table);
    if (exists && ct.ifNotExists()) {
      return QueryResult.status(table.name() + " already exists, statement succeeded.");
    }
    if (exists && !ct.orReplace()) {
      throw alreadyExists(table.name());
    }
    if (exists) {
      new LoadMetadata(warehouse).reset(table);
    }
    String create = ct.orReplace() ? "CREATE OR REPLACE TABLE " : "CREATE TABLE ";
    if (ct.asSelect().isPresent()) {
      ExactIdentifiers.check(s.connection(), ct.asSelect().get());
    }
    if (ct.asSelect().isPresent() && ct.columns().isEmpty()) {
      exec(s.connection(), create + table.toDuckSql() + " AS " + ct.asSelect().get());
    } else {
      exec(s.connection(), create + table.toDuckSql() + " (" + columnDdl(ct.columns()) + ")");
      commentColumns(s.connection(), table, ct.columns());
      if (ct.asSelect().isPresent()) {
        exec(s.connection(), "INSERT INTO " + table.toDuckSql() + " " + ct.asSelect().get());
      }
    }
    return QueryResult.status("Table " + table.name() + " successfully created.");
  }

  private static String columnDdl(List<ColumnDef> columns) {
    StringBuilder ddl = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      ColumnDef c = columns.get(i);
      ddl.append(i == 0 ? "" : ", ")
          .append(ObjectName.quote(c.name()))
          .append(' ')
          .append(c.type().duckType())
          .append(c.constraints().isEmpty() ? "" : " ")
          .append(c.constraints());
    }
    return ddl.toString();
  }

  /** Remembers the declared Snowflake type (VARIANT vs OBJECT vs ARRAY...) for DESC TABLE. */
  private static void commentColumns(Connection conn, ObjectName table, List<ColumnDef> columns)
      throws SQLException {
    for (ColumnDef c : columns) {
      exec(
          conn,
          "COMMENT ON COLUMN "
              + table.toDuckSql()
              + "."
              + ObjectName.quote(c.name())
              + " IS '"
              + c.type().label()
              + "'");
    }
  }

  static boolean relationExists(Connection conn, ObjectName name) throws SQLException {
    return CatalogReads.exists(
        conn,
        "SELECT 1 FROM duckdb_columns() WHERE database_name = ? AND"
            + " schema_name = ? AND table_name = ? LIMIT 1",
        name.database(),
        name.schema(),
        name.name());
  }

  QueryResult addColumns(SessionState s, AddColumns add) throws SQLException {
    ObjectName table = s.qualify(add.table());
    if (!relationExists(s.connection(), table)) {
      throw SnowflakeSqlException.notFound("Table", table.display());
    }
    for (ColumnDef c : add.columns()) {
      exec(
          s.connection(),
          "ALTER TABLE "
              + table.toDuckSql()
              + " ADD COLUMN "
              + (add.ifNotExists() ? "IF NOT EXISTS " : "")
              + ObjectName.quote(c.name())
              + " "
              + c.type().duckType());
    }
    commentColumns(s.connection(), table, add.columns());
    return QueryResult.status(OK);
  }

  QueryResult createView(SessionState s, CreateView view) throws SQLException {
    ObjectName name = s.qualify(view.name());
    ExactIdentifiers.check(s.connection(), view.select());
    exec(
        s.connection(),
        (view.orReplace() ? "CREATE OR REPLACE VIEW " : "CREATE VIEW ")
            + name.toDuckSql()
            + " AS "
            + view.select());
    return QueryResult.status("View " + name.name() + " successfully created.");
  }

  QueryResult createDynamicTable(SessionState s, CreateDynamicTable dt) throws SQLException {
    ObjectName name = s.qualify(dt.name());
    boolean exists = relationExists(s.connection(), name);
    if (exists && dt.ifNotExists()) {
      return QueryResult.status(name.name() + " already exists, statement succeeded.");
    }
    if (exists && !dt.orReplace()) {
      throw alreadyExists(name.name());
    }
    ExactIdentifiers.check(s.connection(), dt.select());
    dynamicTables.create(name, dt.select(), dt.targetLag());
    return QueryResult.status("Table " + name.name() + " successfully created.");
  }

  QueryResult refreshDynamicTable(SessionState s, ObjectName table) throws SQLException {
    ObjectName name = s.qualify(table);
    dynamicTables.refresh(name);
    return QueryResult.status(OK);
  }

  QueryResult drop(SessionState s, DropObject drop) throws SQLException {
    ObjectName name = s.qualify(drop.name());
    if (!relationExists(s.connection(), name)) {
      if (drop.ifExists()) {
        return QueryResult.status(
            "Drop statement executed successfully (" + name.name() + " already dropped).");
      }
      throw SnowflakeSqlException.notFound(
          drop.kind().equals("VIEW") ? "View" : "Table", name.display());
    }
    String kind = drop.kind().equals("VIEW") ? "VIEW" : "TABLE";
    exec(s.connection(), "DROP " + kind + " " + name.toDuckSql());
    if (kind.equals("TABLE")) {
      new LoadMetadata(warehouse).reset(name);
    }
    if (drop.kind().equals("DYNAMIC TABLE")) {
      dynamicTables.drop(name);
    }
    return QueryResult.status(name.name() + " successfully dropped.");
  }

  QueryResult describeTable(SessionState s, Describe describe) throws SQLException {
    ObjectName name = s.qualify(describe.name());
    List<List<String>> columns =
        CatalogReads.strings(
            s.connection(),
            "SELECT column_name, data_type, is_nullable, column_default, comment FROM duckdb_columns()"
                + " WHERE database_name = ? AND schema_name = ? AND table_name = ?"
                + " ORDER BY column_index",
            name.database(),
            name.schema(),
            name.name());
    if (columns.isEmpty()) {
      throw SnowflakeSqlException.notFound(
          describe.kind().equals("VIEW") ? "View" : "Table", name.display());
    }
    List<List<String>> rows = new ArrayList<>();
    for (List<String> c : columns) {
      String type =
          c.get(4) == null || c.get(4).isEmpty()
              ? SnowflakeType.labelForDuckType(c.get(1))
              : c.get(4);
      rows.add(
          java.util.Arrays.asList(
              c.get(0),
              type,
              "COLUMN",
              "true".equalsIgnoreCase(c.get(2)) ? "Y" : "N",
              c.get(3),
              "N",
              "N",
              null,
              null,
              null,
              null,
              null));
    }
    List<Column> cols = new ArrayList<>();
    for (String n :
        List.of(
            "name",
            "type",
            "kind",
            "null?",
            "default",
            "primary key",
            "unique key",
            "check",
            "expression",
            "comment",
            "policy name",
            "privacy domain")) {
      cols.add(Column.text(n));
    }
    return new QueryResult(cols, rows, QueryResult.DESCRIBE);
  }

  QueryResult user(UserDdl ddl) {
    String name = ddl.user().name();
    ddl.password().ifPresent(p -> users.setPassword(name, p));
    ddl.rsaPublicKey()
        .ifPresent(
            k -> {
              try {
                users.setPublicKey(name, RsaPublicKeys.parse(k));
              } catch (IllegalArgumentException e) {
                throw new SnowflakeSqlException(
                    "002029", "22023", "Invalid RSA public key: " + e.getMessage());
              }
            });
    return QueryResult.status(OK);
  }

  static SnowflakeSqlException alreadyExists(String name) {
    return new SnowflakeSqlException(
        SnowflakeSqlException.ALREADY_EXISTS,
        "42710",
        "SQL compilation error:\nObject '" + name + "' already exists.");
  }

  static void exec(Connection conn, String sql) throws SQLException {
    try (java.sql.Statement st = conn.createStatement()) {
      st.execute(sql);
    }
  }
}
