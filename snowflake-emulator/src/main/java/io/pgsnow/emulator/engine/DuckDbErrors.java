package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.load.DuckDbFailure;
import io.pgsnow.emulator.sql.SnowflakeSqlException;
import io.pgsnow.emulator.sql.Unsupported;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Maps DuckDB failures to the Snowflake error codes and SQLSTATEs clients branch on, by the type
 * and subtype DuckDB gives them ({@link DuckDbFailure}: session connections report errors as JSON),
 * never by their wording: Catalog {@code MISSING_ENTRY} of a table or view is 002003, of a function
 * 002140; Binder {@code COLUMN_NOT_FOUND} is 000904; the other types map as a whole.
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

    static Type of(String duckDbType) {
      String name = duckDbType.trim().toUpperCase(Locale.ROOT).replace(' ', '_');
      for (Type t : values()) {
        if (t.name().equals(name)) {
          return t;
        }
      }
      return OTHER;
    }
  }

  private DuckDbErrors() {}

  static SnowflakeSqlException translate(SQLException e) {
    DuckDbFailure failure =
        DuckDbFailure.of(e.getMessage() == null ? e.toString() : e.getMessage());
    String message = failure.message();
    String first = failure.firstLine();
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
    return switch (Type.of(failure.type())) {
      case CATALOG -> catalog(failure, first);
      case BINDER -> binder(failure, first);
      case PARSER -> SnowflakeSqlException.syntax(first);
      case CONVERSION, INVALID_INPUT ->
          new SnowflakeSqlException(SnowflakeSqlException.DATA_ERROR, "22018", first);
      case OUT_OF_RANGE -> new SnowflakeSqlException("100039", "22003", first);
      case CONSTRAINT -> new SnowflakeSqlException("100072", "22000", first);
      case NOT_IMPLEMENTED -> Unsupported.feature(first);
      case OTHER -> new SnowflakeSqlException(SnowflakeSqlException.GENERIC, "XX000", first);
    };
  }

  private static SnowflakeSqlException catalog(DuckDbFailure failure, String first) {
    if (failure.subtype().equals("MISSING_ENTRY") && !failure.name().isEmpty()) {
      String entry = failure.entryType();
      if (entry.equals("Table") || entry.equals("View")) {
        return SnowflakeSqlException.notFound("Object", failure.name());
      }
      if (entry.endsWith("Function")) {
        return new SnowflakeSqlException(
            "002140",
            "42601",
            "SQL compilation error:\nUnknown function " + failure.name().toUpperCase(Locale.ROOT));
      }
    }
    return new SnowflakeSqlException("002043", "42000", "SQL compilation error:\n" + first);
  }

  private static SnowflakeSqlException binder(DuckDbFailure failure, String first) {
    if (failure.subtype().equals("COLUMN_NOT_FOUND") && !failure.name().isEmpty()) {
      return new SnowflakeSqlException(
          SnowflakeSqlException.INVALID_IDENTIFIER,
          "42000",
          "SQL compilation error: error line 1 at position 0\ninvalid identifier '"
              + failure.name()
              + "'");
    }
    return new SnowflakeSqlException("002043", "42000", "SQL compilation error:\n" + first);
  }
}
