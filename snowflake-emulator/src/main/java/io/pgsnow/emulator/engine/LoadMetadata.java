package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.load.LoadRecord;
import io.pgsnow.emulator.sql.ObjectName;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.Statement.Truncate;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The load metadata of bulk COPY INTO, as Snowflake documents it: kept per table for 64 days, so a
 * file is not loaded into the same table twice (unless FORCE); deleted by TRUNCATE TABLE and gone
 * with a replaced or dropped table, after which the same files load again. TRUNCATE keeps the loads
 * in the load history (COPY_HISTORY, LOAD_HISTORY); a dropped table takes its history along.
 */
final class LoadMetadata {

  /** How long Snowflake keeps a table's load metadata. */
  static final Duration RETENTION = Duration.ofDays(64);

  private final Warehouse warehouse;

  LoadMetadata(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** The history key of bulk loads into {@code table} (a qualified name). */
  static String key(ObjectName table) {
    return "COPY:" + table.display();
  }

  /** Stage paths loaded into {@code table} within the retention period. */
  Set<String> loadedPaths(ObjectName table, Instant now) {
    Instant oldest = now.minus(RETENTION);
    Set<String> paths = new HashSet<>();
    for (LoadRecord r : warehouse.metadata().loads(key(table))) {
      if (r.lastInsertTime().isAfter(oldest)) {
        paths.add(r.path());
      }
    }
    return paths;
  }

  /** Forgets what was loaded into {@code table} (a qualified name): it is dropped or replaced. */
  void reset(ObjectName table) {
    warehouse.metadata().forgetTable(key(table), table);
  }

  /** TRUNCATE [TABLE] [IF EXISTS]: deletes the rows and the table's load metadata. */
  QueryResult truncate(SessionState s, Truncate truncate) throws SQLException {
    ObjectName table = s.qualify(truncate.table());
    if (!CatalogCommands.relationExists(s.connection(), table)) {
      if (truncate.ifExists()) {
        return QueryResult.status("Statement executed successfully.");
      }
      throw SnowflakeSqlException.notFound("Table", table.display());
    }
    CatalogCommands.exec(s.connection(), "DELETE FROM " + table.toDuckSql());
    warehouse.metadata().endLoadMetadata(key(table));
    return QueryResult.status("Statement executed successfully.");
  }
}
