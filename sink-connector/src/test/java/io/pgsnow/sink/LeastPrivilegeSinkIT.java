package io.pgsnow.sink;

import static io.pgsnow.sink.SinkItSupport.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink as a user whose role has exactly the README's "Least privilege" grants on one schema
 * (the emulator enforces Snowflake's access control for custom roles): it creates its table, stage
 * and pipe there and loads; with CREATE PIPE left out, the task fails naming that privilege.
 */
class LeastPrivilegeSinkIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String USER = "PGSNOW";

  @RegisterExtension static final SinkEnvironment ENV = new SinkEnvironment("sink-least");

  /** The README's statements, for {@code role}, on the schema LEAST; {@code without} left out. */
  private static String[] grants(String role, String without) {
    String schemaPrivileges =
        "USAGE, CREATE TABLE, CREATE STAGE, CREATE PIPE".replace(", " + without, "");
    return new String[] {
      "CREATE ROLE " + role,
      "GRANT USAGE ON DATABASE KAFKA_DB TO ROLE " + role,
      "GRANT " + schemaPrivileges + " ON SCHEMA KAFKA_DB.LEAST TO ROLE " + role,
      "GRANT USAGE ON WAREHOUSE COMPUTE_WH TO ROLE " + role,
      "GRANT ROLE " + role + " TO USER " + USER
    };
  }

  @BeforeAll
  static void grantTheReadmesPrivileges() throws Exception {
    try (Connection admin = SinkItSupport.connect(ENV.emulator, SinkItSupport.DATABASE)) {
      SinkItSupport.exec(
          admin,
          "CREATE SCHEMA KAFKA_DB.LEAST",
          "CREATE USER " + USER,
          "ALTER USER "
              + USER
              + " SET RSA_PUBLIC_KEY = '"
              + Base64.getEncoder().encodeToString(ENV.keys.getPublic().getEncoded())
              + "'");
      SinkItSupport.exec(admin, grants("PGSNOW_SINK", "none"));
      SinkItSupport.exec(admin, grants("PGSNOW_NO_PIPE", "CREATE PIPE"));
      SinkItSupport.exec(admin, "ALTER USER " + USER + " SET DEFAULT_ROLE = PGSNOW_SINK");
    }
  }

  private static void start(String name, String topic, String role) {
    ENV.connect.kafka().createTopic(topic, 1);
    for (int i = 0; i < 3; i++) {
      ENV.connect.kafka().produce(topic, 0, null, "{\"n\":" + i + "}");
    }
    Map<String, String> config = SinkItSupport.sinkConfig(ENV.emulator, ENV.keys, topic, false);
    config.put("snowflake.user.name", USER);
    config.put("snowflake.schema.name", "LEAST");
    if (role != null) {
      config.put("snowflake.role.name", role);
    }
    ENV.connect.createConnector(name, config);
  }

  @Test
  void theReadmesGrantsAreEnoughToCreateTheObjectsAndLoad() throws SQLException {
    start("least", "least_topic", null);
    await("rows loaded by the least-privileged role")
        .atMost(TIMEOUT)
        .until(() -> count(ENV.emulator, "SELECT COUNT(*) FROM KAFKA_DB.LEAST.LEAST_TOPIC") == 3);
    assertThat(SinkItSupport.taskState(ENV.connect, "least")).isEqualTo("RUNNING");
    // the role owns the table: a table of another role would not exist for it
    Properties p = new Properties();
    p.put("account", "EMULATOR");
    p.put("user", USER);
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", ENV.keys.getPrivate());
    p.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
    p.put("db", SinkItSupport.DATABASE);
    p.put("schema", "LEAST");
    try (Connection sink = DriverManager.getConnection(ENV.emulator.jdbcUrl(), p)) {
      assertThat(SinkItSupport.rows(sink, "SELECT CURRENT_ROLE(), COUNT(*) FROM LEAST_TOPIC"))
          .containsExactly(List.of("PGSNOW_SINK", "3"));
    }
  }

  @Test
  void withoutCreatePipeTheTaskFailsNamingThePrivilege() {
    start("no_pipe", "no_pipe_topic", "PGSNOW_NO_PIPE");
    await("the task fails")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> SinkItSupport.taskState(ENV.connect, "no_pipe").equals("FAILED"));
    assertThat(ENV.connect.failedTaskTrace("no_pipe"))
        .contains("lacks the privilege CREATE PIPE on the schema")
        .contains("Insufficient privileges to operate on schema 'LEAST'");
    assertThat(count(ENV.emulator, "SELECT COUNT(*) FROM KAFKA_DB.LEAST.NO_PIPE_TOPIC")).isZero();
  }
}
