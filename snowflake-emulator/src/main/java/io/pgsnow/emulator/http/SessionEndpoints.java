package io.pgsnow.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.emulator.auth.AuthenticationException;
import io.pgsnow.emulator.auth.SessionRegistry;
import io.pgsnow.emulator.engine.SessionState;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Login (password and key-pair JWT), token renewal, heartbeat, logout and telemetry. */
final class SessionEndpoints {

  private static final Logger LOG = LoggerFactory.getLogger(SessionEndpoints.class);

  static final String SESSION_EXPIRED = "390112";
  static final String SESSION_GONE = "390111";
  static final String MASTER_EXPIRED = "390114";
  private static final int SESSION_VALIDITY_SECONDS = 3600;
  private static final int MASTER_VALIDITY_SECONDS = 14400;

  private final EmulatorContext context;

  SessionEndpoints(EmulatorContext context) {
    this.context = context;
  }

  void login(JsonExchange ex) throws IOException {
    JsonNode data = ex.json().path("data");
    Map<String, String> query = ex.query();
    String user;
    try {
      user = authenticate(data);
    } catch (AuthenticationException e) {
      LOG.info("Login rejected for {}: {}", data.path("LOGIN_NAME").asText(), e.getMessage());
      ObjectNode failure = JsonExchange.JSON.createObjectNode();
      failure.put("nextAction", "RETRY_LOGIN");
      failure.put("authnMethod", data.path("AUTHENTICATOR").asText("PASSWORD"));
      ex.fail(e.code(), e.getMessage(), failure);
      return;
    }
    Optional<String> role = context.executor().loginRole(user, query.get("roleName"));
    if (role.isEmpty()) {
      ex.fail(
          "390189",
          "Role '"
              + query.get("roleName").toUpperCase(Locale.ROOT)
              + "' specified in the connect string is not granted to this user. Contact your local"
              + " system administrator, or attempt to login with another role, e.g. PUBLIC.",
          null);
      return;
    }
    String account = data.path("ACCOUNT_NAME").asText("EMULATOR").toUpperCase(Locale.ROOT);
    SessionState state;
    try {
      state = new SessionState(context.warehouse().newConnection(), user, account);
    } catch (SQLException e) {
      ex.fail("390400", "Cannot open a session: " + e.getMessage(), null);
      return;
    }
    Optional.ofNullable(query.get("warehouse"))
        .filter(w -> !w.isBlank())
        .ifPresent(w -> state.setWarehouse(w.toUpperCase(Locale.ROOT)));
    state.setRole(role.get());
    context.executor().useInitial(state, query.get("databaseName"), query.get("schemaName"));
    SessionRegistry.Entry<SessionState> entry = context.sessions().open(user, state);
    LOG.info("Session {} opened for {}", entry.id(), user);
    ex.ok(loginData(entry));
  }

  private String authenticate(JsonNode data) {
    String loginName = data.path("LOGIN_NAME").asText("");
    String authenticator = data.path("AUTHENTICATOR").asText("SNOWFLAKE");
    if (authenticator.equalsIgnoreCase("SNOWFLAKE_JWT")) {
      String user = context.jwtVerifier().verify(data.path("TOKEN").asText(null));
      if (!loginName.isEmpty() && !user.equalsIgnoreCase(loginName)) {
        throw new AuthenticationException(
            AuthenticationException.INVALID_JWT,
            "JWT token is invalid. (subject does not match the login name)");
      }
      return user;
    }
    return context.users().authenticate(loginName, data.path("PASSWORD").asText(null));
  }

  private static ObjectNode loginData(SessionRegistry.Entry<SessionState> entry) {
    ObjectNode d = JsonExchange.JSON.createObjectNode();
    d.put("token", entry.sessionToken());
    d.put("masterToken", entry.masterToken());
    d.put("validityInSeconds", SESSION_VALIDITY_SECONDS);
    d.put("masterValidityInSeconds", MASTER_VALIDITY_SECONDS);
    d.put("sessionId", entry.id());
    d.put("displayUserName", entry.user());
    d.put("serverVersion", "9.0.0");
    d.put("firstLogin", false);
    d.put("healthCheckInterval", 45);
    d.putNull("newClientForUpgrade");
    d.putNull("idToken");
    ArrayNode parameters = d.putArray("parameters");
    parameter(parameters, "AUTOCOMMIT", true);
    parameter(parameters, "TIMEZONE", "UTC");
    parameter(parameters, "CLIENT_TELEMETRY_ENABLED", true);
    parameter(parameters, "CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", 3600);
    // Snowflake's account defaults; without them the driver renders timestamps in RFC-1123 form.
    parameter(parameters, "TIMESTAMP_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM");
    parameter(parameters, "TIMESTAMP_NTZ_OUTPUT_FORMAT", "YYYY-MM-DD HH24:MI:SS.FF3");
    parameter(parameters, "TIMESTAMP_LTZ_OUTPUT_FORMAT", "");
    parameter(parameters, "TIMESTAMP_TZ_OUTPUT_FORMAT", "");
    parameter(parameters, "DATE_OUTPUT_FORMAT", "YYYY-MM-DD");
    parameter(parameters, "TIME_OUTPUT_FORMAT", "HH24:MI:SS");
    parameter(parameters, "BINARY_OUTPUT_FORMAT", "HEX");
    ObjectNode info = d.putObject("sessionInfo");
    SessionState s = entry.state();
    info.put("databaseName", s.database());
    info.put("schemaName", s.schema());
    info.put("warehouseName", s.warehouse());
    info.put("roleName", s.role());
    return d;
  }

  private static void parameter(ArrayNode parameters, String name, Object value) {
    ObjectNode p = parameters.addObject();
    p.put("name", name);
    p.set("value", JsonExchange.JSON.valueToTree(value));
  }

  void renew(JsonExchange ex) throws IOException {
    Optional<SessionRegistry.Entry<SessionState>> entry =
        context.sessions().renew(ex.snowflakeToken());
    if (entry.isEmpty()) {
      ex.fail(
          MASTER_EXPIRED,
          "Authentication token has expired.  The user must authenticate" + " again.",
          null);
      return;
    }
    ObjectNode d = JsonExchange.JSON.createObjectNode();
    d.put("sessionToken", entry.get().sessionToken());
    d.put("validityInSecondsST", SESSION_VALIDITY_SECONDS);
    d.put("masterToken", entry.get().masterToken());
    d.put("validityInSecondsMT", MASTER_VALIDITY_SECONDS);
    d.put("sessionId", entry.get().id());
    ex.ok(d);
  }

  /** Answers false (after replying) when the caller's session token is not usable. */
  boolean requireSession(JsonExchange ex) throws IOException {
    switch (context.sessions().lookup(ex.snowflakeToken())) {
      case VALID -> {
        return true;
      }
      case EXPIRED ->
          ex.fail(SESSION_EXPIRED, "Your session has expired. Please login again.", null);
      default ->
          ex.fail(
              SESSION_GONE,
              "Session no longer exists.  New login required to access" + " the service.",
              null);
    }
    return false;
  }

  void heartbeat(JsonExchange ex) throws IOException {
    if (requireSession(ex)) {
      ex.ok(JsonExchange.JSON.nullNode());
    }
  }

  void logout(JsonExchange ex) throws IOException {
    context
        .sessions()
        .close(ex.snowflakeToken())
        .ifPresent(
            entry -> {
              try {
                entry.state().close();
              } catch (SQLException e) {
                LOG.debug("Closing session connection failed: {}", e.getMessage());
              }
              LOG.info("Session {} closed", entry.id());
            });
    ex.ok(JsonExchange.JSON.nullNode());
  }

  void telemetry(JsonExchange ex) throws IOException {
    ex.body();
    ex.ok(JsonExchange.JSON.nullNode());
  }
}
