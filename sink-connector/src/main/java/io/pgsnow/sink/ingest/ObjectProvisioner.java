package io.pgsnow.sink.ingest;

import io.pgsnow.sink.ddl.DdlBuilder;
import io.pgsnow.sink.ddl.DdlBuilder.Column;
import io.pgsnow.sink.ddl.TableColumns;
import io.pgsnow.sink.naming.Identifier;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the table, stage and pipes if they do not exist and checks that existing ones are usable:
 * a table with VARIANT {@code RECORD_METADATA} and {@code RECORD_CONTENT}, a pipe whose COPY is the
 * one this connector would create. A pipe is never replaced, since that would drop the load history
 * Snowpipe deduplicates files by. With schematization the table starts with {@code RECORD_METADATA}
 * only and gains a typed column for each new field before a file carrying it is loaded.
 */
public final class ObjectProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectProvisioner.class);

  /** Snowflake's "SQL access control error: Insufficient privileges to operate on …". */
  private static final int INSUFFICIENT_PRIVILEGES = 3001;

  private final Session session;
  private final Set<String> ready = ConcurrentHashMap.newKeySet();

  /** Stages and pipes are checked under a lock of their own: partitions prepare theirs at once. */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  private final boolean schematized;
  private final Map<Identifier, TableColumns> columns = new ConcurrentHashMap<>();

  public ObjectProvisioner(Session session, boolean schematized) {
    this.session = session;
    this.schematized = schematized;
  }

  public synchronized void ensureTable(Identifier table) throws SQLException {
    if (!ready.add("TABLE " + table.sql())) {
      return;
    }
    boolean done = false;
    try {
      create(
          "TABLE",
          table,
          schematized
              ? DdlBuilder.createTypedTable(table, List.of())
              : DdlBuilder.createTable(table));
      Map<String, String> types = columnTypes(table);
      List<String> required =
          schematized
              ? List.of(DdlBuilder.METADATA_COLUMN)
              : List.of(DdlBuilder.METADATA_COLUMN, DdlBuilder.CONTENT_COLUMN);
      for (String column : required) {
        String type = types.get(column);
        if (type == null || !type.toUpperCase(Locale.ROOT).startsWith("VARIANT")) {
          throw new ConnectException(
              "Table "
                  + table.sql()
                  + " exists but has no VARIANT column "
                  + column
                  + " (columns: "
                  + types
                  + "); map the topic to another table with snowflake.topic2table.map");
        }
      }
      columns.computeIfAbsent(table, t -> new TableColumns()).known(types.keySet());
      done = true;
      LOG.info("Table {} is ready", table.sql());
    } finally {
      if (!done) {
        ready.remove("TABLE " + table.sql());
      }
    }
  }

  private Map<String, String> columnTypes(Identifier table) throws SQLException {
    Map<String, String> types = new java.util.LinkedHashMap<>();
    for (Map<String, String> row : session.query("DESC TABLE " + table.sql())) {
      types.put(row.get("NAME").toUpperCase(Locale.ROOT), row.get("TYPE"));
    }
    return types;
  }

  /**
   * The columns of {@code needed} a schematized table lacks, as far as this task knows; safe to
   * call without serializing, so records for known columns never wait for I/O.
   */
  public List<Column> missingColumns(Identifier table, List<Column> needed) {
    TableColumns known = columns.get(table);
    return known == null ? needed : known.missing(needed);
  }

  /**
   * Adds columns to a schematized table. {@code IF NOT EXISTS} makes it safe when another task or
   * Snowflake's schema evolution added the column first.
   */
  public synchronized void addColumns(Identifier table, List<Column> added) throws SQLException {
    TableColumns known = columns.computeIfAbsent(table, t -> new TableColumns());
    for (Column c : known.missing(added)) {
      session.execute(DdlBuilder.addColumn(table, c));
      known.added(List.of(c));
      LOG.info("Added column {} {} to table {}", c.name().sql(), c.type(), table.sql());
    }
  }

  public void ensureStage(Identifier stage) throws SQLException {
    String key = "STAGE " + stage.sql();
    synchronized (lockOf(key)) {
      if (ready.contains(key)) {
        return;
      }
      create("STAGE", stage, DdlBuilder.createStage(stage));
      session.query("DESC STAGE " + stage.sql());
      ready.add(key);
    }
    LOG.info("Stage {} is ready", stage.sql());
  }

  /**
   * Runs a {@code CREATE <kind> IF NOT EXISTS}. Snowflake answers 003001 "Insufficient privileges
   * to operate on schema" when the role has USAGE on the schema but not the CREATE privilege of the
   * kind (without USAGE the schema "does not exist or not authorized"), so the failure names the
   * missing grant.
   */
  private void create(String kind, Identifier object, String ddl) throws SQLException {
    try {
      session.execute(ddl);
    } catch (SQLException e) {
      if (e.getErrorCode() != INSUFFICIENT_PRIVILEGES) {
        throw e;
      }
      throw new SQLException(
          "Cannot create "
              + kind.toLowerCase(Locale.ROOT)
              + " "
              + object.sql()
              + ": the connector's role lacks the privilege CREATE "
              + kind
              + " on the schema (snowflake.schema.name); grant it with GRANT CREATE "
              + kind
              + " ON SCHEMA <database>.<schema> TO ROLE <role>. Snowflake said: "
              + e.getMessage(),
          e.getSQLState(),
          e.getErrorCode(),
          e);
    }
  }

  private Object lockOf(String key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }

  public void ensurePipe(Identifier pipe, Identifier table, Identifier stage) throws SQLException {
    String key = "PIPE " + pipe.sql();
    synchronized (lockOf(key)) {
      if (ready.contains(key)) {
        return;
      }
      create(
          "PIPE",
          pipe,
          schematized
              ? DdlBuilder.createSchematizedPipe(pipe, table, stage)
              : DdlBuilder.createPipe(pipe, table, stage));
      String expected =
          schematized
              ? DdlBuilder.schematizedCopy(table, stage)
              : DdlBuilder.copyInto(table, stage);
      String actual =
          session.query("DESC PIPE " + pipe.sql()).stream()
              .map(r -> r.get("DEFINITION"))
              .findFirst()
              .orElse("");
      if (!DdlBuilder.sameDefinition(actual, expected)) {
        throw new ConnectException(
            "Pipe "
                + pipe.sql()
                + " exists with a different definition: '"
                + actual
                + "', expected '"
                + expected
                + "'. Drop it or rename the connector.");
      }
      ready.add(key);
    }
    LOG.info("Pipe {} is ready", pipe.sql());
  }

  public synchronized void ensureErrorTable(Identifier table) throws SQLException {
    if (ready.add("ERRORS " + table.sql())) {
      try {
        session.execute(DdlBuilder.createErrorTable(table));
      } catch (SQLException e) {
        ready.remove("ERRORS " + table.sql());
        throw e;
      }
    }
  }
}
