package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.Unsupported;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps DuckDB failures to the Snowflake error codes and SQLSTATEs clients branch on. DuckDB's JDBC
 * driver reports every failure as a plain {@link SQLException} without a SQLSTATE; the kind of
 * error is the type DuckDB names first ({@code Catalog Error: ...}), which decides the code here.
 * Within a type, the name of the missing object or column is read from the message.
 */
final class DuckDbErrors {

  /** DuckDB's exception types (its {@code ExceptionType}) that map to a Snowflake error. */
  enum Type {
    PARSER,
    CATALOG,
    BINDER,
    CONVERSION,
    INVALID_INPUT,
    OUT_OF_RANGE,
    CONSTRAINT,
    NOT_IMPLEMENTED,
    OTHER;

    static Type of(String message) {
      Matcher m = TYPE.matcher(message);
      if (!m.find()) {
        return OTHER;
      }
      String name = m.group(1).trim().toUpperCase(Locale.ROOT).replace(' ', '_');
      for (Type t : values()) {
        if (t.name().equals(name)) {
          return t;
        }
      }
      return OTHER;
    }
  }

  private static final Pattern TYPE = Pattern.compile("^([A-Za-z][A-Za-z ]*?) Error: ");
  private static final Pattern MISSING_TABLE =
      Pattern.compile("(?:Table|View) with name ([^ ]+) does not exist");
  private static final Pattern MISSING_FUNCTION =
      Pattern.compile("Function with name ([^ ]+) does not exist");
  private static final Pattern MISSING_COLUMN =
      Pattern.compile("Referenced column \"?([^\" ]+)\"? not found");

  private DuckDbErrors() {}

  static SnowflakeSqlException translate(SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    String first = message.split("\n")[0];
    int marker = message.indexOf(ConversionFunctions.UNSUPPORTED_MARKER);
    if (marker >= 0) {
      String feature = message.substring(marker + ConversionFunctions.UNSUPPORTED_MARKER.length());
      return Unsupported.feature(feature.split("\n")[0].replaceAll("['\"]+$", ""));
    }
    int tooLong = message.indexOf(ConversionFunctions.TOO_LONG_MARKER);
    if (tooLong >= 0) {
      String text = message.substring(tooLong + ConversionFunctions.TOO_LONG_MARKER.length());
      return new SnowflakeSqlException("100078", "22000", text.split("\n")[0]);
    }
    return switch (Type.of(message)) {
      case CATALOG -> catalog(message, first);
      case BINDER -> binder(message, first);
      case PARSER -> SnowflakeSqlException.syntax(first);
      case CONVERSION, INVALID_INPUT ->
          new SnowflakeSqlException(SnowflakeSqlException.DATA_ERROR, "22018", first);
      case OUT_OF_RANGE -> new SnowflakeSqlException("100039", "22003", first);
      case CONSTRAINT -> new SnowflakeSqlException("100072", "22000", first);
      case NOT_IMPLEMENTED -> Unsupported.feature(first);
      case OTHER -> new SnowflakeSqlException(SnowflakeSqlException.GENERIC, "XX000", first);
    };
  }

  private static SnowflakeSqlException catalog(String message, String first) {
    Matcher table = MISSING_TABLE.matcher(message);
    if (table.find()) {
      return SnowflakeSqlException.notFound("Object", table.group(1));
    }
    Matcher function = MISSING_FUNCTION.matcher(message);
    if (function.find()) {
      return new SnowflakeSqlException(
          "002140",
          "42601",
          "SQL compilation error:\nUnknown function " + function.group(1).toUpperCase(Locale.ROOT));
    }
    return new SnowflakeSqlException("002043", "42000", "SQL compilation error:\n" + first);
  }

  private static SnowflakeSqlException binder(String message, String first) {
    Matcher column = MISSING_COLUMN.matcher(message);
    if (column.find()) {
      return new SnowflakeSqlException(
          SnowflakeSqlException.INVALID_IDENTIFIER,
          "42000",
          "SQL compilation error: error line 1 at position 0\ninvalid identifier '"
              + column.group(1)
              + "'");
    }
    return new SnowflakeSqlException("002043", "42000", "SQL compilation error:\n" + first);
  }
}
