package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.SnowflakeSqlException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps DuckDB error messages to the Snowflake error codes and SQLSTATEs clients branch on. */
final class DuckDbErrors {

  private static final Pattern MISSING_TABLE =
      Pattern.compile("(?:Table|View) with name ([^ ]+) does not exist");
  private static final Pattern MISSING_COLUMN =
      Pattern.compile("Referenced column \"?([^\" ]+)\"? not found");

  private DuckDbErrors() {}

  static SnowflakeSqlException translate(SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    String first = message.split("\n")[0];
    Matcher table = MISSING_TABLE.matcher(message);
    if (table.find()) {
      return SnowflakeSqlException.notFound("Object", table.group(1));
    }
    Matcher column = MISSING_COLUMN.matcher(message);
    if (column.find()) {
      return new SnowflakeSqlException(
          SnowflakeSqlException.INVALID_IDENTIFIER,
          "42000",
          "SQL compilation error: error line 1 at position 0\ninvalid identifier '"
              + column.group(1)
              + "'");
    }
    if (message.contains("Parser Error")) {
      return SnowflakeSqlException.syntax(first);
    }
    if (message.contains("Conversion Error") || message.contains("Invalid Input Error")) {
      return new SnowflakeSqlException(SnowflakeSqlException.DATA_ERROR, "22018", first);
    }
    if (message.contains("Constraint Error")) {
      return new SnowflakeSqlException("100072", "22000", first);
    }
    if (message.contains("Catalog Error") || message.contains("Binder Error")) {
      return new SnowflakeSqlException("002043", "42000", "SQL compilation error:\n" + first);
    }
    return new SnowflakeSqlException(SnowflakeSqlException.GENERIC, "XX000", first);
  }
}
