package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.auth.RsaPublicKeys;
import io.pgsnow.emulator.auth.UserDirectory;
import io.pgsnow.emulator.load.FileLoadResult;
import io.pgsnow.emulator.load.LoadRecord;
import io.pgsnow.emulator.sql.ObjectName;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The emulator's own catalog (databases, users, stages, pipes, dynamic tables, load history), kept
 * in DuckDB so a persistent emulator restarts with the same state.
 */
public final class MetadataStore implements UserDirectory.Store, AutoCloseable {

  /** A named stage or pipe or dynamic table row. */
  public record CatalogObject(
      ObjectName name, String definition, String extra, Instant createdOn) {}

  private static final List<String> SCHEMA =
      List.of(
          "CREATE SCHEMA IF NOT EXISTS emulator_meta",
          "CREATE TABLE IF NOT EXISTS emulator_meta.databases (name VARCHAR PRIMARY KEY)",
          "CREATE TABLE IF NOT EXISTS emulator_meta.users (name VARCHAR PRIMARY KEY,"
              + " password VARCHAR, public_key VARCHAR)",
          "CREATE TABLE IF NOT EXISTS emulator_meta.objects (kind VARCHAR, db VARCHAR, sch VARCHAR,"
              + " name VARCHAR, definition VARCHAR, extra VARCHAR, created_on BIGINT,"
              + " PRIMARY KEY (kind, db, sch, name))",
          "CREATE TABLE IF NOT EXISTS emulator_meta.load_history (seq BIGINT, pipe VARCHAR,"
              + " path VARCHAR, stage_location VARCHAR, file_size BIGINT, time_received BIGINT,"
              + " last_insert_time BIGINT, status VARCHAR, rows_parsed BIGINT, rows_loaded BIGINT,"
              + " errors_seen BIGINT, first_error VARCHAR, first_error_line BIGINT)",
          // The target table and pipe of each load, for COPY_HISTORY and LOAD_HISTORY; whether the
          // entry still counts as the table's load metadata (TRUNCATE ends that, not the history).
          "ALTER TABLE emulator_meta.load_history ADD COLUMN IF NOT EXISTS table_db VARCHAR",
          "ALTER TABLE emulator_meta.load_history ADD COLUMN IF NOT EXISTS table_schema VARCHAR",
          "ALTER TABLE emulator_meta.load_history ADD COLUMN IF NOT EXISTS table_name VARCHAR",
          "ALTER TABLE emulator_meta.load_history ADD COLUMN IF NOT EXISTS pipe_db VARCHAR",
          "ALTER TABLE emulator_meta.load_history ADD COLUMN IF NOT EXISTS pipe_schema VARCHAR",
          "ALTER TABLE emulator_meta.load_history ADD COLUMN IF NOT EXISTS pipe_name VARCHAR",
          "ALTER TABLE emulator_meta.load_history ADD COLUMN IF NOT EXISTS"
              + " load_metadata BOOLEAN DEFAULT true");

  private final Connection conn;

  MetadataStore(Connection conn) throws SQLException {
    this.conn = conn;
    try (Statement st = conn.createStatement()) {
      for (String ddl : SCHEMA) {
        st.execute(ddl);
      }
    }
  }

  public synchronized List<String> databases() {
    List<String> names = new ArrayList<>();
    query(
        "SELECT name FROM emulator_meta.databases ORDER BY name",
        List.of(),
        rs -> names.add(rs.getString(1)));
    return names;
  }

  synchronized void addDatabase(String name) {
    update("INSERT OR IGNORE INTO emulator_meta.databases VALUES (?)", List.of(name));
  }

  synchronized void removeDatabase(String name) {
    update("DELETE FROM emulator_meta.databases WHERE name = ?", List.of(name));
    update("DELETE FROM emulator_meta.objects WHERE db = ?", List.of(name));
  }

  @Override
  public synchronized void save(UserDirectory.User user) {
    String key =
        user.publicKeys().isEmpty() ? null : RsaPublicKeys.encode(user.publicKeys().get(0));
    List<Object> args = new ArrayList<>();
    args.add(user.name());
    args.add(user.password().orElse(null));
    args.add(key);
    update("INSERT OR REPLACE INTO emulator_meta.users VALUES (?, ?, ?)", args);
  }

  @Override
  public synchronized List<UserDirectory.User> loadAll() {
    List<UserDirectory.User> users = new ArrayList<>();
    query(
        "SELECT name, password, public_key FROM emulator_meta.users",
        List.of(),
        rs -> {
          List<PublicKey> keys =
              rs.getString(3) == null ? List.of() : List.of(RsaPublicKeys.parse(rs.getString(3)));
          users.add(
              new UserDirectory.User(rs.getString(1), Optional.ofNullable(rs.getString(2)), keys));
        });
    return users;
  }

  /** Stores a STAGE, PIPE or DYNAMIC TABLE, replacing any previous definition. */
  public synchronized void putObject(
      String kind, ObjectName name, String definition, String extra) {
    update(
        "INSERT OR REPLACE INTO emulator_meta.objects VALUES (?, ?, ?, ?, ?, ?, ?)",
        List.of(
            kind,
            name.database(),
            name.schema(),
            name.name(),
            definition,
            extra,
            System.currentTimeMillis()));
  }

  public synchronized boolean removeObject(String kind, ObjectName name) {
    boolean existed = object(kind, name).isPresent();
    update(
        "DELETE FROM emulator_meta.objects WHERE kind = ? AND db = ? AND sch = ? AND name = ?",
        List.of(kind, name.database(), name.schema(), name.name()));
    return existed;
  }

  public synchronized Optional<CatalogObject> object(String kind, ObjectName name) {
    List<CatalogObject> found =
        objects(
            kind,
            "db = ? AND sch = ? AND name = ?",
            List.of(name.database(), name.schema(), name.name()));
    return found.stream().findFirst();
  }

  /** Objects of a kind in a schema (or a database when {@code schema} is null, or everywhere). */
  public synchronized List<CatalogObject> objects(String kind, String database, String schema) {
    if (database == null) {
      return objects(kind, "TRUE", List.of());
    }
    return schema == null
        ? objects(kind, "db = ?", List.of(database))
        : objects(kind, "db = ? AND sch = ?", List.of(database, schema));
  }

  private List<CatalogObject> objects(String kind, String where, List<Object> args) {
    List<Object> all = new ArrayList<>();
    all.add(kind);
    all.addAll(args);
    List<CatalogObject> out = new ArrayList<>();
    query(
        "SELECT db, sch, name, definition, extra, created_on FROM emulator_meta.objects"
            + " WHERE kind = ? AND "
            + where
            + " ORDER BY db, sch, name",
        all,
        rs ->
            out.add(
                new CatalogObject(
                    new ObjectName(rs.getString(1), rs.getString(2), rs.getString(3)),
                    rs.getString(4),
                    rs.getString(5),
                    Instant.ofEpochMilli(rs.getLong(6)))));
    return out;
  }

  private long nextLoadSequence() {
    long[] max = {0};
    query(
        "SELECT coalesce(max(seq), 0) FROM emulator_meta.load_history",
        List.of(),
        rs -> max[0] = rs.getLong(1));
    return max[0] + 1;
  }

  /**
   * Appends a file's outcome, received at {@code received} and done now, to the history kept under
   * {@code key} (a pipe's name or a table's COPY key): a load into {@code table}, through {@code
   * pipe} for Snowpipe or by a COPY INTO when empty.
   */
  public synchronized void recordLoad(
      String key,
      String path,
      String stageLocation,
      long fileSize,
      Instant received,
      FileLoadResult result,
      ObjectName table,
      Optional<ObjectName> pipe) {
    addLoad(
        new LoadRecord(
            nextLoadSequence(),
            key,
            path,
            stageLocation,
            fileSize,
            received,
            Instant.now(),
            result),
        table,
        pipe);
  }

  private void addLoad(LoadRecord r, ObjectName table, Optional<ObjectName> pipe) {
    FileLoadResult res = r.result();
    List<Object> args =
        new ArrayList<>(
            List.of(
                r.sequence(),
                r.pipe(),
                r.path(),
                r.stageLocation(),
                r.fileSize(),
                r.timeReceived().toEpochMilli(),
                r.lastInsertTime().toEpochMilli(),
                res.status().name(),
                res.rowsParsed(),
                res.rowsLoaded(),
                res.errorsSeen()));
    args.add(res.firstError().orElse(null));
    args.add(res.firstErrorLine().orElse(null));
    args.addAll(List.of(table.database(), table.schema(), table.name()));
    args.add(pipe.map(ObjectName::database).orElse(null));
    args.add(pipe.map(ObjectName::schema).orElse(null));
    args.add(pipe.map(ObjectName::name).orElse(null));
    update(
        "INSERT INTO emulator_meta.load_history (seq, pipe, path, stage_location, file_size,"
            + " time_received, last_insert_time, status, rows_parsed, rows_loaded, errors_seen,"
            + " first_error, first_error_line, table_db, table_schema, table_name, pipe_db,"
            + " pipe_schema, pipe_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?)",
        args);
  }

  /**
   * Deletes the history kept under {@code copyKey} (a table's COPY key) and detaches the Snowpipe
   * loads into {@code table} from it: the table is dropped or replaced, and its history goes with
   * it. The pipes keep their own load metadata.
   */
  public synchronized void forgetTable(String copyKey, ObjectName table) {
    update("DELETE FROM emulator_meta.load_history WHERE pipe = ?", List.of(copyKey));
    update(
        "UPDATE emulator_meta.load_history SET table_db = NULL, table_schema = NULL,"
            + " table_name = NULL WHERE table_db = ? AND table_schema = ? AND table_name = ?",
        List.of(table.database(), table.schema(), table.name()));
  }

  /** Ends the load metadata kept under {@code copyKey}; the loads stay in the history. */
  public synchronized void endLoadMetadata(String copyKey) {
    update(
        "UPDATE emulator_meta.load_history SET load_metadata = false WHERE pipe = ?",
        List.of(copyKey));
  }

  /**
   * Load metadata of one pipe (or table COPY key), or of all when {@code pipe} is null, oldest
   * first.
   */
  public synchronized List<LoadRecord> loads(String pipe) {
    List<LoadRecord> out = new ArrayList<>();
    String where = " WHERE coalesce(load_metadata, true)" + (pipe == null ? "" : " AND pipe = ?");
    query(
        "SELECT seq, pipe, path, stage_location, file_size, time_received, last_insert_time,"
            + " status, rows_parsed, rows_loaded, errors_seen, first_error, first_error_line"
            + " FROM emulator_meta.load_history"
            + where
            + " ORDER BY seq",
        pipe == null ? List.of() : List.of(pipe),
        rs -> out.add(loadRecord(rs)));
    return out;
  }

  private static LoadRecord loadRecord(ResultSet rs) throws SQLException {
    long line = rs.getLong(13);
    Optional<Long> errorLine = rs.wasNull() ? Optional.empty() : Optional.of(line);
    FileLoadResult result =
        new FileLoadResult(
            FileLoadResult.Status.valueOf(rs.getString(8)),
            rs.getLong(9),
            rs.getLong(10),
            rs.getLong(11),
            Optional.ofNullable(rs.getString(12)),
            errorLine);
    return new LoadRecord(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        Instant.ofEpochMilli(rs.getLong(6)),
        Instant.ofEpochMilli(rs.getLong(7)),
        result);
  }

  /** Row callback that may throw SQLException. */
  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private void query(String sql, List<Object> args, RowReader reader) {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Emulator metadata query failed: " + e.getMessage(), e);
    }
  }

  private void update(String sql, List<Object> args) {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      bind(ps, args);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Emulator metadata update failed: " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    conn.close();
  }
}
