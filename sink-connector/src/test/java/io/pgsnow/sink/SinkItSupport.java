package io.pgsnow.sink;

import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectCluster;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Shared set-up of the sink's integration tests: an emulator, a key pair, connector configs. */
final class SinkItSupport {
  static final Path PLUGINS = Path.of("target", "plugin");
  static final String USER = "KAFKA_SINK";
  static final String PASSWORD = "s3cret";
  static final String DATABASE = "KAFKA_DB";

  private SinkItSupport() {}

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static SnowflakeEmulator emulator(KeyPair keys) throws SQLException {
    SnowflakeEmulator emulator =
        SnowflakeEmulator.builder().user(USER, PASSWORD).userKey(USER, keys.getPublic()).start();
    try (Connection c = connect(emulator, null)) {
      exec(c, "CREATE DATABASE IF NOT EXISTS " + DATABASE);
    }
    return emulator;
  }

  static ConnectCluster.Builder cluster() {
    return ConnectCluster.builder().pluginPath(PLUGINS);
  }

  /** The private key as the seed's {@code grep -v BEGIN | tr -d '\n'} gives it: bare base64. */
  static String privateKeyText(KeyPair keys) {
    return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
  }

  static Map<String, String> sinkConfig(
      SnowflakeEmulator emulator, KeyPair keys, String topics, boolean schemas) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", SnowflakeSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", topics);
    config.put("snowflake.url.name", emulator.accountUrl());
    config.put("snowflake.user.name", USER);
    config.put("snowflake.private.key", privateKeyText(keys));
    config.put("snowflake.database.name", DATABASE);
    config.put("snowflake.schema.name", "PUBLIC");
    config.put("buffer.flush.time", "2");
    config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", Boolean.toString(schemas));
    return config;
  }

  static Connection connect(SnowflakeEmulator emulator, String database) throws SQLException {
    Properties p = new Properties();
    p.put("account", "EMULATOR");
    p.put("user", USER);
    p.put("password", PASSWORD);
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    if (database != null) {
      p.put("db", database);
      p.put("schema", "PUBLIC");
    }
    return DriverManager.getConnection(emulator.jdbcUrl(), p);
  }

  static void exec(Connection conn, String... statements) throws SQLException {
    try (Statement st = conn.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  static List<List<String>> rows(SnowflakeEmulator emulator, String sql) throws SQLException {
    try (Connection conn = connect(emulator, DATABASE)) {
      return rows(conn, sql);
    }
  }

  static List<List<String>> rows(Connection conn, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
          row.add(rs.getString(c));
        }
        out.add(row);
      }
    }
    return out;
  }

  /** Committed offsets of a sink connector by partition; empty while none are committed. */
  static Map<Integer, Long> committed(ConnectCluster connect, String connector) {
    Map<Integer, Long> out = new HashMap<>();
    try {
      connect
          .connect()
          .connectorOffsets(connector)
          .offsets()
          .forEach(
              o ->
                  out.put(
                      ((Number) o.partition().get("kafka_partition")).intValue(),
                      ((Number) o.offset().get("kafka_offset")).longValue()));
    } catch (RuntimeException e) {
      // no offsets yet
    }
    return out;
  }

  /** The state of a connector's first task, or NONE / UNKNOWN. */
  static String taskState(ConnectCluster connect, String connector) {
    try {
      var info = connect.connect().connectorStatus(connector);
      return info.tasks().isEmpty() ? "NONE" : info.tasks().get(0).state();
    } catch (RuntimeException e) {
      return "UNKNOWN";
    }
  }

  /** A partition metric of the sink, summed over the given partitions. */
  static long metric(String connector, String topic, int partitions, String attribute)
      throws Exception {
    javax.management.MBeanServer server =
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
    long sum = 0;
    for (int p = 0; p < partitions; p++) {
      javax.management.ObjectName name =
          new javax.management.ObjectName(
              "io.pgsnow.sink:type=partition-metrics,connector="
                  + javax.management.ObjectName.quote(connector)
                  + ",topic="
                  + javax.management.ObjectName.quote(topic)
                  + ",partition="
                  + p);
      sum += (Long) server.getAttribute(name, attribute);
    }
    return sum;
  }

  static long count(SnowflakeEmulator emulator, String sql) {
    try {
      return Long.parseLong(rows(emulator, sql).get(0).get(0));
    } catch (SQLException e) {
      return -1;
    }
  }
}
