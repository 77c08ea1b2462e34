package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.ObjectName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DuckDB instance behind the emulator. Each Snowflake database is an attached DuckDB catalog (a
 * file under {@code databases/} in persistent mode), so three-part names work natively; the
 * emulator's own state lives in the root catalog's {@code emulator_meta} schema.
 */
public final class Warehouse implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

  private final Optional<Path> dataDir;

  /** Makes DuckDB report a failure as its structured error, which {@link DuckDbErrors} reads. */
  static final String ERRORS_AS_JSON = "SET errors_as_json = true";

  private final DuckDBConnection root;
  private final MetadataStore metadata;
  private final String rootCatalog;

  public Warehouse(Optional<Path> dataDir) {
    this.dataDir = dataDir;
    try {
      String url =
          dataDir.map(d -> "jdbc:duckdb:" + d.resolve("emulator.duckdb")).orElse("jdbc:duckdb:");
      if (dataDir.isPresent()) {
        Files.createDirectories(dataDir.get().resolve("databases"));
      }
      this.root = (DuckDBConnection) DriverManager.getConnection(url);
      this.metadata = new MetadataStore(root.duplicate());
      this.rootCatalog = CatalogReads.strings(root, "SELECT current_database()").get(0).get(0);
      for (String database : metadata.databases()) {
        attach(database);
      }
      LOG.info(
          "DuckDB warehouse open ({}), {} database(s)",
          dataDir.map(Path::toString).orElse("in memory"),
          metadata.databases().size());
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot open DuckDB: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The DuckDB catalog holding emulator state; sessions without a database sit here. */
  public String rootCatalog() {
    return rootCatalog;
  }

  public MetadataStore metadata() {
    return metadata;
  }

  /**
   * A new connection sharing the instance, with the Snowflake function macros installed and errors
   * reported as JSON ({@link io.pgsnow.emulator.load.DuckDbFailure}).
   */
  public Connection newConnection() throws SQLException {
    Connection conn = root.duplicate();
    try (Statement st = conn.createStatement()) {
      st.execute(ERRORS_AS_JSON);
    }
    DuckDbFunctions.install(conn);
    return conn;
  }

  public boolean databaseExists(String name) {
    return metadata.databases().contains(name);
  }

  public synchronized void createDatabase(String name) throws SQLException {
    attach(name);
    try (Statement st = root.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + ObjectName.quote(name) + ".\"PUBLIC\"");
    }
    metadata.addDatabase(name);
  }

  private void attach(String name) throws SQLException {
    String location =
        dataDir
            .map(
                d ->
                    d.resolve("databases")
                        .resolve(URLEncoder.encode(name, StandardCharsets.UTF_8) + ".duckdb")
                        .toString())
            .orElse(":memory:");
    try (Statement st = root.createStatement()) {
      st.execute(
          "ATTACH IF NOT EXISTS '"
              + location.replace("'", "''")
              + "' AS "
              + ObjectName.quote(name));
    }
  }

  public synchronized void dropDatabase(String name) throws SQLException {
    try (Statement st = root.createStatement()) {
      st.execute("DETACH DATABASE IF EXISTS " + ObjectName.quote(name));
    }
    metadata.removeDatabase(name);
    if (dataDir.isPresent()) {
      try {
        Files.deleteIfExists(
            dataDir
                .get()
                .resolve("databases")
                .resolve(URLEncoder.encode(name, StandardCharsets.UTF_8) + ".duckdb"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public List<String> databases() {
    return metadata.databases();
  }

  @Override
  public void close() {
    try {
      metadata.close();
      root.close();
    } catch (SQLException e) {
      LOG.warn("Closing DuckDB failed: {}", e.getMessage());
    }
  }
}
