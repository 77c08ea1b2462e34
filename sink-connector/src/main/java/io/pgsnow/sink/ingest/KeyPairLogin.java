package io.pgsnow.sink.ingest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import net.snowflake.client.api.driver.SnowflakeDriver;

/**
 * The driver's key-pair login with the sink's client timeouts: how a {@link SnowflakeSession}
 * connects.
 */
final class KeyPairLogin implements SnowflakeSession.Connector {

  static {
    // The driver registers itself when loaded; a plugin class loader must load it explicitly.
    try {
      DriverManager.registerDriver(new SnowflakeDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConnectionSettings settings;

  KeyPairLogin(ConnectionSettings settings) {
    this.settings = settings;
  }

  @Override
  public Connection open() throws SQLException {
    return new SnowflakeDriver().connect(settings.url().jdbcUrl(), properties());
  }

  private Properties properties() {
    ClientTimeouts timeouts = settings.timeouts();
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
    // No calls home: driver 4.x would otherwise probe the cloud metadata endpoints at each login.
    p.put("disablePlatformDetection", "true");
    // The network timeout bounds the driver's retries of a failed request. The socket timeout is
    // passed as well, though driver 3.24.2 does not apply it to statements; the session's call
    // bounds cover what neither ends.
    p.put("loginTimeout", Long.toString(timeouts.loginSeconds()));
    p.put("networkTimeout", Long.toString(timeouts.network().toMillis()));
    p.put("HTTP_CLIENT_SOCKET_TIMEOUT", Long.toString(timeouts.network().toMillis()));
    return p;
  }
}
