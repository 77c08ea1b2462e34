package io.pgsnow.sink.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.snowflake.client.api.connection.SnowflakeConnection;
import net.snowflake.client.api.connection.UploadStreamConfig;

/**
 * JDBC connections for {@link SnowflakeSession}'s unit tests: statements and stream uploads against
 * one in-memory stage shared by all of them (as Snowflake's stage outlives a session). A test holds
 * a call at a {@link Gate} (an upload by its file name, a statement by its text) or makes the next
 * one fail.
 */
final class FakeJdbc {

  /** Where a held call waits: {@code entered} once it arrived, until {@link #open()}. */
  static final class Gate {
    final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);

    void open() {
      open.countDown();
    }

    void pass() throws SQLException {
      entered.countDown();
      try {
        if (!open.await(60, TimeUnit.SECONDS)) {
          throw new SQLException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted at the gate", e);
      }
    }
  }

  /** A connection and whether it was closed. */
  record Opened(Connection connection, AtomicBoolean closed) {}

  final List<Opened> logins = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> stage = new ConcurrentHashMap<>();
  private final Map<String, Gate> gates = new ConcurrentHashMap<>();
  private final Map<String, SQLException> failures = new ConcurrentHashMap<>();

  /** Holds the next call with this key: an upload's file name or a statement's text. */
  Gate hold(String key) {
    Gate gate = new Gate();
    gates.put(key, gate);
    return gate;
  }

  /** The next statement with this text fails with {@code failure}. */
  void fail(String sql, SQLException failure) {
    failures.put(sql, failure);
  }

  /** The login: a new connection. */
  Connection open() {
    AtomicBoolean closed = new AtomicBoolean();
    SnowflakeConnection snowflake =
        proxy(
            SnowflakeConnection.class,
            (p, m, args) -> {
              if (m.getName().equals("uploadStream") && args.length == 4) {
                open(closed);
                upload((String) args[1], (InputStream) args[2], (UploadStreamConfig) args[3]);
                return null;
              }
              throw new UnsupportedOperationException(m.getName());
            });
    Connection connection =
        proxy(
            Connection.class,
            (p, m, args) ->
                switch (m.getName()) {
                  case "createStatement" -> statement(closed);
                  case "unwrap" -> snowflake;
                  case "isClosed" -> closed.get();
                  case "close" -> {
                    closed.set(true);
                    yield null;
                  }
                  default -> throw new UnsupportedOperationException(m.getName());
                });
    logins.add(new Opened(connection, closed));
    return connection;
  }

  private void upload(String fileName, InputStream bytes, UploadStreamConfig config)
      throws SQLException, IOException {
    arrive(fileName);
    stage.put(config.getDestPrefix() + "/" + fileName, bytes.readAllBytes().length);
  }

  private void arrive(String key) throws SQLException {
    Gate gate = gates.remove(key);
    if (gate != null) {
      gate.pass();
    }
    SQLException failure = failures.remove(key);
    if (failure != null) {
      throw failure;
    }
  }

  /** As the driver does, a call on a closed (logged out) connection fails. */
  private static void open(AtomicBoolean closed) throws SQLException {
    if (closed.get()) {
      throw new SQLException("connection closed");
    }
  }

  private Statement statement(AtomicBoolean closed) {
    return proxy(
        Statement.class,
        (p, m, args) ->
            switch (m.getName()) {
              case "setQueryTimeout", "close" -> null;
              case "execute" -> {
                arrive((String) args[0]);
                open(closed);
                yield false;
              }
              case "executeQuery" -> {
                arrive((String) args[0]);
                open(closed);
                yield list((String) args[0]);
              }
              default -> throw new UnsupportedOperationException(m.getName());
            });
  }

  /** {@code LIST @stage/prefix}: rows of NAME (the stage's name first) and SIZE. */
  private ResultSet list(String sql) {
    String target = sql.substring(sql.indexOf('@') + 1);
    String prefix = target.substring(target.indexOf('/') + 1);
    List<Map.Entry<String, Integer>> rows =
        stage.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).toList();
    String[] labels = {"NAME", "SIZE"};
    ResultSetMetaData meta =
        proxy(
            ResultSetMetaData.class,
            (p, m, args) ->
                switch (m.getName()) {
                  case "getColumnCount" -> labels.length;
                  case "getColumnLabel" -> labels[(Integer) args[0] - 1];
                  default -> throw new UnsupportedOperationException(m.getName());
                });
    int[] row = {-1};
    return proxy(
        ResultSet.class,
        (p, m, args) ->
            switch (m.getName()) {
              case "next" -> ++row[0] < rows.size();
              case "getMetaData" -> meta;
              case "getString" ->
                  (Integer) args[0] == 1
                      ? "stage/" + rows.get(row[0]).getKey()
                      : String.valueOf(rows.get(row[0]).getValue());
              case "close" -> null;
              default -> throw new UnsupportedOperationException(m.getName());
            });
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    InvocationHandler withObjectMethods =
        (p, m, args) ->
            switch (m.getName()) {
              case "toString" -> "fake " + type.getSimpleName();
              case "hashCode" -> System.identityHashCode(p);
              case "equals" -> p == args[0];
              default -> handler.invoke(p, m, args);
            };
    return type.cast(
        Proxy.newProxyInstance(
            FakeJdbc.class.getClassLoader(), new Class<?>[] {type}, withObjectMethods));
  }
}
