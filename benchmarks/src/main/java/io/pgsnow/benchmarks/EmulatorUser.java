package io.pgsnow.benchmarks;

import io.pgsnow.emulator.SnowflakeEmulator;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Properties;

/**
 * The emulator the sink harnesses load into: one user, {@value #NAME}, who logs in with a key pair
 * (the sinks) or a password (the harness's own polling queries), and the database {@value
 * #DATABASE}.
 */
final class EmulatorUser {
  static final String NAME = "KAFKA_SINK";
  static final String DATABASE = "KAFKA_DB";
  private static final String PASSWORD = "s3cret";

  private final KeyPair keys;

  private EmulatorUser(KeyPair keys) {
    this.keys = keys;
  }

  static EmulatorUser newUser() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return new EmulatorUser(generator.generateKeyPair());
  }

  /** An in-memory emulator on a free port with this user and an empty {@value #DATABASE}. */
  SnowflakeEmulator startEmulator() throws SQLException {
    SnowflakeEmulator emulator =
        SnowflakeEmulator.builder().user(NAME, PASSWORD).userKey(NAME, keys.getPublic()).start();
    try (Connection c = jdbc(emulator);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
    }
    return emulator;
  }

  /** The private key as {@code snowflake.private.key} takes it: bare base64 PKCS#8. */
  String privateKeyText() {
    return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
  }

  static Connection jdbc(SnowflakeEmulator emulator) throws SQLException {
    Properties p = new Properties();
    p.put("account", "EMULATOR");
    p.put("user", NAME);
    p.put("password", PASSWORD);
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    p.put("disablePlatformDetection", "true");
    return DriverManager.getConnection(emulator.jdbcUrl(), p);
  }
}
