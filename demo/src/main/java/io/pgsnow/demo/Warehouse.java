package io.pgsnow.demo;

import io.pgsnow.emulator.SnowflakeEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The demo's Snowflake side: the emulator (or a real account), the key pair the sink and the demo's
 * own queries authenticate with, and queries through the Snowflake JDBC driver.
 */
final class Warehouse implements AutoCloseable {
  static final String USER = "PGSNOW_DEMO";

  private final DemoOptions options;
  private SnowflakeEmulator emulator;
  private KeyPair keys;

  private Warehouse(DemoOptions options) {
    this.options = options;
  }

  /** Starts the emulator with a fresh key pair, unless the options name a real account. */
  static Warehouse start(DemoOptions options, Path dataDirectory) throws Exception {
    Warehouse warehouse = new Warehouse(options);
    if (options.snowflakeUrl().isPresent()) {
      return warehouse;
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    warehouse.keys = generator.generateKeyPair();
    warehouse.emulator =
        SnowflakeEmulator.builder()
            .port(options.emulatorPort())
            .userKey(USER, warehouse.keys.getPublic())
            .dataDirectory(dataDirectory)
            .start();
    try (Connection c = warehouse.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS KAFKA_DB");
      s.execute("CREATE SCHEMA IF NOT EXISTS KAFKA_DB.PUBLIC");
    }
    return warehouse;
  }

  /** The emulator, when the demo runs one. */
  Optional<SnowflakeEmulator> emulator() {
    return Optional.ofNullable(emulator);
  }

  String user() {
    return options.snowflakeUser().orElse(USER);
  }

  /** The account URL the sink connects to. */
  String accountUrl() {
    return options.snowflakeUrl().orElseGet(() -> emulator.accountUrl());
  }

  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.put("user", user());
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", privateKey());
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    // Driver 4.x otherwise probes cloud metadata addresses at login.
    p.put("disablePlatformDetection", "true");
    String url;
    if (emulator != null) {
      p.put("account", "DEMO");
      url = emulator.jdbcUrl();
    } else {
      url =
          "jdbc:snowflake://" + options.snowflakeUrl().orElseThrow().replaceFirst("^https?://", "");
    }
    return DriverManager.getConnection(url, p);
  }

  /** Every row of a query, each value as the driver's text. */
  List<List<String>> query(String sql) throws SQLException {
    return select(sql).rows();
  }

  /** A query's columns and rows, each value as the driver's text. */
  QueryResult select(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return QueryResult.read(rs);
    }
  }

  void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The rows of a table, or 0 while the sink has not created it yet. */
  int count(String table) {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      return 0; // the table appears with the sink's first flush
    }
  }

  /** The private key as the sink's {@code snowflake.private.key} wants it: base64 PKCS#8. */
  String privateKeyText() {
    try {
      if (keys != null) {
        String text = Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
        Files.writeString(keyFile(), pem("PRIVATE KEY", text));
        return text;
      }
      return Files.readString(options.privateKeyFile().orElseThrow())
          .replaceAll("-----[A-Z ]+-----", "")
          .replaceAll("\\s", "");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where the demo writes the emulator user's private key (PEM). */
  Path keyFile() {
    return options.workDir().resolve("snowflake_key.p8");
  }

  private PrivateKey privateKey() {
    if (keys != null) {
      return keys.getPrivate();
    }
    try {
      byte[] der = Base64.getDecoder().decode(privateKeyText());
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read the private key (PKCS#8 PEM expected)", e);
    }
  }

  /** PEM text of a base64 DER body, e.g. the PKCS#8 key a Snowflake client reads. */
  private static String pem(String label, String base64) {
    return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
  }

  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Override
  public String toString() {
    return emulator != null ? "Snowflake emulator" : "Snowflake account " + accountUrl();
  }
}
