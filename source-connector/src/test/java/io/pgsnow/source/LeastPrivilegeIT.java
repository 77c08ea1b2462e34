package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The source as the README's least-privilege role: {@code LOGIN REPLICATION} and {@code SELECT} on
 * the captured tables, nothing else (no superuser, no ownership, no other table), with the
 * publication created in advance by an administrator ({@code
 * publication.autocreate.mode=disabled}). It validates, snapshots the rows already there and
 * streams inserts, updates and deletes; with {@code filtered} it is told, on {@code
 * publication.name}, that only the publication's owner may set its tables.
 */
class LeastPrivilegeIT {
  private static final String DB = "least_privilege";
  private static final String ROLE = "lp_cdc";
  private static final String PASSWORD = "lp-" + UUID.randomUUID();
  private static LocalPostgres pg;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    pg.execute("DROP ROLE IF EXISTS " + ROLE);
    pg.executeIn(
        DB,
        "CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance bigint)",
        "CREATE TABLE salaries (id int PRIMARY KEY, amount bigint)",
        "INSERT INTO accounts VALUES (1, 'ada', 100), (2, 'grace', 200)",
        // What the administrator does once:
        "CREATE PUBLICATION lp_pub FOR TABLE accounts",
        "CREATE ROLE " + ROLE + " WITH LOGIN REPLICATION PASSWORD '" + PASSWORD + "'",
        "GRANT SELECT ON accounts TO " + ROLE);
    connect = SourceItSupport.sharedCluster();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  private static Map<String, String> config(String mode) {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "lp");
    config.put("database.user", ROLE);
    config.put("database.password", PASSWORD);
    config.put("table.include.list", "public.accounts");
    config.put("publication.name", "lp_pub");
    config.put("publication.autocreate.mode", mode);
    return config;
  }

  @Test
  void theRoleHasNoMoreThanReplicationAndSelectOnTheCapturedTables() throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), ROLE, PASSWORD);
        Statement s = c.createStatement()) {
      var rs =
          s.executeQuery(
              "SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication FROM pg_roles"
                  + " WHERE rolname = current_user");
      rs.next();
      assertThat(List.of(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4)))
          .containsExactly(false, false, false, true);
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM salaries"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("CREATE PUBLICATION mine FOR TABLE accounts"))
          .hasMessageContaining("permission denied for database");
    }
  }

  @Test
  void validatesSnapshotsAndStreamsWithAPublicationTheAdministratorCreated() throws Exception {
    Map<String, String> config = config("disabled");
    assertThat(SourceItSupport.validationErrors(connect, new java.util.HashMap<>(config)))
        .isEmpty();
    SourceItSupport.startConnector(connect, pg, DB, "lp", config);
    pg.executeIn(
        DB,
        "INSERT INTO accounts VALUES (3, 'edsger', 300)",
        "UPDATE accounts SET balance = 150 WHERE id = 1",
        "DELETE FROM accounts WHERE id = 2",
        "INSERT INTO salaries VALUES (1, 999)");

    List<JsonNode> changes =
        SourceItSupport.events(SourceItSupport.awaitRecords(connect, "lp.public.accounts", 6))
            .stream()
            .filter(e -> e.value() != null)
            .map(SourceItSupport.Event::payload)
            .toList();
    assertThat(changes)
        .extracting(e -> e.get("op").asText(), e -> rowOf(e).get("id").asInt())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("r", 1),
            org.assertj.core.groups.Tuple.tuple("r", 2),
            org.assertj.core.groups.Tuple.tuple("c", 3),
            org.assertj.core.groups.Tuple.tuple("u", 1),
            org.assertj.core.groups.Tuple.tuple("d", 2));
    assertThat(changes.get(3).get("after").get("balance").asLong()).isEqualTo(150);
    assertThat(connect.kafka().describeTopics("lp.public.salaries").get("lp.public.salaries"))
        .as("the table the role may not read is not captured")
        .isEmpty();
  }

  @Test
  void filteredModeSaysOnlyThePublicationsOwnerMaySetItsTables() {
    Map<String, String> config = config("filtered");
    config.put("slot.name", "lp_filtered_slot");
    assertThat(SourceItSupport.validationErrors(connect, new java.util.HashMap<>(config)))
        .hasEntrySatisfying(
            "publication.name",
            message ->
                assertThat(message)
                    .contains("belongs to role postgres")
                    .contains("publication.autocreate.mode=disabled"));
  }

  private static JsonNode rowOf(JsonNode payload) {
    return "d".equals(payload.get("op").asText()) ? payload.get("before") : payload.get("after");
  }
}
