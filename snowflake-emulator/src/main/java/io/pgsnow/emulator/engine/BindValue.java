package io.pgsnow.emulator.engine;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One bind variable as the JDBC driver sends it: a Snowflake type and the value as text, or a list
 * of texts for array (batch) binds. DATE arrives as epoch milliseconds, timestamps as epoch
 * nanoseconds, TIME as nanoseconds of the day.
 */
public record BindValue(String type, List<String> values, boolean array) {

  public static BindValue single(String type, String value) {
    return new BindValue(type, java.util.Collections.singletonList(value), false);
  }

  public String text(int row) {
    return values.get(array ? row : 0);
  }

  /** The Java value DuckDB binds for row {@code row}. */
  public Object javaValue(int row) {
    String v = text(row);
    if (v == null) {
      return null;
    }
    return switch (type.toUpperCase(Locale.ROOT)) {
      case "FIXED" -> new BigDecimal(v);
      case "REAL" -> Double.valueOf(v);
      case "BOOLEAN" -> v.equals("1") || v.equalsIgnoreCase("true");
      case "DATE" -> LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(v)), ZoneOffset.UTC);
      case "TIMESTAMP_NTZ", "TIMESTAMP" ->
          LocalDateTime.ofInstant(nanosToInstant(v), ZoneOffset.UTC);
      case "TIMESTAMP_LTZ" -> OffsetDateTime.ofInstant(nanosToInstant(v), ZoneOffset.UTC);
      case "TIMESTAMP_TZ" -> timestampTz(v);
      case "TIME" -> LocalTime.ofNanoOfDay(Long.parseLong(v.split(" ")[0]));
      case "BINARY" -> HexFormat.of().parseHex(v);
      default -> v;
    };
  }

  /**
   * A TIMESTAMP_TZ bind: epoch nanoseconds, then optionally a space and the offset in minutes plus
   * 1440. It is bound as ISO text with that offset, which DuckDB casts to TIMESTAMPTZ and the
   * engine's {@code to_timestamp_tz} keeps the offset of.
   */
  private static Object timestampTz(String text) {
    String[] parts = text.trim().split(" ");
    ZoneOffset offset =
        parts.length > 1
            ? ZoneOffset.ofTotalSeconds((Integer.parseInt(parts[1]) - 1440) * 60)
            : ZoneOffset.UTC;
    return OffsetDateTime.ofInstant(nanosToInstant(parts[0]), offset).toString();
  }

  private static Instant nanosToInstant(String text) {
    BigDecimal nanos = new BigDecimal(text.split(" ")[0]);
    BigDecimal[] parts = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
    long seconds = parts[0].longValue();
    long rem = parts[1].longValue();
    if (rem < 0) {
      seconds -= 1;
      rem += 1_000_000_000L;
    }
    return Instant.ofEpochSecond(seconds, rem);
  }

  public int rows() {
    return array ? values.size() : 1;
  }
}
