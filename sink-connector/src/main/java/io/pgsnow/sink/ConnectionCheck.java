package io.pgsnow.sink;

import io.pgsnow.sink.auth.PrivateKeys;
import io.pgsnow.sink.ingest.ConnectionSettings;
import io.pgsnow.sink.ingest.SnowflakeErrors;
import io.pgsnow.sink.ingest.SnowflakeSession;
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
              config.clientTimeouts());
    } catch (PrivateKeys.PassphraseException e) {
      errors.put(SnowflakeSinkConfig.PASSPHRASE, e.getMessage());
      return errors;
    } catch (IllegalArgumentException e) {
      errors.put(SnowflakeSinkConfig.PRIVATE_KEY, e.getMessage());
      return errors;
    }
    try (SnowflakeSession session = new SnowflakeSession(settings)) {
      try {
        session.query("SELECT CURRENT_USER()");
      } catch (SQLException e) {
        loginFailure(config, e, errors);
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

  /**
   * Puts a failed login on the key it is about. A session starts by using the configured database
   * and schema, so "does not exist" (002003) is about those; a rejected JWT is about the key pair
   * (Snowflake does not say whether the user exists, so the message names both).
   */
  private static void loginFailure(
      SnowflakeSinkConfig config, SQLException e, Map<String, String> errors) {
    String described = SnowflakeErrors.describe(e);
    String message = String.valueOf(e.getMessage());
    if (e.getErrorCode() == OBJECT_DOES_NOT_EXIST && message.contains("Database '")) {
      errors.put(
          SnowflakeSinkConfig.DATABASE,
          "Cannot use database " + config.database().sql() + ": " + described);
    } else if (e.getErrorCode() == OBJECT_DOES_NOT_EXIST && message.contains("Schema '")) {
      errors.put(
          SnowflakeSinkConfig.SCHEMA,
          "Cannot use schema " + config.schema().sql() + ": " + described);
    } else if (message.toLowerCase(java.util.Locale.ROOT).contains("jwt")) {
      errors.put(
          SnowflakeSinkConfig.PRIVATE_KEY,
          "Cannot log in as "
              + config.user()
              + " with this key: "
              + described
              + ". The user's RSA_PUBLIC_KEY (or RSA_PUBLIC_KEY_2) must be the public half of"
              + " this private key.");
    } else if (SnowflakeErrors.isTransient(e)) {
      errors.put(
          SnowflakeSinkConfig.URL,
          "Cannot reach Snowflake at "
              + config.url().host()
              + ":"
              + config.url().port()
              + ": "
              + described
              + ". Check snowflake.url.name (https://<account>.snowflakecomputing.com) and that"
              + " the worker can reach it");
    } else {
      errors.put(SnowflakeSinkConfig.USER, "Cannot log in: " + described);
    }
  }

  private static final int OBJECT_DOES_NOT_EXIST = 2003;

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
