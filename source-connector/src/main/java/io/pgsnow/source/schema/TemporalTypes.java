package io.pgsnow.source.schema;

import io.pgsnow.source.config.TypeOptions.TimePrecision;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.function.Function;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The representations of date and time columns under {@code time.precision.mode}, as Debezium's
 * PostgreSQL connector has them. Infinities map to the largest or smallest value of the type; a
 * timestamp past what the representation holds is a {@link SpecialValueException}.
 */
final class TemporalTypes {
  static final String DATE = "io.debezium.time.Date";
  static final String TIME = "io.debezium.time.Time";
  static final String MICRO_TIME = "io.debezium.time.MicroTime";
  static final String TIMESTAMP = "io.debezium.time.Timestamp";
  static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
  static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
  static final String ZONED_TIME = "io.debezium.time.ZonedTime";

  private static final DateTimeFormatter[] ZONED_TIMESTAMP_FORMATS = zonedTimestampFormats();

  private final TimePrecision mode;

  TemporalTypes(TimePrecision mode) {
    this.mode = mode;
  }

  /** A schema builder and its converter. */
  record Encoding(SchemaBuilder builder, Function<String, Object> converter) {}

  Encoding date() {
    if (mode == TimePrecision.CONNECT) {
      return new Encoding(
          Date.builder(),
          s -> new java.util.Date(Math.multiplyExact((long) dateDays(s), 86_400_000L)));
    }
    return new Encoding(SchemaBuilder.int32().name(DATE).version(1), TemporalTypes::dateDays);
  }

  /** {@code precision} is the column's typmod: -1 for the default (6). */
  Encoding time(int precision) {
    if (mode == TimePrecision.CONNECT) {
      return new Encoding(
          Time.builder(), s -> new java.util.Date(TemporalText.microsOfDay(s) / 1000L));
    }
    if (mode == TimePrecision.ADAPTIVE && precision >= 0 && precision <= 3) {
      return new Encoding(
          SchemaBuilder.int32().name(TIME).version(1),
          s -> (int) (TemporalText.microsOfDay(s) / 1000L));
    }
    return new Encoding(
        SchemaBuilder.int64().name(MICRO_TIME).version(1), TemporalText::microsOfDay);
  }

  Encoding timestamp(int precision) {
    if (mode == TimePrecision.CONNECT) {
      return new Encoding(Timestamp.builder(), s -> new java.util.Date(millis(s)));
    }
    if (precision >= 0 && precision <= 3) {
      return new Encoding(SchemaBuilder.int64().name(TIMESTAMP).version(1), TemporalTypes::millis);
    }
    return new Encoding(
        SchemaBuilder.int64().name(MICRO_TIMESTAMP).version(1), TemporalTypes::micros);
  }

  /** ISO-8601 in UTC with as many fraction digits as the column's precision, as Debezium. */
  Encoding zonedTimestamp(int precision) {
    DateTimeFormatter format =
        ZONED_TIMESTAMP_FORMATS[precision < 0 || precision > 6 ? 6 : precision];
    return new Encoding(
        SchemaBuilder.string().name(ZONED_TIMESTAMP).version(1), s -> zonedTimestamp(s, format));
  }

  Encoding zonedTime() {
    return new Encoding(
        SchemaBuilder.string().name(ZONED_TIME).version(1),
        s ->
            DateTimeFormatter.ISO_LOCAL_TIME.format(
                    LocalTime.ofNanoOfDay(TemporalText.utcMicrosOfDay(s) * 1000L))
                + "Z");
  }

  static int dateDays(String text) {
    if ("infinity".equals(text)) {
      return Integer.MAX_VALUE;
    }
    if ("-infinity".equals(text)) {
      return Integer.MIN_VALUE;
    }
    return Math.toIntExact(TemporalText.epochDay(text));
  }

  /** Milliseconds since the epoch; infinities are the largest and smallest int64. */
  static long millis(String text) {
    long micros = micros(text);
    return micros == Long.MAX_VALUE || micros == Long.MIN_VALUE
        ? micros
        : Math.floorDiv(micros, 1000L);
  }

  static long micros(String text) {
    if ("infinity".equals(text)) {
      return Long.MAX_VALUE;
    }
    if ("-infinity".equals(text)) {
      return Long.MIN_VALUE;
    }
    try {
      return TemporalText.epochMicros(text);
    } catch (ArithmeticException e) {
      throw new SpecialValueException(text);
    }
  }

  static String zonedTimestamp(String text, DateTimeFormatter format) {
    if ("infinity".equals(text) || "-infinity".equals(text)) {
      return text;
    }
    Instant instant = TemporalText.instant(text);
    return format.format(instant);
  }

  private static DateTimeFormatter[] zonedTimestampFormats() {
    DateTimeFormatter[] formats = new DateTimeFormatter[7];
    for (int digits = 0; digits <= 6; digits++) {
      DateTimeFormatterBuilder builder =
          new DateTimeFormatterBuilder()
              .append(DateTimeFormatter.ISO_LOCAL_DATE)
              .appendLiteral('T')
              .appendPattern("HH:mm:ss");
      if (digits > 0) {
        builder.appendFraction(ChronoField.NANO_OF_SECOND, digits, digits, true);
      }
      formats[digits] = builder.appendOffsetId().toFormatter().withZone(ZoneOffset.UTC);
    }
    return formats;
  }
}
