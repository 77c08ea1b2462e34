package io.pgsnow.emulator;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Test fixture: the real Snowflake JDBC driver connected to an emulator. */
final class EmulatorClients {

  static final String ACCOUNT = "EMULATOR";
  static final String USER = "TESTER";
  static final String PASSWORD = "s3cret";

  private EmulatorClients() {}

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Properties baseProperties() {
    Properties p = new Properties();
    p.put("account", ACCOUNT);
    p.put("user", USER);
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    p.put("loginTimeout", "20");
    return p;
  }

  /** An emulator with the test user and one database, {@code database}. */
  static SnowflakeEmulator startWithDatabase(String database) throws SQLException {
    SnowflakeEmulator emulator = SnowflakeEmulator.builder().user(USER, PASSWORD).start();
    try (Connection conn = password(emulator)) {
      exec(conn, "CREATE DATABASE " + database);
    }
    return emulator;
  }

  static Connection password(SnowflakeEmulator emulator) throws SQLException {
    Properties p = baseProperties();
    p.put("password", PASSWORD);
    return DriverApi.connect(emulator.jdbcUrl(), p);
  }

  static Connection password(SnowflakeEmulator emulator, String database, String schema)
      throws SQLException {
    Properties p = baseProperties();
    p.put("password", PASSWORD);
    p.put("db", database);
    p.put("schema", schema);
    return DriverApi.connect(emulator.jdbcUrl(), p);
  }

  static Connection keyPair(SnowflakeEmulator emulator, String user, KeyPair keys)
      throws SQLException {
    Properties p = baseProperties();
    p.put("user", user);
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", keys.getPrivate());
    return DriverApi.connect(emulator.jdbcUrl(), p);
  }

  static void exec(Connection conn, String... statements) throws SQLException {
    try (Statement st = conn.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  /** All rows as strings, for compact assertions. */
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
}
