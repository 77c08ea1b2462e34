package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad configs are rejected by the worker's validate endpoint, each on the key it is about. */
class ValidationIT {
  private static final String DB = "validation_it";
  private static LocalPostgres pg;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    pg.executeIn(
        DB,
        "CREATE TABLE orders (id int PRIMARY KEY)",
        "DROP ROLE IF EXISTS plain_user",
        "CREATE ROLE plain_user LOGIN PASSWORD 'plain'");
    connect = SourceItSupport.cluster().name("validation").start();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  @Test
  void aValidConfigHasNoErrors() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "valid");
    config.put("table.include.list", "public\\.orders");
    assertThat(errors(config)).isEmpty();
  }

  @Test
  void aWrongPasswordIsReportedOnThePassword() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "badpw");
    config.put("database.password", "wrong");
    assertThat(errors(config))
        .containsOnlyKeys("database.password")
        .extractingByKey("database.password")
        .asString()
        .contains("password authentication failed");
  }

  @Test
  void aMissingLogicalWalLevelIsReported() {
    try (LocalPostgres replicaOnly = LocalPostgres.builder().walLevel("replica").start()) {
      Map<String, String> config =
          SourceItSupport.connectorConfig(replicaOnly, "postgres", "nowal");
      assertThat(errors(config))
          .extractingByKey("database.hostname")
          .asString()
          .contains("wal_level=replica");
    }
  }

  @Test
  void aTableIncludeListMatchingNoTableIsReported() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "notable");
    config.put("table.include.list", "public\\.orders,public\\.missing");
    assertThat(errors(config))
        .containsOnlyKeys("table.include.list")
        .extractingByKey("table.include.list")
        .asString()
        .contains("public\\.missing")
        .doesNotContain("public\\.orders'");
  }

  @Test
  void aBadRegexIsReportedOnItsKey() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "badregex");
    config.put("table.exclude.list", "public\\.(unclosed");
    assertThat(errors(config))
        .containsOnlyKeys("table.exclude.list")
        .extractingByKey("table.exclude.list")
        .asString()
        .contains("Not a valid regular expression");
  }

  @Test
  void aUserWithoutReplicationIsReportedOnTheUser() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "norepl");
    config.put("database.user", "plain_user");
    config.put("database.password", "plain");
    config.put("publication.autocreate.mode", "filtered");
    assertThat(errors(config)).extractingByKey("database.user").asString().contains("REPLICATION");
  }

  @Test
  void aMissingTopicPrefixIsReported() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "noprefix");
    config.remove("topic.prefix");
    assertThat(errors(config)).containsKey("topic.prefix");
    config.put("database.server.name", "legacy");
    assertThat(errors(config)).doesNotContainKey("topic.prefix");
  }

  private static Map<String, String> errors(Map<String, String> config) {
    config.put("name", "validation-" + config.get("slot.name"));
    ConfigInfos infos =
        connect
            .connect()
            .validateConnectorConfig(PostgresCdcSourceConnector.class.getName(), config);
    return infos.configs().stream()
        .map(ConfigInfo::configValue)
        .filter(v -> !v.errors().isEmpty())
        .collect(Collectors.toMap(v -> v.name(), v -> String.join(" | ", v.errors())));
  }
}
