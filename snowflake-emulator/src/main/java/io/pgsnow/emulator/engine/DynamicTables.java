package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.ObjectName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic tables are materialised as plain tables, computed when created and recomputed from their
 * query on a fixed interval of about a second. That keeps every table within any TARGET_LAG
 * Snowflake accepts (at least one minute), and Snowflake documents target lag as a staleness
 * target, not a refresh interval. A table with TARGET_LAG = DOWNSTREAM is refreshed on schedule
 * only while another dynamic table's query names it, as Snowflake refreshes such a table only for
 * the dynamic tables that depend on it; otherwise only by ALTER DYNAMIC TABLE … REFRESH.
 */
public final class DynamicTables implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DynamicTables.class);
  private static final String KIND = "DYNAMIC TABLE";
  private static final String DOWNSTREAM = "DOWNSTREAM";

  private final Warehouse warehouse;
  private final ScheduledExecutorService scheduler;
  private final Connection refreshConnection;

  public DynamicTables(Warehouse warehouse, Duration interval) throws SQLException {
    this.warehouse = warehouse;
    this.refreshConnection = warehouse.newConnection();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "emulator-dynamic-tables");
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(100, interval.toMillis());
    scheduler.scheduleWithFixedDelay(this::refreshAll, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** The query is stored with the schema it was written in, because its names are unqualified. */
  synchronized void create(ObjectName name, String select, String targetLag) throws SQLException {
    warehouse.metadata().putObject(KIND, name, select, targetLag);
    refresh(name);
  }

  /** Runs on the refresher's own connection so the caller's current schema is untouched. */
  synchronized void refresh(ObjectName name) throws SQLException {
    Connection conn = refreshConnection;
    var definition = warehouse.metadata().object(KIND, name);
    if (definition.isEmpty()) {
      throw io.pgsnow.emulator.sql.SnowflakeSqlException.notFound("Dynamic table", name.display());
    }
    try (java.sql.Statement st = conn.createStatement()) {
      st.execute("USE " + new ObjectName(null, name.database(), name.schema()).toDuckSql());
      st.execute(
          "CREATE OR REPLACE TABLE " + name.toDuckSql() + " AS " + definition.get().definition());
    }
  }

  void drop(ObjectName name) {
    warehouse.metadata().removeObject(KIND, name);
  }

  private synchronized void refreshAll() {
    List<MetadataStore.CatalogObject> tables = warehouse.metadata().objects(KIND, null, null);
    for (var table : tables) {
      if (DOWNSTREAM.equalsIgnoreCase(table.extra()) && !hasDependents(table, tables)) {
        continue;
      }
      try {
        refresh(table.name());
      } catch (SQLException | RuntimeException e) {
        LOG.debug("Refreshing dynamic table {} failed: {}", table.name().display(), e.getMessage());
      }
    }
  }

  /**
   * Whether another dynamic table's query names {@code table}. Read from the query's text, so a
   * column of the same name counts too: such a table is refreshed more often, never less.
   */
  private static boolean hasDependents(
      MetadataStore.CatalogObject table, List<MetadataStore.CatalogObject> tables) {
    Pattern name =
        Pattern.compile(
            "(?<![\\w$])\"?" + Pattern.quote(table.name().name()) + "\"?(?![\\w$])",
            Pattern.CASE_INSENSITIVE);
    return tables.stream()
        .filter(t -> !t.name().equals(table.name()))
        .anyMatch(t -> name.matcher(t.definition()).find());
  }

  @Override
  public void close() throws SQLException {
    scheduler.shutdownNow();
    refreshConnection.close();
  }
}
