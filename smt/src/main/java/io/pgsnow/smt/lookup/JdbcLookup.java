package io.pgsnow.smt.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows looked up by a parameterised query ({@code SELECT ... WHERE id = ?}, one parameter per key
 * part) on a JDBC database, behind a cache with separate lifetimes for hits and misses. Every call
 * is bounded by the timeout: statement timeout, connect and socket timeouts.
 */
public final class JdbcLookup implements LookupSource {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcLookup.class);
  private static final Optional<Object> MISS = Optional.empty();

  private final String url;
  private final Properties properties;
  private final String query;
  private final Duration timeout;
  private final Cache<LookupKey, Optional<Object>> cache;
  private Connection connection;
  private PreparedStatement statement;
  private volatile Schema schema;
  private long queries;

  /**
   * @param cacheSize rows (hits and misses) kept; 0 disables the cache
   * @param ttl how long a found row is reused
   * @param negativeTtl how long a miss is remembered; zero asks the database every time
   * @param ticker the clock the cache's TTLs are measured on
   */
  public JdbcLookup(
      String url,
      String user,
      String password,
      String query,
      Duration timeout,
      long cacheSize,
      Duration ttl,
      Duration negativeTtl,
      Ticker ticker) {
    this.url = url;
    this.query = query;
    this.timeout = timeout;
    this.properties = connectionProperties(url, user, password, timeout);
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(cacheSize)
            .executor(Runnable::run)
            .ticker(ticker)
            .expireAfter(
                Expiry.<LookupKey, Optional<Object>>creating(
                    (key, row) -> row.isPresent() ? ttl : negativeTtl))
            .build();
  }

  private static Properties connectionProperties(
      String url, String user, String password, Duration timeout) {
    Properties props = new Properties();
    if (user != null && !user.isEmpty()) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    if (url.startsWith("jdbc:postgresql:")) {
      long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
      // The server cancels slow statements itself; the socket timeout backs it when the server
      // or network stops answering, so a lookup cannot hang the task.
      props.setProperty("options", "-c statement_timeout=" + timeout.toMillis());
      props.setProperty("connectTimeout", Long.toString(seconds));
      props.setProperty("loginTimeout", Long.toString(seconds));
      props.setProperty("socketTimeout", Long.toString(seconds + 5));
      props.setProperty("ApplicationName", "pgsnow-lookup");
    }
    return props;
  }

  @Override
  public void awaitReady(Duration wait) throws LookupFailedException {
    try {
      prepared();
    } catch (SQLException e) {
      closeConnection();
      throw new LookupFailedException("Cannot prepare lookup query on " + url, e);
    }
  }

  @Override
  public Optional<Object> lookup(LookupKey key) throws LookupFailedException {
    Optional<Object> cached = cache.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    Optional<Object> row = query(key);
    cache.put(key, row);
    return row;
  }

  private Optional<Object> query(LookupKey key) throws LookupFailedException {
    try {
      PreparedStatement ps = prepared();
      for (int i = 0; i < key.parts().size(); i++) {
        ps.setObject(i + 1, key.parts().get(i));
      }
      queries++;
      try (ResultSet rs = ps.executeQuery()) {
        if (schema == null) {
          schema = ResultSetRows.schemaOf(rs.getMetaData());
        }
        if (!rs.next()) {
          return MISS;
        }
        Struct row = ResultSetRows.read(rs, schema);
        return Optional.of(row);
      }
    } catch (SQLException e) {
      // The connection may be broken or in an aborted state: start over on the next lookup.
      closeConnection();
      throw new LookupFailedException("Lookup of " + key.parts() + " failed: " + e.getMessage(), e);
    }
  }

  private PreparedStatement prepared() throws SQLException {
    if (statement == null) {
      connection = DriverManager.getConnection(url, properties);
      connection.setReadOnly(true);
      statement = connection.prepareStatement(query);
      statement.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
      if (schema == null && statement.getMetaData() != null) {
        schema = ResultSetRows.schemaOf(statement.getMetaData());
      }
      LOG.info("Lookup query prepared on {}", url);
    }
    return statement;
  }

  @Override
  public Optional<Schema> rowSchema() {
    return Optional.ofNullable(schema);
  }

  /** Queries sent to the database so far, for tests of the cache. */
  public long queries() {
    return queries;
  }

  @Override
  public void close() {
    closeConnection();
    cache.invalidateAll();
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("Closing lookup connection to {} failed", url, e);
      }
    }
    connection = null;
    statement = null;
  }
}
