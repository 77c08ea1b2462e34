package io.pgsnow.packaging;

import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;

/**
 * An emulated Snowflake account for the plugin ITs: one key-pair user, database KAFKA_DB with
 * schema PUBLIC, a JDBC connection to read it and a sink config that loads into it.
 */
final class TestWarehouse implements AutoCloseable {
  static final String USER = "PGSNOW";
  static final String SINK = "io.pgsnow.sink.SnowflakeSinkConnector";

  final KeyPair keys = newKeyPair();
  final SnowflakeEmulator emulator;

  TestWarehouse() throws SQLException {
    emulator = SnowflakeEmulator.builder().userKey(USER, keys.getPublic()).start();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS KAFKA_DB");
      s.execute("CREATE SCHEMA IF NOT EXISTS KAFKA_DB.PUBLIC");
    }
  }

  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The key encrypted with {@code passphrase} by openssl as Snowflake's key-pair guide shows
   * (PKCS#8, AES-256), in PEM.
   */
  static String encryptedPem(KeyPair keys, String passphrase) {
    try {
      Path dir = Files.createTempDirectory("pgsnow-keys");
      Path plain = dir.resolve("rsa_key.pem");
      Files.writeString(
          plain,
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
      Path out = dir.resolve("rsa_key.p8");
      Process openssl =
          new ProcessBuilder(
                  "openssl",
                  "pkcs8",
                  "-topk8",
                  "-v2",
                  "aes256",
                  "-in",
                  plain.toString(),
                  "-out",
                  out.toString(),
                  "-passout",
                  "pass:" + passphrase)
              .redirectErrorStream(true)
              .start();
      String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
        throw new IllegalStateException("openssl pkcs8 failed: " + output);
      }
      String pem = Files.readString(out);
      Files.delete(out);
      Files.delete(plain);
      Files.delete(dir);
      return pem;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A session as the user, in KAFKA_DB.PUBLIC. */
  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.put("account", "EMULATOR");
    p.put("user", USER);
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", keys.getPrivate());
    p.put("db", "KAFKA_DB");
    p.put("schema", "PUBLIC");
    return DriverManager.getConnection(emulator.jdbcUrl(), p);
  }

  String privateKeyBase64() {
    return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
  }

  /** A sink loading {@code topics} into KAFKA_DB.PUBLIC as {@code topic2table} maps them. */
  Map<String, String> sinkConfig(String topics, String topic2table) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", SINK);
    config.put("tasks.max", "1");
    config.put("topics", topics);
    config.put("snowflake.topic2table.map", topic2table);
    config.put("snowflake.url.name", emulator.accountUrl());
    config.put("snowflake.user.name", USER);
    config.put("snowflake.private.key", privateKeyBase64());
    config.put("snowflake.database.name", "KAFKA_DB");
    config.put("snowflake.schema.name", "PUBLIC");
    config.put("snowflake.warehouse.name", "COMPUTE_WH");
    config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    return config;
  }

  /** The error messages a worker's validate endpoint gives, by key, for the keys that have any. */
  static Map<String, List<String>> validationErrors(
      ConnectCluster connect, String connectorClass, Map<String, String> config) {
    ConfigInfos infos = connect.connect().validateConnectorConfig(connectorClass, config);
    return infos.configs().stream()
        .map(ConfigInfo::configValue)
        .filter(v -> !v.errors().isEmpty())
        .collect(Collectors.toMap(v -> v.name(), v -> v.errors()));
  }

  @Override
  public void close() {
    emulator.close();
  }
}
