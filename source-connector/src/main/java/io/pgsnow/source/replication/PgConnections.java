package io.pgsnow.source.replication;

import io.pgsnow.source.config.ConnectionOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.PGProperty;

/** Opens the connector's JDBC connections: regular ones and the replication one. */
public final class PgConnections {
  /** PostgreSQL keeps at most this many bytes of an application_name. */
  private static final int MAX_APPLICATION_NAME_BYTES = 63;

  /** The session settings that fix the text form of dates, intervals and money. */
  public static final String SESSION_OPTIONS =
      "-c DateStyle=ISO -c IntervalStyle=iso_8601 -c lc_monetary=C -c extra_float_digits=3";

  private final ConnectionOptions config;

  public PgConnections(ConnectionOptions config) {
    this.config = config;
  }

  public String url() {
    return "jdbc:postgresql://" + config.hostname() + ":" + config.port() + "/" + config.dbname();
  }

  public Connection regular() throws SQLException {
    return DriverManager.getConnection(url(), properties());
  }

  public Connection replication() throws SQLException {
    Properties props = properties();
    PGProperty.REPLICATION.set(props, "database");
    PGProperty.PREFER_QUERY_MODE.set(props, "simple");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
    return DriverManager.getConnection(url(), props);
  }

  /**
   * The application_name of a connector's sessions, {@code pgsnow-source:<connector>}: it tells in
   * {@code pg_stat_activity} which connector holds a replication slot. PostgreSQL keeps 63 bytes of
   * printable ASCII and alters the rest, so other characters become {@code _} and the name is cut
   * at 63: the server then shows exactly this name.
   */
  public static String applicationName(String connectorName) {
    String name = "pgsnow-source:" + connectorName;
    StringBuilder kept = new StringBuilder(MAX_APPLICATION_NAME_BYTES);
    for (int i = 0; i < name.length() && kept.length() < MAX_APPLICATION_NAME_BYTES; i++) {
      char c = name.charAt(i);
      kept.append(c >= ' ' && c <= '~' ? c : '_');
    }
    return kept.toString();
  }

  /** Closes a connection that may be broken already; null does nothing. */
  public static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // A broken connection holds nothing more to release.
      }
    }
  }

  private Properties properties() {
    Properties props = new Properties();
    PGProperty.USER.set(props, config.user());
    config.password().ifPresent(p -> PGProperty.PASSWORD.set(props, p.value()));
    PGProperty.SSL_MODE.set(props, config.sslmode());
    config.sslRootCert().ifPresent(cert -> PGProperty.SSL_ROOT_CERT.set(props, cert));
    PGProperty.APPLICATION_NAME.set(props, applicationName(config.connectorName()));
    PGProperty.CONNECT_TIMEOUT.set(props, 10);
    PGProperty.TCP_KEEP_ALIVE.set(props, true);
    // Values are read from their text, so the sessions fix the settings that shape it.
    PGProperty.OPTIONS.set(props, SESSION_OPTIONS);
    return props;
  }
}
