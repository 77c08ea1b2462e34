package io.pgsnow.emulator.load;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first error a load reports, in Snowflake's words. A value its column cannot take fails a file
 * with Snowflake's conversion messages ({@code Numeric value 'abc' is not recognized}), which
 * clients read to tell the data's faults from the service's; DuckDB words them differently.
 */
public final class CopyErrors {

  private record Rule(Pattern pattern, String snowflake) {}

  private static final Pattern CONVERT =
      Pattern.compile("Could not convert string (['\"])(.*)\\1 to ([A-Z]+)", Pattern.DOTALL);

  private static final List<Rule> TEMPORAL =
      List.of(
          new Rule(Pattern.compile("invalid date field format: \"(.*)\", expected"), "Date"),
          new Rule(
              Pattern.compile("invalid timestamp field format: \"(.*)\", expected"), "Timestamp"),
          new Rule(Pattern.compile("time field value out of range: \"(.*)\", expected"), "Time"));

  private CopyErrors() {}

  /** Snowflake's message for a DuckDB load failure; other messages keep their first line. */
  public static String snowflakeMessage(String duckDb) {
    DuckDbFailure failure = DuckDbFailure.of(duckDb);
    String message = failure.message();
    Matcher convert = CONVERT.matcher(message);
    if (convert.find()) {
      String kind = convert.group(3).startsWith("BOOL") ? "Boolean value" : "Numeric value";
      return notRecognized(kind, convert.group(2));
    }
    for (Rule rule : TEMPORAL) {
      Matcher m = rule.pattern().matcher(message);
      if (m.find()) {
        return notRecognized(rule.snowflake(), m.group(1));
      }
    }
    return failure.firstLine();
  }

  private static String notRecognized(String kind, String value) {
    return kind + " '" + value + "' is not recognized";
  }
}
