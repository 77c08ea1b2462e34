package io.pgsnow.source.replication;

import io.pgsnow.common.retry.Retries;
import io.pgsnow.common.retry.RetryPolicy;
import io.pgsnow.source.config.ConnectionOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGProperty;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the connector's JDBC connections: regular ones and the replication one. */
public final class PgConnections {
  private static final Logger LOG = LoggerFactory.getLogger(PgConnections.class);

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

  /**
   * A regular connection, tried again under {@code policy} while the failure {@link #isTransient is
   * transient}: a task that starts while PostgreSQL restarts (a rebalance or a worker restart at
   * that moment) waits for it as the replication stream's reconnects do, instead of failing until
   * restarted by hand.
   */
  public Connection regularWhenReady(RetryPolicy policy) throws SQLException {
    return whenReady(policy, "connect to " + url(), this::regular);
  }

  /** A step against PostgreSQL that may fail with an {@link SQLException}. */
  @FunctionalInterface
  public interface SqlStep<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code step}, and again under {@code policy} while it fails {@link #isTransient
   * transiently}; the step must be safe to repeat from its start.
   *
   * @param what the step, for the log: "Cannot {what} (...), trying again"
   */
  public static <T> T whenReady(RetryPolicy policy, String what, SqlStep<T> step)
      throws SQLException {
    Retries retries = new Retries(policy, e -> e instanceof SQLException sql && isTransient(sql));
    while (true) {
      try {
        return step.run();
      } catch (SQLException e) {
        Optional<Duration> wait = retries.failed(e);
        if (wait.isEmpty()) {
          throw e;
        }
        LOG.warn(
            "Cannot {} ({}), trying again in {} ms (failure {}; at most {} in a row)",
            what,
            e.getMessage(),
            wait.get().toMillis(),
            retries.failures(),
            policy.maxRetries() + 1);
        LockSupport.parkNanos(wait.get().toNanos());
        if (Thread.currentThread().isInterrupted()) {
          throw e;
        }
      }
    }
  }

  /**
   * Whether a failure is the server's or the network's rather than the request's, so that trying
   * again later can succeed: the connection was refused, lost or reset (class 08), the server is
   * shutting down (57P01 admin, 57P02 crash) or not accepting connections yet (57P03: starting up,
   * in recovery), or the slot is still held by the previous session (55006).
   */
  public static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return e instanceof PSQLException
        && (state == null
            || state.startsWith("08")
            || PSQLState.CONNECTION_FAILURE.getState().equals(state)
            || "55006".equals(state)
            || "57P01".equals(state)
            || "57P02".equals(state)
            || "57P03".equals(state));
  }

  public Connection replication() throws SQLException {
    return DriverManager.getConnection(url(), replicationProperties());
  }

  /** A replication connection whose socket {@code watch} sees closed by the server. */
  Connection replication(EndOfStreamSockets.Watch watch) throws SQLException {
    Properties props = replicationProperties();
    watch.configure(props);
    return DriverManager.getConnection(url(), props);
  }

  private Properties replicationProperties() {
    Properties props = properties();
    PGProperty.REPLICATION.set(props, "database");
    PGProperty.PREFER_QUERY_MODE.set(props, "simple");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
    return props;
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
