package io.pgsnow.emulator.sql;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The TARGET_LAG option of a dynamic table. */
final class TargetLag {

  private static final Pattern TARGET_LAG =
      Pattern.compile("(?i)\\s*(\\d+)\\s*(second|seconds|minute|minutes|hour|hours|day|days)\\s*");

  private TargetLag() {}

  /**
   * A TARGET_LAG value as Snowflake takes it: DOWNSTREAM, or a quoted number of seconds, minutes,
   * hours or days of at least one minute ("The minimum target lag is 60 seconds. Values below this
   * fail validation": https://docs.snowflake.com/en/user-guide/dynamic-tables/target-lag).
   */
  static String parse(Token value) {
    if (value.kind() != Token.Kind.STRING) {
      if (value.isWord("DOWNSTREAM")) {
        return "DOWNSTREAM";
      }
      throw SnowflakeSqlException.syntax(
          "invalid value [" + value.text() + "] for parameter 'TARGET_LAG'.");
    }
    Matcher m = TARGET_LAG.matcher(value.stringValue());
    if (!m.matches()) {
      throw SnowflakeSqlException.syntax(
          "invalid value ['" + value.stringValue() + "'] for parameter 'TARGET_LAG'.");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    long seconds =
        unit.startsWith("second")
            ? n
            : unit.startsWith("minute") ? n * 60 : unit.startsWith("hour") ? n * 3600 : n * 86400;
    if (seconds < 60) {
      throw SnowflakeSqlException.syntax(
          "invalid value ['"
              + value.stringValue()
              + "'] for parameter 'TARGET_LAG': the minimum target lag is 1 minute.");
    }
    return value.stringValue().trim();
  }
}
