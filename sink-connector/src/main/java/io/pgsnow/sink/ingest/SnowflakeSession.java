package io.pgsnow.sink.ingest;

import io.pgsnow.common.call.BoundedCalls;
import io.pgsnow.sink.naming.Identifier;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import net.snowflake.client.api.connection.SnowflakeConnection;
import net.snowflake.client.api.connection.UploadStreamConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JDBC session: runs the connector's statements and uploads files to stages with the driver's
 * stream upload. Reconnects after a broken connection; the driver renews expired session tokens
 * itself.
 *
 * <p>Calls of several threads (the partitions' upload threads, the background loads, recovery) run
 * concurrently on one JDBC connection ({@link SharedConnection} says why the driver allows it).
 * Only logging in is serialized: callers that find no connection wait for one login (bounded as
 * below).
 *
 * <p>Every call is bounded. The driver (3.24 and 4.4 alike: the emulator's ClientTimeoutIT runs
 * against both) waits minutes for a request the service does not answer (its socket timeout setting
 * is not applied to statements) and waits out or retries an unanswered key-pair login without end
 * (4.4 waits, 3.24 retries), so logins, statements and uploads run on a call thread and the caller
 * stops waiting after the login timeout, or after the statement timeout plus the network timeout.
 * Statements also carry the statement timeout as their query timeout, so the driver cancels them on
 * the service. An abandoned call keeps its connection, which is closed once the call ends; the
 * session logs in again for the next call.
 */
public final class SnowflakeSession implements Session {

  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeSession.class);

  /** How long one login attempt may stay unanswered before a new one replaces it. */
  static final Duration LOGIN_ATTEMPT_LIMIT = Duration.ofSeconds(10);

  /** The caller stopped waiting for a call; the call may still complete later. */
  static final class AbandonedCallException extends SQLTimeoutException {
    AbandonedCallException(String message) {
      super(message);
    }
  }

  /** The session is closed (the task is stopping): a call refused, it never ran. */
  static final class ClosedSessionException extends SQLException {
    ClosedSessionException(Throwable cause) {
      super("The Snowflake session is closed: the task is stopping", cause);
    }
  }

  @FunctionalInterface
  private interface ConnectionCall<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Opens a logged-in JDBC connection: {@link KeyPairLogin}; a fake in unit tests. */
  @FunctionalInterface
  interface Connector {
    Connection open() throws SQLException;
  }

  private final ConnectionSettings settings;
  private final ClientTimeouts timeouts;
  private final Connector connector;
  private final BoundedCalls calls = new BoundedCalls("pgsnow-snowflake-call-");

  /** Guards the fields below: taken to find or open the connection, never during a call. */
  private final Object connecting = new Object();

  private SharedConnection current;
  private CompletableFuture<Connection> pendingLogin;
  private long pendingLoginSince;
  private boolean closed;

  public SnowflakeSession(ConnectionSettings settings) {
    this(settings, new KeyPairLogin(settings));
  }

  SnowflakeSession(ConnectionSettings settings, Connector connector) {
    this.settings = settings;
    this.timeouts = settings.timeouts();
    this.connector = connector;
  }

  /** The connection for one more call, counted on it: the current one, or a new login. */
  private SharedConnection acquire() throws SQLException {
    synchronized (connecting) {
      if (closed) {
        throw new ClosedSessionException(null);
      }
      if (current != null && !current.connection().isClosed() && current.acquire()) {
        return current;
      }
      if (current != null) {
        current.retire();
        current = null;
      }
      Connection c = login();
      try {
        onConnection(c, "USE DATABASE", on -> run(on, "USE DATABASE " + settings.database().sql()));
        onConnection(c, "USE SCHEMA", on -> run(on, "USE SCHEMA " + settings.schema().sql()));
      } catch (SQLException e) {
        // A session whose USE failed is not known to be on the right schema: start over.
        if (!(e instanceof AbandonedCallException)) {
          closeLater(c);
        }
        throw e;
      }
      SharedConnection shared = new SharedConnection(c, this::closeLater);
      shared.acquire();
      current = shared;
      return shared;
    }
  }

  /** After a transient failure: the next call logs in again; running calls finish first. */
  private void retire(SharedConnection shared) {
    synchronized (connecting) {
      if (current == shared) {
        current = null;
      }
    }
    shared.retire();
  }

  /**
   * Logs in on a call thread and waits at most the login timeout. A login still unanswered then is
   * waited for again by the next call, so an outage does not pile up logins, until it is {@link
   * #LOGIN_ATTEMPT_LIMIT} old: driver 4.x never gives up on an unanswered key-pair login (3.x
   * retried it after 10 s), so then the attempt is abandoned and a new one starts.
   */
  private Connection login() throws SQLException {
    if (pendingLogin != null
        && System.nanoTime() - pendingLoginSince > LOGIN_ATTEMPT_LIMIT.toNanos()) {
      LOG.warn(
          "Abandoning a login unanswered for {} s; logging in again",
          LOGIN_ATTEMPT_LIMIT.toSeconds());
      pendingLogin.whenComplete(
          (late, failure) -> {
            if (late != null) {
              closeLater(late);
            }
          });
      pendingLogin = null;
    }
    if (pendingLogin == null) {
      pendingLoginSince = System.nanoTime();
      pendingLogin = submit(connector::open);
    }
    try {
      Connection c = await("the login", timeouts.login(), pendingLogin);
      pendingLogin = null;
      return c;
    } catch (AbandonedCallException e) {
      throw e;
    } catch (SQLException | RuntimeException e) {
      pendingLogin = null;
      throw e;
    }
  }

  /** Runs a statement on {@code c} with the statement timeout, on the calling thread. */
  private Void run(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(timeouts.statementSeconds());
      st.execute(sql);
    }
    return null;
  }

  /** Runs a statement; drops the connection after a failure so the next call reconnects. */
  @Override
  public void execute(String sql) throws SQLException {
    withConnection(describe(sql), timeouts.callLimit(), c -> run(c, sql));
  }

  /** Runs a prepared statement with string or number binds. */
  @Override
  public int update(String sql, Object... binds) throws SQLException {
    return withConnection(
        describe(sql),
        timeouts.callLimit(),
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(timeouts.statementSeconds());
            for (int i = 0; i < binds.length; i++) {
              ps.setObject(i + 1, binds[i]);
            }
            return ps.executeUpdate();
          }
        });
  }

  /** All rows as strings, columns by label (upper case). */
  @Override
  public List<Map<String, String>> query(String sql) throws SQLException {
    return withConnection(describe(sql), timeouts.callLimit(), c -> rows(c, sql));
  }

  private List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(timeouts.statementSeconds());
      try (ResultSet rs = st.executeQuery(sql)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Map<String, String> row = new LinkedHashMap<>();
          for (int col = 1; col <= n; col++) {
            row.put(
                rs.getMetaData().getColumnLabel(col).toUpperCase(Locale.ROOT), rs.getString(col));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /**
   * Uploads bytes already gzipped to {@code @stage/directory/fileName}, replacing a same name, and
   * checks that the stage holds them. Driver 4.x retries a PUT to the storage service's presigned
   * URL that failed (a 5xx) by sending the request again with its body stream already read: the
   * storage then holds an empty file and the driver reports success (3.x did not retry that PUT, so
   * the upload failed). Snowpipe would load the empty file as LOADED with no rows, and its records
   * would be lost, so a stage holding fewer bytes than were sent is a transient failure and the
   * next attempt uploads the same bytes under the same name. (Client-side encryption, which
   * Snowflake's internal stages use, only adds padding to the stored size.) The upload and its
   * check are one call, bounded by the call limit plus the statement timeout of the check: a task
   * stopping meanwhile lets both end.
   */
  @Override
  public void upload(Identifier stage, String directory, String fileName, byte[] gzip)
      throws SQLException {
    String path = directory + "/" + fileName;
    long stored =
        withConnection(
            "the upload of " + path,
            timeouts.callLimit().plus(timeouts.statement()),
            c -> {
              c.unwrap(SnowflakeConnection.class)
                  .uploadStream(
                      stage.sql(),
                      fileName,
                      new ByteArrayInputStream(gzip),
                      UploadStreamConfig.builder()
                          .setDestPrefix(directory)
                          .setCompressData(false)
                          .build());
              return listing(c, stage, path).stream()
                  .filter(f -> f.path().equals(path))
                  .mapToLong(StagedFile::size)
                  .findFirst()
                  .orElse(-1);
            });
    if (stored < gzip.length) {
      throw new SQLTransientException(
          "The stage holds "
              + (stored < 0 ? "no file" : stored + " bytes")
              + " at "
              + path
              + " after an upload of "
              + gzip.length
              + " bytes that the driver reported as done");
    }
  }

  /** The files under {@code directory}, with paths relative to the stage. */
  @Override
  public List<StagedFile> list(Identifier stage, String directory) throws SQLException {
    String prefix = directory + "/";
    return withConnection(
        "the listing of " + prefix, timeouts.callLimit(), c -> listing(c, stage, prefix));
  }

  /** The files whose path relative to the stage starts with {@code prefix}. */
  private List<StagedFile> listing(Connection c, Identifier stage, String prefix)
      throws SQLException {
    List<StagedFile> files = new ArrayList<>();
    for (Map<String, String> row : rows(c, "LIST @" + stage.sql() + "/" + prefix)) {
      String name = row.get("NAME");
      int slash = name == null ? -1 : name.indexOf('/');
      if (slash > 0) {
        String size = row.get("SIZE");
        files.add(
            new StagedFile(name.substring(slash + 1), size == null ? -1 : Long.parseLong(size)));
      }
    }
    return files;
  }

  /**
   * Runs {@code call} on the shared connection, bounded; the call counts on the connection until it
   * ends, also when its caller stopped waiting for it.
   */
  private <T> T withConnection(String what, Duration limit, ConnectionCall<T> call)
      throws SQLException {
    SharedConnection shared = acquire();
    BoundedCalls.Call<T> counted =
        () -> {
          try {
            return call.run(shared.connection());
          } finally {
            shared.release();
          }
        };
    try {
      return bounded(what, limit, counted, late -> {});
    } catch (ClosedSessionException e) {
      shared.release();
      throw e;
    } catch (SQLException e) {
      if (SnowflakeErrors.isTransient(e)) {
        retire(shared);
      }
      throw e;
    }
  }

  private <T> T onConnection(Connection c, String what, ConnectionCall<T> call)
      throws SQLException {
    return bounded(what, timeouts.callLimit(), () -> call.run(c), late -> closeLater(c));
  }

  private <T> T bounded(
      String what, Duration limit, BoundedCalls.Call<T> call, Consumer<T> abandoned)
      throws SQLException {
    try {
      return calls.call(limit, call, abandoned);
    } catch (TimeoutException | InterruptedException | ExecutionException e) {
      throw failure(what, limit, e);
    } catch (RejectedExecutionException e) {
      throw new ClosedSessionException(e);
    }
  }

  private <T> CompletableFuture<T> submit(BoundedCalls.Call<T> call) throws SQLException {
    try {
      return calls.start(call);
    } catch (RejectedExecutionException e) {
      throw new ClosedSessionException(e);
    }
  }

  /** The call's result, or {@link AbandonedCallException} if it takes longer than {@code limit}. */
  private static <T> T await(String what, Duration limit, CompletableFuture<T> result)
      throws SQLException {
    try {
      return BoundedCalls.await(result, limit);
    } catch (TimeoutException | InterruptedException | ExecutionException e) {
      throw failure(what, limit, e);
    }
  }

  /** What the caller of a bounded call sees when it did not return a result. */
  private static SQLException failure(String what, Duration limit, Exception e) {
    if (e instanceof TimeoutException) {
      LOG.warn("Snowflake did not answer {} within {} ms", what, limit.toMillis());
      return new AbandonedCallException(
          "Snowflake did not answer " + what + " within " + limit.toMillis() + " ms");
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new AbandonedCallException("Interrupted while waiting for " + what);
    }
    return rethrown(what, e.getCause());
  }

  private static SQLException rethrown(String what, Throwable cause) {
    if (cause instanceof SQLException sql) {
      return sql;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new SQLException(what + " failed", cause);
  }

  /** The statement's first words, for messages: never binds or file contents. */
  private static String describe(String sql) {
    String head = sql.strip();
    int end = Math.min(head.length(), 60);
    return "the statement '" + head.substring(0, end) + (end < head.length() ? "…'" : "'");
  }

  /**
   * Closes a connection on a call thread: a logout the service does not answer cannot block.
   *
   * @return completes once the connection is closed
   */
  private CompletableFuture<Void> closeLater(Connection c) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (c == null) {
      done.complete(null);
      return done;
    }
    calls.runLater(
        () -> {
          closeQuietly(c);
          done.complete(null);
        });
    return done;
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      // the session is gone either way
    }
  }

  /**
   * Refuses new calls, lets the calls running on the connection finish, then logs out; waits at
   * most the network timeout for all of it, then stops the call threads (interrupting calls still
   * running: the connection is closed when the last of them ends). Calls abandoned earlier close
   * their connections when they end.
   */
  @Override
  public void close() {
    SharedConnection shared;
    synchronized (connecting) {
      closed = true;
      if (pendingLogin != null) {
        pendingLogin.whenComplete((late, failure) -> closeLater(late));
        pendingLogin = null;
      }
      shared = current;
      current = null;
    }
    CompletableFuture<Void> logout =
        shared == null ? CompletableFuture.completedFuture(null) : shared.retire();
    try {
      BoundedCalls.await(logout, timeouts.network());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "Calls on the Snowflake session did not end within {} ms of the task's stop; stopping"
              + " them: {}",
          timeouts.network().toMillis(),
          e.toString());
    }
    calls.close();
  }
}
