package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import net.snowflake.client.jdbc.telemetry.Telemetry;
import net.snowflake.client.jdbc.telemetry.TelemetryClient;
import net.snowflake.client.jdbc.telemetry.TelemetryField;
import net.snowflake.client.jdbc.telemetry.TelemetryUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Password and key-pair logins, their failures, and session-token renewal. */
class AuthenticationIT {

  private static SnowflakeEmulator emulator;
  private static KeyPair keys;

  @BeforeAll
  static void start() {
    keys = EmulatorClients.newKeyPair();
    emulator =
        SnowflakeEmulator.builder()
            .user(EmulatorClients.USER, EmulatorClients.PASSWORD)
            .userKey("KAFKA_CONNECTOR", keys.getPublic())
            .start();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void keyPairLoginIdentifiesTheUser() throws SQLException {
    try (Connection conn = EmulatorClients.keyPair(emulator, "kafka_connector", keys)) {
      assertThat(rows(conn, "select current_user()")).containsExactly(List.of("KAFKA_CONNECTOR"));
    }
  }

  @Test
  void keyRegisteredWithAlterUserIsAccepted() throws SQLException {
    KeyPair other = EmulatorClients.newKeyPair();
    try (Connection admin = EmulatorClients.password(emulator)) {
      EmulatorClients.exec(
          admin,
          "create user if not exists loader",
          "alter user loader set rsa_public_key = '-----BEGIN PUBLIC KEY-----\n"
              + java.util.Base64.getMimeEncoder().encodeToString(other.getPublic().getEncoded())
              + "\n-----END PUBLIC KEY-----'");
    }
    try (Connection conn = EmulatorClients.keyPair(emulator, "LOADER", other)) {
      assertThat(rows(conn, "select 1")).containsExactly(List.of("1"));
    }
  }

  @Test
  void wrongKeyIsRejectedAsInvalidJwt() {
    KeyPair stranger = EmulatorClients.newKeyPair();
    assertThatThrownBy(() -> EmulatorClients.keyPair(emulator, "KAFKA_CONNECTOR", stranger))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(390144));
  }

  @Test
  void wrongPasswordIsRejected() {
    Properties p = EmulatorClients.baseProperties();
    p.put("password", "wrong");
    assertThatThrownBy(() -> DriverManager.getConnection(emulator.jdbcUrl(), p))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(390100));
  }

  /** The driver heartbeats only every 15+ minutes, so the endpoint is called with its token. */
  @Test
  void heartbeatAnswersForLiveSessionsOnly() throws Exception {
    String token;
    try (Connection conn = EmulatorClients.password(emulator)) {
      token =
          conn.unwrap(net.snowflake.client.jdbc.SnowflakeConnectionV1.class)
              .getSfSession()
              .getSessionToken();
      assertThat(heartbeat(token)).contains("\"success\":true");
    }
    assertThat(heartbeat(token)).contains("\"success\":false").contains("390111");
  }

  private static String heartbeat(String token) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(emulator.accountUrl() + "/session/heartbeat"))
                .header("Authorization", "Snowflake Token=\"" + token + "\"")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void telemetryIsAccepted() throws Exception {
    try (Connection conn = EmulatorClients.password(emulator)) {
      Telemetry telemetry = TelemetryClient.createTelemetry(conn);
      telemetry.addLogToBatch(
          TelemetryUtil.buildJobData("q1", TelemetryField.TIME_CONSUME_FIRST_RESULT, 5));
      assertThat(telemetry.sendBatchAsync().get()).isTrue();
    }
  }

  @Test
  void expiredSessionIsRenewedTransparently() throws SQLException {
    try (Connection conn = EmulatorClients.password(emulator)) {
      assertThat(rows(conn, "select 1")).hasSize(1);
      assertThat(emulator.expireSessions()).isPositive();
      assertThat(rows(conn, "select 2")).containsExactly(List.of("2"));
    }
  }
}
