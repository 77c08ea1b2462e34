package io.pgsnow.sink.ingest;

import io.pgsnow.sink.naming.Identifier;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import net.snowflake.client.jdbc.SnowflakeConnection;
import net.snowflake.client.jdbc.SnowflakeDriver;

/**
 * One JDBC session: runs the connector's statements and uploads files to stages with the driver's
 * stream upload. Reconnects after a broken connection; the driver renews expired session tokens
 * itself. Callers serialize access.
 */
public final class SnowflakeSession implements AutoCloseable {

  static {
    // The driver registers itself when loaded; a plugin class loader must load it explicitly.
    try {
      DriverManager.registerDriver(new SnowflakeDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConnectionSettings settings;
  private Connection connection;

  public SnowflakeSession(ConnectionSettings settings) {
    this.settings = settings;
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      Properties p = new Properties();
      p.put("account", settings.url().account());
      p.put("user", settings.user());
      p.put("authenticator", "SNOWFLAKE_JWT");
      p.put("privateKey", settings.privateKey());
      p.put("db", settings.database().resolved());
      p.put("schema", settings.schema().resolved());
      settings.role().ifPresent(r -> p.put("role", r.resolved()));
      settings.warehouse().ifPresent(w -> p.put("warehouse", w.resolved()));
      p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
      p.put("CLIENT_TELEMETRY_ENABLED", "false");
      // The network timeout bounds the driver's retries. The socket timeout is passed as well,
      // but driver 3.24.2 does not apply it to a statement's request, so a statement that gets
      // no answer can still wait longer than the network timeout.
      ClientTimeouts timeouts = settings.timeouts();
      p.put("loginTimeout", Long.toString(timeouts.loginSeconds()));
      p.put("networkTimeout", Long.toString(timeouts.network().toMillis()));
      p.put("HTTP_CLIENT_SOCKET_TIMEOUT", Long.toString(timeouts.network().toMillis()));
      connection = new SnowflakeDriver().connect(settings.url().jdbcUrl(), p);
      try (Statement st = connection.createStatement()) {
        st.execute("USE DATABASE " + settings.database().sql());
        st.execute("USE SCHEMA " + settings.schema().sql());
      } catch (SQLException e) {
        // A session whose USE timed out is not known to be on the right schema: start over.
        close();
        throw e;
      }
    }
    return connection;
  }

  /** Runs a statement; drops the connection after a failure so the next call reconnects. */
  public void execute(String sql) throws SQLException {
    try (Statement st = connection().createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      resetIfBroken(e);
      throw e;
    }
  }

  /** Runs a prepared statement with string or number binds. */
  public int update(String sql, Object... binds) throws SQLException {
    try (PreparedStatement ps = connection().prepareStatement(sql)) {
      for (int i = 0; i < binds.length; i++) {
        ps.setObject(i + 1, binds[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      resetIfBroken(e);
      throw e;
    }
  }

  /** All rows as strings, columns by label (upper case). */
  public List<java.util.Map<String, String>> query(String sql) throws SQLException {
    List<java.util.Map<String, String>> rows = new ArrayList<>();
    try (Statement st = connection().createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        java.util.Map<String, String> row = new java.util.LinkedHashMap<>();
        for (int c = 1; c <= n; c++) {
          row.put(
              rs.getMetaData().getColumnLabel(c).toUpperCase(java.util.Locale.ROOT),
              rs.getString(c));
        }
        rows.add(row);
      }
    } catch (SQLException e) {
      resetIfBroken(e);
      throw e;
    }
    return rows;
  }

  /** Uploads bytes already gzipped to {@code @stage/directory/fileName}, replacing a same name. */
  public void upload(Identifier stage, String directory, String fileName, byte[] gzip)
      throws SQLException {
    try {
      connection()
          .unwrap(SnowflakeConnection.class)
          .uploadStream(stage.sql(), directory, new ByteArrayInputStream(gzip), fileName, false);
    } catch (SQLException e) {
      resetIfBroken(e);
      throw e;
    }
  }

  /** Paths relative to the stage of the files under {@code directory}. */
  public List<String> list(Identifier stage, String directory) throws SQLException {
    List<String> paths = new ArrayList<>();
    for (java.util.Map<String, String> row :
        query("LIST @" + stage.sql() + "/" + directory + "/")) {
      String name = row.get("NAME");
      int slash = name == null ? -1 : name.indexOf('/');
      if (slash > 0) {
        paths.add(name.substring(slash + 1));
      }
    }
    return paths;
  }

  private void resetIfBroken(SQLException e) {
    if (SnowflakeErrors.isTransient(e)) {
      close();
    }
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // the session is gone either way
      }
      connection = null;
    }
  }
}
