package io.pgsnow.source.snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** The snapshot keys of the source connector, with Debezium's names, and their typed values. */
public final class SnapshotConfig {
  public static final String MODE = "snapshot.mode";
  public static final String MAX_THREADS = "snapshot.max.threads";
  public static final String FETCH_SIZE = "snapshot.fetch.size";
  public static final String INCLUDE = "snapshot.include.collection.list";
  public static final String OVERRIDES = "snapshot.select.statement.overrides";
  public static final String CHUNK_SIZE = "incremental.snapshot.chunk.size";
  public static final String SIGNAL_TABLE = "signal.data.collection";

  private static final String GROUP = "Snapshot";

  /** When the connector copies the rows a table already holds. */
  public enum Mode {
    /** When the connector has no offsets yet, then stream. */
    INITIAL,
    /** When the connector has no offsets yet, then stop emitting (no streaming). */
    INITIAL_ONLY,
    /** Never: stream from the slot's position. */
    NO_DATA,
    /** When there are no offsets or the slot the offsets point into is gone. */
    WHEN_NEEDED,
    /** On every start. */
    ALWAYS;

    static Mode parse(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      return "never".equals(v) ? NO_DATA : valueOf(v.toUpperCase(Locale.ROOT));
    }
  }

  private final Mode mode;
  private final int maxThreads;
  private final int fetchSize;
  private final int chunkSize;
  private final List<Pattern> include;
  private final Map<String, String> overrides;
  private final String signalTable;

  public SnapshotConfig(AbstractConfig config) {
    this.mode = Mode.parse(config.getString(MODE));
    this.maxThreads = config.getInt(MAX_THREADS);
    this.fetchSize = config.getInt(FETCH_SIZE);
    this.chunkSize = config.getInt(CHUNK_SIZE);
    this.include = new ArrayList<>();
    for (String regex : config.getList(INCLUDE)) {
      if (!regex.isBlank()) {
        include.add(Pattern.compile(regex.trim()));
      }
    }
    this.overrides = new HashMap<>();
    for (String table : config.getList(OVERRIDES)) {
      String key = OVERRIDES + "." + table.trim();
      Object statement = config.originals().get(key);
      if (statement == null || statement.toString().isBlank()) {
        throw new ConfigException(
            OVERRIDES,
            table,
            "Table " + table.trim() + " is listed but " + key + " holds no SELECT statement");
      }
      overrides.put(table.trim(), statement.toString().trim());
    }
    String signal = config.getString(SIGNAL_TABLE);
    this.signalTable = signal == null || signal.isBlank() ? null : signal.trim();
    if (signalTable != null && signalTable.split("\\.").length != 2) {
      throw new ConfigException(
          SIGNAL_TABLE, signalTable, "Name the signal table as <schema>.<table>");
    }
  }

  public Mode mode() {
    return mode;
  }

  public int maxThreads() {
    return maxThreads;
  }

  public int fetchSize() {
    return fetchSize;
  }

  public int chunkSize() {
    return chunkSize;
  }

  /** Whether a captured table takes part in snapshots ({@link #INCLUDE}, all when empty). */
  public boolean snapshots(String schema, String table) {
    if (include.isEmpty()) {
      return true;
    }
    String name = schema + "." + table;
    return include.stream().anyMatch(p -> p.matcher(name).matches());
  }

  /** The SELECT that replaces the whole table for a snapshot, if one is set. */
  public Optional<String> override(String schema, String table) {
    return Optional.ofNullable(overrides.get(schema + "." + table));
  }

  /** The signal table as {@code schema.table}, if set. */
  public Optional<String> signalTable() {
    return Optional.ofNullable(signalTable);
  }

  /** Adds the snapshot group to the connector's ConfigDef. */
  public static void define(ConfigDef def) {
    int order = 0;
    def.define(
        MODE,
        Type.STRING,
        "initial",
        ConfigDef.CaseInsensitiveValidString.in(
            "initial", "initial_only", "no_data", "never", "when_needed", "always"),
        Importance.HIGH,
        "When the rows tables already hold are copied, as Debezium's modes: initial: when the"
            + " connector has no offsets, then it streams; initial_only: the same, then it emits"
            + " nothing more; no_data (alias never): never, it streams from the slot's position;"
            + " when_needed: when there are no offsets or the slot they point into is gone;"
            + " always: on every start, then it streams. A snapshot read under the slot's"
            + " exported snapshot is exactly consistent with the stream that follows it.",
        GROUP,
        ++order,
        Width.SHORT,
        "Snapshot mode");
    def.define(
        MAX_THREADS,
        Type.INT,
        4,
        ConfigDef.Range.between(1, 64),
        Importance.MEDIUM,
        "Connections reading the snapshot in parallel in each task that reads it; each reads whole"
            + " chunks (block ranges) of any table. With tasks.max above 1 the initial snapshot"
            + " under a new slot is spread over that many tasks, each with this many connections"
            + " and its own converter and producer; task 0 streams once all chunks are in Kafka.",
        GROUP,
        ++order,
        Width.SHORT,
        "Snapshot threads");
    def.define(
        FETCH_SIZE,
        Type.INT,
        10_240,
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        "Rows fetched per round trip when a snapshot reads with a cursor (overridden SELECTs and"
            + " incremental chunks); block-range chunks are streamed with COPY.",
        GROUP,
        ++order,
        Width.SHORT,
        "Snapshot fetch size");
    def.define(
        INCLUDE,
        Type.LIST,
        "",
        Importance.MEDIUM,
        "Regular expressions matching <schema>.<table> of the captured tables to snapshot; empty"
            + " snapshots every captured table. Other tables are only streamed.",
        GROUP,
        ++order,
        Width.LONG,
        "Snapshot tables");
    def.define(
        OVERRIDES,
        Type.LIST,
        "",
        Importance.LOW,
        "Tables (<schema>.<table>) whose snapshot reads the SELECT statement given in"
            + " snapshot.select.statement.overrides.<schema>.<table> instead of the whole table,"
            + " e.g. to leave out old rows with a WHERE filter. The statement must return the"
            + " table's columns by name; such a table is read as one chunk.",
        GROUP,
        ++order,
        Width.LONG,
        "Snapshot SELECT overrides");
    def.define(
        CHUNK_SIZE,
        Type.INT,
        1024,
        ConfigDef.Range.atLeast(1),
        Importance.MEDIUM,
        "Rows per chunk of an incremental snapshot (read in primary key order between two"
            + " watermarks while the stream goes on).",
        GROUP,
        ++order,
        Width.SHORT,
        "Incremental chunk size");
    def.define(
        SIGNAL_TABLE,
        Type.STRING,
        null,
        Importance.MEDIUM,
        "<schema>.<table> of Debezium's signal table (columns id, type, data, all text):"
            + " inserting type execute-snapshot with data {\"data-collections\":"
            + " [\"public.orders\"]} starts an incremental snapshot of those tables, stop-snapshot"
            + " stops it. The connector adds the table to a filtered publication.",
        GROUP,
        ++order,
        Width.MEDIUM,
        "Signal table");
  }
}
