package io.pgsnow.emulator;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The driver's own API, as the ITs need it, for both client generations the emulator is tested
 * with: JDBC 3.x ({@code net.snowflake.client.jdbc.SnowflakeConnection}) and 4.x ({@code
 * net.snowflake.client.api.connection.SnowflakeConnection} with upload and download configs). The
 * failsafe execution decides which driver is on the class path; the tests compile against neither.
 */
final class DriverApi {

  private static final boolean CURRENT = present("net.snowflake.client.api.driver.SnowflakeDriver");

  private DriverApi() {}

  /** {@code true} when the ITs run against the current (4.x) driver. */
  static boolean current() {
    return CURRENT;
  }

  /**
   * A connection from the driver generation under test. Not through {@code DriverManager}: the
   * ingest SDK 4.x jar registers its own embedded copy of driver 3.25 as a {@code java.sql.Driver},
   * which would otherwise answer some of the connections.
   */
  static Connection connect(String url, Properties properties) throws SQLException {
    Driver driver;
    try {
      driver =
          (Driver)
              type(CURRENT
                      ? "net.snowflake.client.api.driver.SnowflakeDriver"
                      : "net.snowflake.client.jdbc.SnowflakeDriver")
                  .getConstructor()
                  .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    Connection connection = driver.connect(url, properties);
    if (connection == null) {
      throw new SQLException("The Snowflake driver does not accept " + url);
    }
    return connection;
  }

  /** Uploads a stream to {@code @stage/prefix/name}, compressing it when asked. */
  static void uploadStream(
      Connection conn, String stage, String prefix, InputStream data, String name, boolean compress)
      throws SQLException {
    if (CURRENT) {
      Object config =
          builder("net.snowflake.client.api.connection.UploadStreamConfig")
              .call("setDestPrefix", String.class, prefix)
              .call("setCompressData", boolean.class, compress)
              .build();
      Class<?> api = type("net.snowflake.client.api.connection.SnowflakeConnection");
      invoke(
          conn.unwrap(api),
          method(
              api,
              "uploadStream",
              String.class,
              String.class,
              InputStream.class,
              config.getClass()),
          stage,
          name,
          data,
          config);
    } else {
      Class<?> api = type("net.snowflake.client.jdbc.SnowflakeConnection");
      invoke(
          conn.unwrap(api),
          method(
              api,
              "uploadStream",
              String.class,
              String.class,
              InputStream.class,
              String.class,
              boolean.class),
          stage,
          prefix,
          data,
          name,
          compress);
    }
  }

  /** Downloads {@code @stage/path}, decompressing it when asked. */
  static InputStream downloadStream(Connection conn, String stage, String path, boolean decompress)
      throws SQLException {
    if (CURRENT) {
      Object config =
          builder("net.snowflake.client.api.connection.DownloadStreamConfig")
              .call("setDecompress", boolean.class, decompress)
              .build();
      Class<?> api = type("net.snowflake.client.api.connection.SnowflakeConnection");
      return (InputStream)
          invoke(
              conn.unwrap(api),
              method(api, "downloadStream", String.class, String.class, config.getClass()),
              stage,
              path,
              config);
    }
    Class<?> api = type("net.snowflake.client.jdbc.SnowflakeConnection");
    return (InputStream)
        invoke(
            conn.unwrap(api),
            method(api, "downloadStream", String.class, String.class, boolean.class),
            stage,
            path,
            decompress);
  }

  /** Sets a statement-level session parameter such as {@code MULTI_STATEMENT_COUNT}. */
  static void setParameter(Statement st, String name, Object value) throws SQLException {
    Class<?> api =
        type(
            CURRENT
                ? "net.snowflake.client.api.statement.SnowflakeStatement"
                : "net.snowflake.client.jdbc.SnowflakeStatement");
    invoke(st.unwrap(api), method(api, "setParameter", String.class, Object.class), name, value);
  }

  private static final class Builder {
    private Object builder;

    Builder(Object builder) {
      this.builder = builder;
    }

    Builder call(String name, Class<?> parameter, Object value) {
      builder = invokeUnchecked(method(builder.getClass(), name, parameter), builder, value);
      return this;
    }

    Object build() {
      return invokeUnchecked(method(builder.getClass(), "build"), builder);
    }
  }

  private static Builder builder(String configClass) {
    return new Builder(invokeUnchecked(method(type(configClass), "builder"), null));
  }

  private static boolean present(String name) {
    try {
      Class.forName(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static Class<?> type(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Method method(Class<?> type, String name, Class<?>... parameters) {
    try {
      return type.getMethod(name, parameters);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object invoke(Object target, Method method, Object... args) throws SQLException {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object invokeUnchecked(Method method, Object target, Object... args) {
    try {
      return invoke(target, method, args);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
