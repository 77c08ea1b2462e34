package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.net.ServerSocket;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad configs as users send them, through a worker that loads the plugins from their archives: each
 * case is submitted to {@code PUT /connector-plugins/<class>/config/validate}, which must put the
 * error on the expected key (and on no other key) with a message that says what to change, and to
 * {@code POST /connectors}, which must refuse it with that message. Cases already proven by the
 * modules' ValidationIT and ValidateIT (wrong password, wal_level, a slot in use, include lists
 * matching nothing, publications missing tables, a wrong or garbage key, missing database) are not
 * repeated here.
 */
class BadConfigIT {
  private static final String SOURCE = "io.pgsnow.source.PostgresCdcSourceConnector";
  private static final String SINK = TestWarehouse.SINK;
  private static final String DB = "bad_config";
  private static final String REMOVE = "<remove>";

  /** Kafka's message for a value outside a key's choices, which it then lists. */
  private static final String CHOICES = "String must be one of (case insensitive): ";

  private static final String LIMITED = "cdc_limited";
  private static final String LIMITED_PASSWORD = "limited-pw";
  private static final String PASSPHRASE = "right-passphrase";

  private static LocalPostgres pg;
  private static ConnectCluster connect;
  private static TestWarehouse warehouse;
  private static int closedPort;
  private static String encryptedKey;

  /** One bad config: what it changes in a working one, and where and what the error must say. */
  record Case(
      String name,
      String connectorClass,
      Map<String, String> delta,
      String key,
      String fragment,
      Set<String> alsoOn) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case source(String name, Map<String, String> delta, String key, String fragment) {
    return new Case(name, SOURCE, delta, key, fragment, Set.of());
  }

  private static Case sink(String name, Map<String, String> delta, String key, String fragment) {
    return new Case(name, SINK, delta, key, fragment, Set.of());
  }

  private static Map<String, String> set(String... keysAndValues) {
    Map<String, String> delta = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      delta.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return delta;
  }

  private static Map<String, String> limitedUser(String... more) {
    Map<String, String> delta =
        set("database.user", LIMITED, "database.password", LIMITED_PASSWORD);
    delta.putAll(set(more));
    return delta;
  }

  static Stream<Case> cases() {
    return Stream.of(sourceKeyCases(), sourceServerCases(), sinkKeyCases(), sinkLoginCases())
        .flatMap(s -> s);
  }

  /** Source: missing and malformed keys. */
  private static Stream<Case> sourceKeyCases() {
    return Stream.of(
        source(
            "source without host",
            set("database.hostname", REMOVE),
            "database.hostname",
            "which has no default value"),
        source(
            "source without database",
            set("database.dbname", REMOVE),
            "database.dbname",
            "which has no default value"),
        source(
            "source port not a number",
            set("database.port", "five"),
            "database.port",
            "Not a number of type INT"),
        source(
            "source port out of range",
            set("database.port", "70000"),
            "database.port",
            "Value must be no more than 65535"),
        source(
            "source sslmode outside its choices",
            set("database.sslmode", "strict"),
            "database.sslmode",
            CHOICES),
        source(
            "source plugin other than pgoutput",
            set("plugin.name", "decoderbufs"),
            "plugin.name",
            "pgoutput"),
        source(
            "source autocreate mode outside its choices",
            set("publication.autocreate.mode", "sometimes"),
            "publication.autocreate.mode",
            CHOICES),
        source(
            "source decimal mode outside its choices",
            set("decimal.handling.mode", "fast"),
            "decimal.handling.mode",
            CHOICES),
        source(
            "source snapshot mode outside its choices",
            set("snapshot.mode", "sometimes"),
            "snapshot.mode",
            CHOICES),
        source(
            "source unknown skipped operation",
            set("skipped.operations", "c,x"),
            "skipped.operations",
            "Expected c, u, d, t or none"),
        source(
            "source slot name with capitals",
            set("slot.name", "Bad-Slot"),
            "slot.name",
            "only lower-case letters, digits and underscores"),
        source(
            "source bad schema regex",
            set("schema.include.list", "pub[lic"),
            "schema.include.list",
            "Not a valid regular expression"),
        source(
            "source bad column regex",
            set("column.exclude.list", "public.orders.(secret"),
            "column.exclude.list",
            "Not a valid regular expression"),
        source(
            "source both column lists",
            set("column.include.list", "public.orders.id", "column.exclude.list", "x"),
            "column.exclude.list",
            "cannot be used together; set one"),
        source(
            "source unsupported Debezium key",
            set("database.initial.statements", "SET search_path=x"),
            "database.initial.statements",
            "remove it from the config"),
        source(
            "source negative record size",
            set("record.size.max.bytes", "-1"),
            "record.size.max.bytes",
            "Must be 0 (no check) or more"),
        source(
            "source snapshot override without its statement",
            set("snapshot.select.statement.overrides", "public.orders"),
            "snapshot.select.statement.overrides",
            "holds no SELECT statement"),
        source(
            "source signal table without schema",
            set("signal.data.collection", "signals"),
            "signal.data.collection",
            "<schema>.<table>"));
  }

  /** Source: the server says no. */
  private static Stream<Case> sourceServerCases() {
    return Stream.of(
        source(
            "source unknown host",
            set("database.hostname", "no-such-host.invalid"),
            "database.hostname",
            "check database.hostname"),
        new Case(
            "source nothing listening on the port",
            SOURCE,
            set("database.port", "${closedPort}"),
            "database.port",
            "check database.hostname and database.port",
            Set.of("database.hostname")),
        source(
            "source unknown database",
            set("database.dbname", "no_such_db"),
            "database.dbname",
            "check database.dbname"),
        source(
            "source unknown user",
            set("database.user", "nobody", "database.password", "x"),
            "database.password",
            "check database.user and database.password"),
        source(
            "source without password",
            set("database.password", REMOVE),
            "database.password",
            "set database.password"),
        source(
            "source TLS required by a server without it",
            set("database.sslmode", "require"),
            "database.sslmode",
            "set database.sslmode=prefer or disable"),
        source(
            "source FOR ALL TABLES publication needs a superuser",
            limitedUser(
                "publication.name", "bad_missing_pub", "publication.autocreate.mode", "all_tables"),
            "publication.autocreate.mode",
            "use filtered or create the publication beforehand"),
        source(
            "source publication owned by another role",
            limitedUser(
                "publication.name", "others_pub", "publication.autocreate.mode", "filtered"),
            "publication.name",
            "belongs to role other_owner"),
        source(
            "source missing publication with autocreate disabled",
            set("publication.name", "no_such_pub", "publication.autocreate.mode", "disabled"),
            "publication.name",
            "or set publication.autocreate.mode=filtered"),
        source(
            "source slot of another decoding plugin",
            set("slot.name", "bad_test_decoding"),
            "slot.name",
            "give this connector another slot.name"),
        source(
            "source slot of another database",
            set("slot.name", "bad_other_db"),
            "slot.name",
            "a slot decodes one database"));
  }

  /** Sink: missing and malformed keys. */
  private static Stream<Case> sinkKeyCases() {
    return Stream.of(
        sink(
            "sink without account URL",
            set("snowflake.url.name", REMOVE),
            "snowflake.url.name",
            "which has no default value"),
        sink(
            "sink without private key",
            set("snowflake.private.key", REMOVE),
            "snowflake.private.key",
            "which has no default value"),
        sink(
            "sink null handling outside its choices",
            set("behavior.on.null.values", "explode"),
            "behavior.on.null.values",
            CHOICES),
        sink(
            "sink current state outside its choices",
            set("snowflake.model.current_state", "table"),
            "snowflake.model.current_state",
            CHOICES),
        sink(
            "sink target lag too short",
            set("snowflake.model.target_lag", "30 seconds"),
            "snowflake.model.target_lag",
            "shortest target lag is 1 minute"),
        sink(
            "sink dynamic table without warehouse",
            set(
                "snowflake.model.current_state",
                "dynamic_table",
                "snowflake.warehouse.name",
                REMOVE),
            "snowflake.model.warehouse",
            "set snowflake.model.warehouse"),
        sink(
            "sink buffer of no records",
            set("buffer.count.records", "0"),
            "buffer.count.records",
            "Value must be at least 1"),
        sink(
            "sink topic2table without a table",
            set("snowflake.topic2table.map", "bad_topic"),
            "snowflake.topic2table.map",
            "Expected topic:table"));
  }

  /** Sink: keys, passphrases and the account. */
  private static Stream<Case> sinkLoginCases() {
    return Stream.of(
        sink(
            "sink encrypted key without passphrase",
            set("snowflake.private.key", "${encryptedKey}"),
            "snowflake.private.key.passphrase",
            "The private key is encrypted: set snowflake.private.key.passphrase"),
        sink(
            "sink encrypted key with a wrong passphrase",
            set(
                "snowflake.private.key",
                "${encryptedKey}",
                "snowflake.private.key.passphrase",
                "wrong"),
            "snowflake.private.key.passphrase",
            "check snowflake.private.key.passphrase"),
        sink(
            "sink PKCS1 label around no RSA key",
            set(
                "snowflake.private.key",
                "-----BEGIN RSA PRIVATE KEY-----\nAAECAwQF\n-----END RSA PRIVATE KEY-----"),
            "snowflake.private.key",
            "not an RSA key in PKCS#1 form"),
        sink(
            "sink EC key instead of RSA",
            set("snowflake.private.key", "${ecKey}"),
            "snowflake.private.key",
            "not an RSA key"),
        sink(
            "sink unknown account host",
            set(
                "snowflake.url.name",
                "https://no-such-account.invalid:443",
                "snowflake.login.timeout.ms",
                "5000",
                "snowflake.network.timeout.ms",
                "5000"),
            "snowflake.url.name",
            "Check snowflake.url.name"));
  }

  @BeforeAll
  static void start() throws Exception {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    pg.executeIn(
        DB,
        "CREATE TABLE orders (id int PRIMARY KEY)",
        "DROP ROLE IF EXISTS " + LIMITED,
        "CREATE ROLE " + LIMITED + " LOGIN REPLICATION PASSWORD '" + LIMITED_PASSWORD + "'",
        "GRANT SELECT ON orders TO " + LIMITED,
        "DROP ROLE IF EXISTS other_owner",
        "CREATE ROLE other_owner",
        "CREATE PUBLICATION others_pub FOR TABLE orders",
        "ALTER PUBLICATION others_pub OWNER TO other_owner",
        "SELECT pg_create_logical_replication_slot('bad_test_decoding', 'test_decoding')");
    pg.execute("SELECT pg_create_logical_replication_slot('bad_other_db', 'pgoutput')");
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    connect = PluginArchives.sharedCluster();
    warehouse = new TestWarehouse();
    encryptedKey = TestWarehouse.encryptedPem(warehouse.keys, PASSPHRASE);
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (warehouse != null) {
      warehouse.close();
    }
    if (pg != null) {
      pg.executeIn(DB, "SELECT pg_drop_replication_slot('bad_test_decoding')");
      pg.execute("SELECT pg_drop_replication_slot('bad_other_db')");
    }
  }

  private static Map<String, String> working(String connectorClass) {
    if (connectorClass.equals(SOURCE)) {
      Map<String, String> config = PluginArchives.sourceConfig(pg, DB, "bad");
      config.put("table.include.list", "public\\.orders");
      config.put("publication.autocreate.mode", "filtered");
      return config;
    }
    Map<String, String> config = warehouse.sinkConfig("bad_topic", "bad_topic:BAD_TABLE");
    return config;
  }

  private static Map<String, String> config(Case c) {
    Map<String, String> config = working(c.connectorClass());
    c.delta()
        .forEach(
            (key, value) -> {
              if (value.equals(REMOVE)) {
                config.remove(key);
              } else {
                config.put(key, fill(value));
              }
            });
    config.put("name", "bad-" + c.name().replace(' ', '-'));
    return config;
  }

  private static String fill(String value) {
    return switch (value) {
      case "${closedPort}" -> Integer.toString(closedPort);
      case "${encryptedKey}" -> encryptedKey;
      case "${ecKey}" -> ecKey();
      default -> value;
    };
  }

  @Test
  void theWorkingConfigsHaveNoErrors() {
    for (String connectorClass : List.of(SOURCE, SINK)) {
      Map<String, String> config = working(connectorClass);
      config.put("name", "bad-working");
      assertThat(errors(connectorClass, config)).as(connectorClass).isEmpty();
    }
    // The same key, encrypted, logs in with its passphrase.
    Map<String, String> encryptedSink = working(SINK);
    encryptedSink.put("name", "bad-working-encrypted");
    encryptedSink.put("snowflake.private.key", encryptedKey);
    encryptedSink.put("snowflake.private.key.passphrase", PASSPHRASE);
    assertThat(errors(SINK, encryptedSink)).isEmpty();
  }

  @Test
  void thereAreAtLeastThirtyCasesOnBothConnectors() {
    assertThat(cases().toList()).hasSizeGreaterThanOrEqualTo(30);
    assertThat(cases().map(Case::connectorClass).distinct())
        .containsExactlyInAnyOrder(SOURCE, SINK);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validateNamesTheKeyAndTheFix(Case c) {
    Map<String, List<String>> errors = errors(c.connectorClass(), config(c));
    assertThat(errors).as(c.name()).containsKey(c.key());
    assertThat(String.join(" | ", errors.get(c.key()))).as(c.name()).contains(c.fragment());
    assertThat(errors.keySet())
        .as("%s: keys with errors", c.name())
        .isSubsetOf(union(c.key(), c.alsoOn()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void createIsRefusedWithTheSameMessage(Case c) {
    Map<String, String> config = config(c);
    String name = config.get("name");
    try {
      assertThatThrownBy(
              () ->
                  connect
                      .connect()
                      .configureConnector(new CreateConnectorRequest(name, config, null)))
          .as(c.name())
          .isInstanceOfSatisfying(
              ConnectRestException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
          .hasMessageContaining(jsonEscaped(c.fragment()));
    } finally {
      if (connect.connect().connectors().contains(name)) {
        connect.connect().deleteConnector(name);
      }
    }
  }

  private static Set<String> union(String key, Set<String> more) {
    return Stream.concat(Stream.of(key), more.stream()).collect(Collectors.toSet());
  }

  /** The REST answer carries the message inside JSON. */
  private static String jsonEscaped(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static Map<String, List<String>> errors(
      String connectorClass, Map<String, String> config) {
    return TestWarehouse.validationErrors(connect, connectorClass, config);
  }

  private static String ecKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return base64(generator.generateKeyPair().getPrivate().getEncoded());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(byte[] der) {
    return Base64.getEncoder().encodeToString(der);
  }
}
