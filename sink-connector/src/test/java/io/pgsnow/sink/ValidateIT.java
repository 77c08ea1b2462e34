package io.pgsnow.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's config validation ({@code PUT /connector-plugins/…/config/validate}, what UIs and
 * {@code confluent connect} call before creating a connector): each problem is reported on the key
 * it is about, after a real login into the emulator.
 */
class ValidateIT {
  private static KeyPair keys;
  private static SnowflakeEmulator emulator;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() throws Exception {
    keys = SinkItSupport.newKeyPair();
    emulator = SinkItSupport.emulator(keys);
    connect = SinkItSupport.cluster().name("sink-validate").start();
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

  private static Map<String, String> config() {
    Map<String, String> config =
        new HashMap<>(SinkItSupport.sinkConfig(emulator, keys, "validate_topic", false));
    config.put("name", "validate");
    return config;
  }

  /** Error messages by key, for the keys that have any. */
  private static Map<String, List<String>> errors(Map<String, String> config) {
    ConfigInfos infos =
        connect.connect().validateConnectorConfig(SnowflakeSinkConnector.class.getName(), config);
    Map<String, List<String>> errors =
        infos.configs().stream()
            .map(ConfigInfo::configValue)
            .filter(v -> !v.errors().isEmpty())
            .collect(Collectors.toMap(v -> v.name(), v -> v.errors()));
    assertThat(infos.errorCount()).isEqualTo(errors.values().stream().mapToInt(List::size).sum());
    return errors;
  }

  @Test
  void aWorkingConfigHasNoErrors() {
    assertThat(errors(config())).isEmpty();
  }

  @Test
  void aMissingDatabaseOrSchemaIsReportedOnItsKey() {
    Map<String, String> noDatabase = config();
    noDatabase.put("snowflake.database.name", "NO_SUCH_DB");
    assertThat(errors(noDatabase))
        .containsOnlyKeys("snowflake.database.name")
        .extractingByKey("snowflake.database.name")
        .asString()
        .contains("NO_SUCH_DB");

    Map<String, String> noSchema = config();
    noSchema.put("snowflake.schema.name", "NO_SUCH_SCHEMA");
    assertThat(errors(noSchema))
        .containsOnlyKeys("snowflake.schema.name")
        .extractingByKey("snowflake.schema.name")
        .asString()
        .contains("NO_SUCH_SCHEMA");
  }

  @Test
  void keyProblemsAreReportedOnThePrivateKey() {
    Map<String, String> otherKey = config();
    otherKey.put("snowflake.private.key", SinkItSupport.privateKeyText(SinkItSupport.newKeyPair()));
    assertThat(errors(otherKey))
        .containsOnlyKeys("snowflake.private.key")
        .extractingByKey("snowflake.private.key")
        .asString()
        .contains("Cannot log in");

    Map<String, String> garbage = config();
    garbage.put("snowflake.private.key", "this is not a key!");
    assertThat(errors(garbage))
        .containsOnlyKeys("snowflake.private.key")
        .extractingByKey("snowflake.private.key")
        .asString()
        .contains("not base64")
        .doesNotContain("this is not a key");
  }

  @Test
  void anUnknownUserIsReportedWithTheKeyNamingTheUser() {
    // Snowflake answers an unknown user like a wrong key (JWT invalid), so both are named.
    Map<String, String> stranger = config();
    stranger.put("snowflake.user.name", "NOBODY");
    assertThat(errors(stranger))
        .containsOnlyKeys("snowflake.private.key")
        .extractingByKey("snowflake.private.key")
        .asString()
        .contains("Cannot log in as NOBODY")
        .contains("RSA_PUBLIC_KEY");
  }

  @Test
  void anUnreachableAccountIsReportedOnTheUrl() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> unreachable = config();
    unreachable.put("snowflake.url.name", "http://127.0.0.1:" + closedPort);
    unreachable.put("snowflake.login.timeout.ms", "5000");
    unreachable.put("snowflake.network.timeout.ms", "5000");
    assertThat(errors(unreachable)).containsOnlyKeys("snowflake.url.name");
  }

  @Test
  void perKeyProblemsComeFirstAndNeedNoLogin() {
    Map<String, String> broken = config();
    broken.remove("snowflake.user.name");
    broken.put("buffer.flush.time", "-5");
    assertThat(errors(broken)).containsOnlyKeys("snowflake.user.name", "buffer.flush.time");
  }
}
