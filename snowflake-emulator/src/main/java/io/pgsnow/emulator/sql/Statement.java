package io.pgsnow.emulator.sql;

import java.util.List;
import java.util.Optional;

/** A parsed Snowflake statement: either a command the emulator runs itself, or DuckDB SQL. */
public sealed interface Statement {

  /** CREATE/DROP of a database or schema. */
  record DatabaseObjectDdl(
      String kind, boolean create, ObjectName name, boolean orReplace, boolean ifClause)
      implements Statement {}

  /** USE DATABASE / SCHEMA / WAREHOUSE / ROLE. */
  record Use(String kind, ObjectName name) implements Statement {}

  /** One column definition of CREATE TABLE or ALTER TABLE ADD COLUMN. */
  record ColumnDef(String name, SnowflakeType type, String constraints) {}

  /** CREATE TABLE with columns or AS SELECT (already translated to DuckDB). */
  record CreateTable(
      ObjectName name,
      boolean orReplace,
      boolean ifNotExists,
      List<ColumnDef> columns,
      Optional<String> asSelect)
      implements Statement {}

  /** TRUNCATE [TABLE] [IF EXISTS]. */
  record Truncate(ObjectName table, boolean ifExists) implements Statement {}

  /** ALTER TABLE ADD COLUMN. */
  record AddColumns(ObjectName table, boolean ifNotExists, List<ColumnDef> columns)
      implements Statement {}

  /** CREATE VIEW; the select is DuckDB SQL. */
  record CreateView(ObjectName name, boolean orReplace, String select) implements Statement {}

  /** CREATE DYNAMIC TABLE; refreshed by the emulator from {@code select} (DuckDB SQL). */
  record CreateDynamicTable(
      ObjectName name,
      boolean orReplace,
      boolean ifNotExists,
      String targetLag,
      ObjectName warehouse,
      String select)
      implements Statement {}

  /** ALTER DYNAMIC TABLE ... REFRESH. */
  record RefreshDynamicTable(ObjectName name) implements Statement {}

  /** DROP TABLE / VIEW / STAGE / PIPE / DYNAMIC TABLE. */
  record DropObject(String kind, ObjectName name, boolean ifExists) implements Statement {}

  /** CREATE STAGE. */
  record CreateStage(ObjectName name, boolean orReplace, boolean ifNotExists)
      implements Statement {}

  /** CREATE PIPE; {@code definition} is the COPY text exactly as given, for DESC PIPE. */
  record CreatePipe(
      ObjectName name, boolean orReplace, boolean ifNotExists, String definition, CopyInto copy)
      implements Statement {}

  /** One projected column of a COPY transformation: {@code $n[:path][::type]}. */
  record CopyProjection(int column, List<String> path, Optional<SnowflakeType> cast) {}

  /** COPY INTO a table from a stage. */
  record CopyInto(
      ObjectName table,
      List<String> columns,
      StageRef source,
      Optional<List<CopyProjection>> projections,
      String fileFormatType,
      boolean stripOuterArray,
      String matchByColumnName,
      String onError,
      List<String> files,
      Optional<String> pattern,
      boolean force)
      implements Statement {

    /** Whether MATCH_BY_COLUMN_NAME is CASE_SENSITIVE or CASE_INSENSITIVE (not NONE). */
    public boolean matchesByName() {
      return !matchByColumnName.equals("NONE");
    }
  }

  /** SHOW ... [LIKE '...'] [IN ...]. */
  /**
   * @param inKind the word after IN: DATABASE, SCHEMA, ACCOUNT, or empty when there is none
   */
  record Show(String kind, Optional<String> like, Optional<ObjectName> in, String inKind)
      implements Statement {}

  /** DESC[RIBE] TABLE / VIEW / STAGE / PIPE. */
  record Describe(String kind, ObjectName name) implements Statement {}

  /** LIST @stage. */
  record ListStage(StageRef stage, Optional<String> pattern) implements Statement {}

  /** REMOVE @stage. */
  record RemoveStage(StageRef stage, Optional<String> pattern) implements Statement {}

  /** PUT file://... @stage. */
  record Put(String localPath, StageRef stage, boolean autoCompress, boolean overwrite)
      implements Statement {}

  /** GET @stage file://dir. */
  record Get(StageRef stage, String localDirectory, Optional<String> pattern)
      implements Statement {}

  /** CREATE USER / ALTER USER ... SET PASSWORD / RSA_PUBLIC_KEY / DEFAULT_ROLE. */
  record UserDdl(
      ObjectName user,
      Optional<String> password,
      Optional<String> rsaPublicKey,
      Optional<String> defaultRole)
      implements Statement {}

  /** CREATE ROLE [IF NOT EXISTS]. */
  record CreateRole(String role, boolean ifNotExists) implements Statement {}

  /** GRANT ROLE r TO USER u. */
  record GrantRole(String role, String user) implements Statement {}

  /**
   * GRANT privileges ON DATABASE / SCHEMA / WAREHOUSE name TO ROLE r; {@code privileges} such as
   * {@code USAGE} or {@code CREATE TABLE}.
   */
  record GrantPrivileges(List<String> privileges, String onKind, ObjectName on, String role)
      implements Statement {}

  /** A statement accepted without effect (warehouses, ALTER SESSION, transactions). */
  record Accepted(String message) implements Statement {}

  /** DuckDB SQL to run as is; {@code kind} decides the result shape. */
  /**
   * A statement passed to DuckDB after translation; {@code labels} are the query's Snowflake column
   * labels ({@link SelectLabels}), null when DuckDB's stand.
   */
  record Sql(String duckSql, SqlKind kind, List<String> labels) implements Statement {

    public Sql(String duckSql, SqlKind kind) {
      this(duckSql, kind, null);
    }
  }

  /** How a passed-through statement answers. */
  enum SqlKind {
    QUERY,
    INSERT,
    UPDATE,
    DELETE,
    MERGE,
    DDL
  }
}
