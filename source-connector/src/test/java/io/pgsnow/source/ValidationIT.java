package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

/** Bad configs are rejected by the worker's validate endpoint, each on the key it is about. */
class ValidationIT {
  private static final String DB = "validation_it";
  private static final String NAMES_DB = "validation_names_it";
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
        "CREATE ROLE plain_user LOGIN PASSWORD 'plain'",
        "CREATE TABLE items (id int PRIMARY KEY)",
        "CREATE PUBLICATION orders_only FOR TABLE orders",
        "CREATE PUBLICATION every_table FOR ALL TABLES",
        "CREATE PUBLICATION no_deletes FOR ALL TABLES WITH (publish = 'insert, update')");
    pg.createDatabase(NAMES_DB);
    pg.executeIn(
        NAMES_DB,
        "CREATE TABLE \"line items\" (id int PRIMARY KEY)",
        "CREATE TABLE line_items (id int PRIMARY KEY)",
        "CREATE TABLE \"a.b\" (id int PRIMARY KEY)",
        "CREATE TABLE a_b (id int PRIMARY KEY)",
        "CREATE TABLE \"order lines\" (id int PRIMARY KEY)");
    connect = SourceItSupport.sharedCluster();
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

  @Test
  void aSlotStreamingToAnotherConnectorIsReportedOnTheSlotName() throws Exception {
    Map<String, String> holder = SourceItSupport.connectorConfig(pg, DB, "holder");
    holder.put("name", "holder");
    holder.put("table.include.list", "public\\.orders");
    connect.createConnector("holder", holder);
    try {
      connect.awaitRunning("holder", 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(DB, "holder_slot");

      Map<String, String> second = SourceItSupport.connectorConfig(pg, DB, "second");
      second.put("name", "second");
      second.put("table.include.list", "public\\.orders");
      second.put("slot.name", "holder_slot");
      assertThat(errors(second))
          .containsOnlyKeys("slot.name")
          .extractingByKey("slot.name")
          .asString()
          .contains("Slot holder_slot is in use by another client")
          .contains("application_name 'pgsnow-source:holder'")
          .contains("give this connector its own slot.name");

      // The connector whose task holds the slot may still have its config validated (an update).
      assertThat(errors(holder)).isEmpty();
    } finally {
      connect.connect().deleteConnector("holder");
    }
  }

  @Test
  void aTaskWhoseSlotAnotherClientTookFailsAtOnceNamingThatClient() throws Exception {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "taken");
    config.put("name", "taken");
    config.put("table.include.list", "public\\.orders");
    connect.createConnector("taken", config);
    try {
      connect.awaitRunning("taken", 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(DB, "taken_slot");
      connect.connect().stopConnector("taken");
      Awaitility.await("slot released")
          .atMost(Duration.ofSeconds(60))
          .until(() -> !pg.slotActive(DB, "taken_slot"));

      // Another client, say pg_recvlogical, streams from the slot while the connector is stopped.
      try (Connection other = replicationConnection("pg_recvlogical");
          PGReplicationStream stream =
              other
                  .unwrap(PGConnection.class)
                  .getReplicationAPI()
                  .replicationStream()
                  .logical()
                  .withSlotName("taken_slot")
                  .withSlotOption("proto_version", 1)
                  .withSlotOption("publication_names", "taken_pub")
                  .start()) {
        pg.awaitSlotActive(DB, "taken_slot");
        connect.connect().resumeConnector("taken");
        Awaitility.await("the task fails")
            .atMost(Duration.ofSeconds(60))
            .until(() -> !connect.failedTaskTrace("taken").isEmpty());
        assertThat(connect.failedTaskTrace("taken"))
            .contains("Slot taken_slot is in use by another client")
            .contains("application_name 'pg_recvlogical'");
      }
    } finally {
      connect.connect().deleteConnector("taken");
    }
  }

  private static Connection replicationConnection(String applicationName) throws Exception {
    Properties props = new Properties();
    PGProperty.USER.set(props, LocalPostgres.SUPERUSER);
    PGProperty.PASSWORD.set(props, LocalPostgres.PASSWORD);
    PGProperty.REPLICATION.set(props, "database");
    PGProperty.PREFER_QUERY_MODE.set(props, "simple");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
    PGProperty.APPLICATION_NAME.set(props, applicationName);
    return DriverManager.getConnection(pg.jdbcUrl(DB), props);
  }

  @Test
  void includedTablesThePublicationDoesNotPublishAreReportedOnThePublication() {
    for (String mode : new String[] {"disabled", "all_tables"}) {
      Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "partial");
      config.put("publication.name", "orders_only");
      config.put("publication.autocreate.mode", mode);
      config.put("table.include.list", "public\\.orders,public\\.items");
      assertThat(errors(config))
          .as(mode)
          .containsOnlyKeys("publication.name")
          .extractingByKey("publication.name")
          .asString()
          .contains("does not publish table public.items,")
          .contains("ALTER PUBLICATION \"orders_only\" ADD TABLE \"public\".\"items\"");
      // With the missing table left out of the include list, the publication fits.
      config.put("table.include.list", "public\\.orders");
      assertThat(errors(config)).as(mode).isEmpty();
    }
  }

  @Test
  void aPublicationFilteredModeCannotChangeIsReportedOnTheMode() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "filtered_all");
    config.put("publication.name", "every_table");
    config.put("publication.autocreate.mode", "filtered");
    config.put("table.include.list", "public\\.orders");
    assertThat(errors(config))
        .containsOnlyKeys("publication.autocreate.mode")
        .extractingByKey("publication.autocreate.mode")
        .asString()
        .contains("every_table is FOR ALL TABLES");
  }

  @Test
  void operationsThePublicationDoesNotPublishAreReported() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "nodeletes");
    config.put("publication.name", "no_deletes");
    config.put("publication.autocreate.mode", "disabled");
    assertThat(errors(config))
        .containsOnlyKeys("publication.name")
        .extractingByKey("publication.name")
        .asString()
        .contains("does not publish deletes,");
    config.put("skipped.operations", "d,t");
    assertThat(errors(config)).isEmpty();
  }

  @Test
  void tablesSharingATopicAreReportedOnTheIncludeList() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, NAMES_DB, "collide");
    config.put("table.include.list", "public\\.line.items");
    assertThat(errors(config))
        .containsOnlyKeys("table.include.list")
        .extractingByKey("table.include.list")
        .asString()
        .contains("public.\"line items\" and public.line_items both go to topic")
        .contains("collide.public.line_items");

    // Topics differing only in '.' versus '_' cannot both exist in Kafka.
    config.put("table.include.list", "public\\.a.b");
    assertThat(errors(config))
        .extractingByKey("table.include.list")
        .asString()
        .contains("collide.public.a.b and collide.public.a_b");

    // A renamed table alone is no error.
    config.put("table.include.list", "public\\.order lines");
    assertThat(errors(config)).isEmpty();
  }

  @Test
  void aTopicPrefixKafkaCannotTakeIsReported() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "badprefix");
    config.put("topic.prefix", "my prefix");
    assertThat(errors(config))
        .containsOnlyKeys("topic.prefix")
        .extractingByKey("topic.prefix")
        .asString()
        .contains("only a-z, A-Z, 0-9");
  }

  @Test
  void moreTasksWithoutASnapshotAreRefusedOnTasksMax() {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "notasks");
    config.put("table.include.list", "public\\.orders");
    config.put("snapshot.mode", "no_data");
    config.put("tasks.max", "2");
    assertThat(errors(config))
        .containsOnlyKeys("tasks.max")
        .extractingByKey("tasks.max")
        .asString()
        .contains("snapshot.mode=no_data");
    config.put("tasks.max", "1");
    // The keys the connector hands its tasks are not for users to set.
    config.put("pgsnow.snapshot.plan", "1");
    assertThat(errors(config)).containsOnlyKeys("pgsnow.snapshot.plan");
  }

  private static Map<String, String> errors(Map<String, String> config) {
    return SourceItSupport.validationErrors(connect, config);
  }
}
