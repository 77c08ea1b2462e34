package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.ExampleSecrets;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code config-examples/} is submitted to a running worker's validate endpoint, with
 * its placeholders filled from the test environment, and must come back without errors.
 */
class ConfigExamplesIT {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("pgsnow.config.examples", "../config-examples"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ConnectCluster connect;
  private static ExampleSecrets secrets;
  private static Map<String, String> placeholders;
  private static SnowflakeEmulator emulator;
  private static final KeyPair KEYS = TestWarehouse.newKeyPair();

  @BeforeAll
  static void start() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("config_examples");
    pg.executeIn(
        db,
        "CREATE TABLE payroll (employee_id int PRIMARY KEY, first_name text, last_name text,"
            + " age int, ssn text, hourly_rate int, gender text, email text)",
        "CREATE TABLE payroll_bonus (bonus_id int PRIMARY KEY, employee_id int, bonus int,"
            + " ts bigint)",
        "CREATE TABLE customers (customer_id int PRIMARY KEY, first_name text, last_name text,"
            + " email text, club_status text)",
        "CREATE TABLE ratings (rating_id int PRIMARY KEY, user_id int, stars int, channel text,"
            + " message text)");
    connect =
        ConnectCluster.builder()
            .name("config-examples")
            .pluginPath(PluginArchives.pluginPath())
            .workerProperty("plugin.discovery", "service_load")
            // The examples read their secrets through the worker's file config provider.
            .workerProperty("config.providers", "file")
            .workerProperty(
                "config.providers.file.class",
                ExampleSecrets.WORKER_PROPERTIES.get("config.providers.file.class"))
            // The distributed examples require exactly-once source support, as they should.
            .exactlyOnceSource()
            .start();
    emulator = SnowflakeEmulator.builder().userKey("PGSNOW", KEYS.getPublic()).start();
    try (Connection c = snowflake();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE IF NOT EXISTS KAFKA_DB");
      st.execute("CREATE SCHEMA IF NOT EXISTS KAFKA_DB.PUBLIC");
    }
    secrets =
        ExampleSecrets.write(
            Files.createTempDirectory("pgsnow-example-secrets"),
            Map.of(
                "database.password",
                LocalPostgres.PASSWORD,
                "snowflake.private.key",
                Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded())));
    placeholders = new HashMap<>();
    placeholders.put("PG_HOST", pg.host());
    placeholders.put("PG_PORT", Integer.toString(pg.port()));
    placeholders.put("PG_USER", LocalPostgres.SUPERUSER);
    placeholders.put("PG_PASSWORD", LocalPostgres.PASSWORD);
    placeholders.put("PG_DATABASE", db);
    placeholders.put("PG_SSLMODE", "disable");
    placeholders.put("KAFKA_BOOTSTRAP", connect.bootstrapServers());
    placeholders.put("SNOWFLAKE_URL", emulator.accountUrl());
    placeholders.put("SNOWFLAKE_HOST", "127.0.0.1");
    placeholders.put("SNOWFLAKE_USER", "PGSNOW");
    placeholders.put(
        "SNOWFLAKE_PRIVATE_KEY",
        Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded()));
    placeholders.put("CCLOUD_PLUGIN_ID", "ccp-test");
    placeholders.put("CCLOUD_API_KEY", "key");
    placeholders.put("CCLOUD_API_SECRET", "secret");
  }

  private static Connection snowflake() throws Exception {
    Properties p = new Properties();
    p.put("account", "EXAMPLES");
    p.put("user", "PGSNOW");
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", KEYS.getPrivate());
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    return DriverManager.getConnection(emulator.jdbcUrl(), p);
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      return files
          .filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".properties"))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void validatesWithoutErrors(Path example) throws Exception {
    Map<String, String> config = load(example);
    assertThat(config).containsKey("connector.class");
    config.replaceAll((k, v) -> fill(v));
    ConfigInfos infos =
        connect.connect().validateConnectorConfig(config.get("connector.class"), config);
    Map<String, List<String>> errors =
        infos.configs().stream()
            .map(ConfigInfo::configValue)
            .filter(v -> !v.errors().isEmpty())
            .collect(Collectors.toMap(v -> v.name(), v -> v.errors()));
    assertThat(errors).as(example.toString()).isEmpty();
  }

  /**
   * Secrets travel through the worker's config providers, so they never sit in clear text in the
   * config topic or in {@code GET /connectors/<name>/config}. (Confluent Cloud custom connectors
   * have no config providers: they declare the keys as sensitive properties instead.)
   */
  @ParameterizedTest
  @MethodSource("examples")
  void readsSecretsThroughAConfigProvider(Path example) throws Exception {
    if (example.getFileName().toString().contains("ccloud")) {
      return;
    }
    Map<String, String> secretValues = new LinkedHashMap<>();
    load(example)
        .forEach(
            (key, value) -> {
              if (key.endsWith("password")
                  || key.endsWith("passphrase")
                  || key.equals("snowflake.private.key")) {
                secretValues.put(key, value);
              }
            });
    assertThat(secretValues)
        .as(example.toString())
        .allSatisfy((key, value) -> assertThat(value).matches("\\$\\{(file|directory|env):[^}]+}"));
  }

  private static Map<String, String> load(Path example) throws IOException {
    Map<String, String> config = new LinkedHashMap<>();
    if (example.toString().endsWith(".properties")) {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(example)) {
        props.load(reader);
      }
      props.forEach((k, v) -> config.put(k.toString(), v.toString()));
    } else {
      JsonNode root = JSON.readTree(example.toFile());
      config.put("name", root.get("name").asText());
      root.get("config")
          .fields()
          .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    }
    return config;
  }

  private static String fill(String value) {
    String result = secrets.resolvePath(value);
    for (Map.Entry<String, String> p : placeholders.entrySet()) {
      result = result.replace("${" + p.getKey() + "}", p.getValue());
    }
    assertThat(result.replaceAll("\\$\\{file:[^}]+}", ""))
        .as("unknown placeholder in %s", value)
        .doesNotContain("${");
    return result;
  }
}
