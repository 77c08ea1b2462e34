package io.pgsnow.emulator.sql;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Snowflake's date and time part names (with their abbreviations) as DuckDB spells them, for
 * DATEADD, DATEDIFF, DATE_TRUNC and DATE_PART, whose first argument Snowflake takes unquoted.
 */
final class DateParts {

  private static final Map<String, String> CANONICAL = new HashMap<>();

  static {
    alias("year", "Y", "YY", "YYY", "YYYY", "YR", "YEARS", "YRS");
    alias("quarter", "Q", "QTR", "QTRS", "QUARTERS");
    alias("month", "MM", "MON", "MONS", "MONTHS");
    alias("week", "W", "WK", "WEEKOFYEAR", "WOY", "WY", "WEEKS");
    alias("day", "D", "DD", "DAYS", "DAYOFMONTH");
    alias("dow", "DAYOFWEEK", "WEEKDAY", "DW");
    alias("doy", "DAYOFYEAR", "YEARDAY", "DY");
    alias("hour", "H", "HH", "HR", "HOURS", "HRS");
    alias("minute", "M", "MI", "MIN", "MINUTES", "MINS");
    alias("second", "S", "SEC", "SECONDS", "SECS");
    alias("millisecond", "MS", "MSEC", "MILLISECONDS");
    alias("microsecond", "US", "USEC", "MICROSECONDS");
    alias("epoch", "EPOCH_SECOND", "EPOCH_SECONDS");
  }

  private DateParts() {}

  private static void alias(String canonical, String... names) {
    CANONICAL.put(canonical.toUpperCase(Locale.ROOT), canonical);
    for (String name : names) {
      CANONICAL.put(name, canonical);
    }
  }

  private static final java.util.Set<String> CALENDAR_PARTS =
      java.util.Set.of("year", "quarter", "month", "week", "day");

  /**
   * The engine function for {@code function} (DuckDB's name) with this DuckDB part: DATEADD of a
   * calendar part and DATE_TRUNC keep a DATE a DATE, DATE_PART of an epoch part is whole seconds.
   */
  static String function(String function, String part) {
    return switch (function) {
      case "dateadd" -> CALENDAR_PARTS.contains(part) ? "sf_dateadd_calendar" : "dateadd";
      case "date_trunc" -> "sf_date_trunc";
      case "date_part" -> part.equals("epoch") ? "sf_epoch_second" : "date_part";
      default -> function;
    };
  }

  /** The DuckDB part for a Snowflake part written as a word or a string literal. */
  static String duckPart(Token token) {
    String name = token.kind() == Token.Kind.STRING ? token.stringValue() : token.text();
    String upper = name.toUpperCase(Locale.ROOT);
    return CANONICAL.getOrDefault(upper, name.toLowerCase(Locale.ROOT));
  }
}
