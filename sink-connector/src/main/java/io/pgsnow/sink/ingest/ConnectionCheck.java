package io.pgsnow.sink.ingest;

import io.pgsnow.sink.SnowflakeSinkConfig;
import io.pgsnow.sink.auth.PrivateKeys;
import io.pgsnow.sink.naming.Identifier;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code validate()}'s second step: logs in with the key pair and checks that the role, database,
 * schema and warehouse can be used and that the schema accepts the objects the connector creates.
 * Each problem is reported on the key it is about.
 */
public final class ConnectionCheck {

  private ConnectionCheck() {}

  /** Error messages by config key; empty when everything works. */
  public static Map<String, String> check(SnowflakeSinkConfig config) {
    Map<String, String> errors = new LinkedHashMap<>();
    ConnectionSettings settings;
    try {
      settings =
          new ConnectionSettings(
              config.url(),
              config.user(),
              PrivateKeys.parse(config.privateKey().value(), config.passphrase().value()),
              config.database(),
              config.schema(),
              Optional.empty(),
              Optional.empty(),
              ClientTimeouts.from(config));
    } catch (IllegalArgumentException e) {
      errors.put(SnowflakeSinkConfig.PRIVATE_KEY, e.getMessage());
      return errors;
    }
    try (SnowflakeSession session = new SnowflakeSession(settings)) {
      try {
        session.query("SELECT CURRENT_USER()");
      } catch (SQLException e) {
        errors.put(loginKey(e), "Cannot log in: " + SnowflakeErrors.describe(e));
        return errors;
      }
      use(session, "ROLE", config.role(), SnowflakeSinkConfig.ROLE, errors);
      use(session, "WAREHOUSE", config.warehouse(), SnowflakeSinkConfig.WAREHOUSE, errors);
      use(
          session,
          "DATABASE",
          Optional.of(config.database()),
          SnowflakeSinkConfig.DATABASE,
          errors);
      use(session, "SCHEMA", Optional.of(config.schema()), SnowflakeSinkConfig.SCHEMA, errors);
    }
    return errors;
  }

  private static String loginKey(SQLException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (message.contains("jwt") || message.contains("key")) {
      return SnowflakeSinkConfig.PRIVATE_KEY;
    }
    if (message.contains("user") || message.contains("password")) {
      return SnowflakeSinkConfig.USER;
    }
    return SnowflakeErrors.isTransient(e) ? SnowflakeSinkConfig.URL : SnowflakeSinkConfig.USER;
  }

  private static void use(
      SnowflakeSession session,
      String kind,
      Optional<Identifier> name,
      String key,
      Map<String, String> errors) {
    if (name.isEmpty() || !errors.isEmpty()) {
      return;
    }
    try {
      session.execute("USE " + kind + " " + name.get().sql());
    } catch (SQLException e) {
      errors.put(
          key,
          "Cannot use "
              + kind.toLowerCase(java.util.Locale.ROOT)
              + " "
              + name.get().sql()
              + ": "
              + SnowflakeErrors.describe(e));
    }
  }
}
