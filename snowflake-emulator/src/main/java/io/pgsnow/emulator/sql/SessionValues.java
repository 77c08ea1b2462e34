package io.pgsnow.emulator.sql;

/** Session facts that Snowflake's {@code CURRENT_*()} functions return. */
public record SessionValues(String user, String role, String warehouse, String account) {

  /** What the session function {@code upper} (CURRENT_USER, ...) returns, or null for others. */
  public String valueOf(String upper) {
    return switch (upper) {
      case "CURRENT_USER" -> user;
      case "CURRENT_ROLE" -> role;
      case "CURRENT_WAREHOUSE" -> warehouse;
      case "CURRENT_ACCOUNT", "CURRENT_ACCOUNT_NAME" -> account;
      case "CURRENT_REGION" -> "LOCAL";
      case "CURRENT_VERSION" -> "9.0.0";
      case "CURRENT_CLIENT" -> "JDBC";
      default -> null;
    };
  }
}
