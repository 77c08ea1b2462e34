package io.pgsnow.emulator.sql;

import java.util.Locale;

/**
 * Snowflake's date and time format elements (YYYY, MM, DD, HH24, MI, SS, FF, ...) as DuckDB
 * strftime specifiers; other characters are printed as written, as Snowflake prints them.
 */
final class DateTimeFormat {

  private static final String[][] ELEMENTS = {
    {"YYYY", "%Y"}, {"YY", "%y"}, {"MMMM", "%B"}, {"MON", "%b"}, {"MM", "%m"}, {"DD", "%d"},
    {"DY", "%a"}, {"HH24", "%H"}, {"HH12", "%I"}, {"HH", "%I"}, {"AM", "%p"}, {"PM", "%p"},
    {"MI", "%M"}, {"SS", "%S"}, {"FF9", "%n"}, {"FF6", "%f"}, {"FF3", "%g"}, {"FF", "%n"},
    {"TZH:TZM", "%z"}
  };

  private DateTimeFormat() {}

  static String toStrftime(String format) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c == '"') {
        int end = format.indexOf('"', i + 1);
        if (end < 0) {
          throw SnowflakeSqlException.syntax("unterminated literal in format '" + format + "'");
        }
        out.append(format.substring(i + 1, end).replace("%", "%%"));
        i = end + 1;
        continue;
      }
      String element = element(format, i);
      if (element != null) {
        out.append(strftime(element));
        i += element.length();
      } else {
        out.append(c == '%' ? "%%" : String.valueOf(c));
        i++;
      }
    }
    return out.toString();
  }

  private static String element(String format, int at) {
    String rest = format.substring(at).toUpperCase(Locale.ROOT);
    for (String[] e : ELEMENTS) {
      if (rest.startsWith(e[0])) {
        return format.substring(at, at + e[0].length());
      }
    }
    return null;
  }

  private static String strftime(String element) {
    String upper = element.toUpperCase(Locale.ROOT);
    for (String[] e : ELEMENTS) {
      if (e[0].equals(upper)) {
        return e[1];
      }
    }
    throw new IllegalStateException(element);
  }
}
