package io.pgsnow.emulator.engine;

import io.pgsnow.emulator.sql.SnowflakeType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Maps DuckDB result types to Snowflake {@code rowtype} entries and encodes values the way the JSON
 * result format carries them: numbers as decimal text, booleans as 1/0, dates as days since epoch,
 * timestamps as {@code seconds.nanoseconds} since epoch (TIMESTAMP_TZ followed by its offset),
 * semi-structured values as JSON text.
 */
public final class ResultEncoder {

  private ResultEncoder() {}

  /** The Snowflake column for a DuckDB column type name as JDBC metadata reports it. */
  public static Column column(String name, String duckType, int precision, int scale) {
    if (SnowflakeType.isTimestampTzStorage(duckType)) {
      return new Column(name, "timestamp_tz", 0, 9, true);
    }
    String upper = duckType.toUpperCase(Locale.ROOT);
    if (upper.startsWith("DECIMAL")) {
      return new Column(name, "fixed", precision, scale, true);
    }
    return switch (upper) {
      case "TINYINT",
          "SMALLINT",
          "INTEGER",
          "BIGINT",
          "HUGEINT",
          "UTINYINT",
          "USMALLINT",
          "UINTEGER",
          "UBIGINT" ->
          new Column(name, "fixed", 38, 0, true);
      case "FLOAT", "DOUBLE" -> new Column(name, "real", 0, 0, true);
      case "BOOLEAN" -> new Column(name, "boolean", 0, 0, true);
      case "DATE" -> new Column(name, "date", 0, 0, true);
      case "TIME" -> new Column(name, "time", 0, 9, true);
      case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" ->
          new Column(name, "timestamp_ntz", 0, 9, true);
      case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" ->
          new Column(name, "timestamp_ltz", 0, 9, true);
      case "JSON" -> new Column(name, "variant", 0, 0, true);
      case "BLOB" -> new Column(name, "binary", 0, 0, true);
      default ->
          upper.endsWith("[]") || upper.startsWith("STRUCT") || upper.startsWith("MAP")
              ? new Column(name, upper.startsWith("STRUCT") ? "object" : "array", 0, 0, true)
              : Column.text(name);
    };
  }

  /** Encodes one value already read as the Java type that matches {@code column.type()}. */
  public static String encode(Column column, Object value) {
    if (value == null) {
      return null;
    }
    return switch (column.type()) {
      case "fixed" -> fixed(value);
      case "boolean" -> Boolean.TRUE.equals(value) ? "1" : "0";
      case "date" -> Long.toString(((LocalDate) value).toEpochDay());
      case "timestamp_ntz" ->
          epochText(
              ((LocalDateTime) value).toEpochSecond(ZoneOffset.UTC),
              ((LocalDateTime) value).getNano());
      case "timestamp_ltz" ->
          epochText(((OffsetDateTime) value).toEpochSecond(), ((OffsetDateTime) value).getNano());
      case "timestamp_tz" -> timestampTz((OffsetDateTime) value);
      case "time" -> epochText(((LocalTime) value).toSecondOfDay(), ((LocalTime) value).getNano());
      case "binary" -> HexFormat.of().withUpperCase().formatHex((byte[]) value);
      default -> value.toString();
    };
  }

  private static String fixed(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof BigInteger
        || value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return value.toString();
    }
    return new BigDecimal(value.toString()).toPlainString();
  }

  /**
   * A TIMESTAMP_TZ cell: the instant, a space, then the value's offset in minutes plus 1440 (the
   * driver's time zone index, so it is never negative).
   */
  private static String timestampTz(OffsetDateTime value) {
    int offsetMinutes = value.getOffset().getTotalSeconds() / 60;
    return epochText(value.toEpochSecond(), value.getNano()) + " " + (offsetMinutes + 1440);
  }

  /** An instant as a TIMESTAMP_LTZ cell, for result rows the emulator builds itself. */
  static String timestamp(java.time.Instant instant) {
    return epochText(instant.getEpochSecond(), instant.getNano());
  }

  /**
   * {@code <seconds>.<9-digit nanos>}, with the fraction always non-negative as the driver parses.
   */
  static String epochText(long seconds, int nanos) {
    BigDecimal exact = BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9));
    return exact.setScale(9).toPlainString();
  }
}
