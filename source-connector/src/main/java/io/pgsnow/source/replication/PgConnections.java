package io.pgsnow.source.replication;

import io.pgsnow.source.PostgresCdcSourceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.PGProperty;

/** Opens the connector's JDBC connections: regular ones and the replication one. */
public final class PgConnections {
  private final PostgresCdcSourceConfig config;

  public PgConnections(PostgresCdcSourceConfig config) {
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

  private Properties properties() {
    Properties props = new Properties();
    PGProperty.USER.set(props, config.user());
    config.password().ifPresent(p -> PGProperty.PASSWORD.set(props, p.value()));
    PGProperty.SSL_MODE.set(props, config.sslmode());
    config.sslRootCert().ifPresent(cert -> PGProperty.SSL_ROOT_CERT.set(props, cert));
    PGProperty.APPLICATION_NAME.set(props, "pgsnow-source");
    PGProperty.CONNECT_TIMEOUT.set(props, 10);
    PGProperty.TCP_KEEP_ALIVE.set(props, true);
    return props;
  }
}
