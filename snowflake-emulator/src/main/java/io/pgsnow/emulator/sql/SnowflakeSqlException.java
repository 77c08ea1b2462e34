package io.pgsnow.emulator.sql;

/** A statement failure carrying the Snowflake error code and SQLSTATE the drivers expect. */
public class SnowflakeSqlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public static final String SYNTAX_ERROR = "001003";
  public static final String OBJECT_NOT_FOUND = "002003";
  public static final String ALREADY_EXISTS = "002002";
  public static final String INVALID_IDENTIFIER = "000904";
  public static final String NO_CURRENT_DATABASE = "090105";
  public static final String NO_CURRENT_SCHEMA = "090106";
  public static final String UNSUPPORTED = "002040";
  public static final String ACCESS_DENIED = "003001";
  public static final String DATA_ERROR = "100038";
  public static final String GENERIC = "000603";
  public static final String CANCELED = "000604";
  public static final String STATEMENT_TIMEOUT = "000630";

  private final String errorCode;
  private final String sqlState;

  public SnowflakeSqlException(String errorCode, String sqlState, String message) {
    super(message);
    this.errorCode = errorCode;
    this.sqlState = sqlState;
  }

  /** Snowflake's 003001: the current role lacks a privilege on an object it can see. */
  public static SnowflakeSqlException accessDenied(String kind, String name) {
    return new SnowflakeSqlException(
        ACCESS_DENIED,
        "42501",
        "SQL access control error:\nInsufficient privileges to operate on "
            + kind
            + " '"
            + name
            + "'");
  }

  public static SnowflakeSqlException notFound(String kind, String name) {
    return new SnowflakeSqlException(
        OBJECT_NOT_FOUND,
        "02000",
        "SQL compilation error:\n" + kind + " '" + name + "' does not exist or not authorized.");
  }

  /**
   * Snowflake's 090105 / 090106: {@code operation} (e.g. {@code SELECT}, {@code CREATE TABLE})
   * needs a current database, or a current schema, that the session does not have.
   */
  public static SnowflakeSqlException noCurrent(boolean schema, String operation) {
    String kind = schema ? "schema" : "database";
    return new SnowflakeSqlException(
        schema ? NO_CURRENT_SCHEMA : NO_CURRENT_DATABASE,
        "22000",
        "Cannot perform "
            + operation
            + ". This session does not have a current "
            + kind
            + ". Call 'USE "
            + kind.toUpperCase(java.util.Locale.ROOT)
            + "', or use a qualified name.");
  }

  public static SnowflakeSqlException syntax(String detail) {
    return new SnowflakeSqlException(SYNTAX_ERROR, "42000", "SQL compilation error:\n" + detail);
  }

  public String errorCode() {
    return errorCode;
  }

  public String sqlState() {
    return sqlState;
  }
}
