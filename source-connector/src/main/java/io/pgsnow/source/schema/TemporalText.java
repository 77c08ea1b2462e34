package io.pgsnow.source.schema;

import java.time.LocalDate;

/**
 * Parses PostgreSQL's ISO output of dates and times (DateStyle=ISO), including years beyond 9999,
 * BC dates and time zone offsets with minutes and seconds, without the allocations of
 * DateTimeFormatter. Results are days or microseconds since the Unix epoch, UTC.
 */
final class TemporalText {
  static final long MICROS_PER_DAY = 86_400_000_000L;

  private TemporalText() {}

  /** A {@code date} as days since 1970-01-01. */
  static long epochDay(String text) {
    Cursor c = new Cursor(text);
    return c.date();
  }

  /**
   * A {@code timestamp} or {@code timestamptz} as microseconds since the epoch, UTC. Throws
   * ArithmeticException when the value does not fit a signed 64-bit count of microseconds.
   */
  static long epochMicros(String text) {
    Cursor c = new Cursor(text);
    long day = c.date();
    c.expect(' ');
    long micros = c.timeOfDay();
    long offsetSeconds = c.offsetSeconds();
    return Math.subtractExact(
        Math.addExact(Math.multiplyExact(day, MICROS_PER_DAY), micros), offsetSeconds * 1_000_000L);
  }

  /**
   * A {@code timestamptz} as an Instant, which holds every year PostgreSQL can store (the 64-bit
   * microsecond count does not).
   */
  static java.time.Instant instant(String text) {
    Cursor c = new Cursor(text);
    long day = c.date();
    c.expect(' ');
    long micros = c.timeOfDay();
    long offsetSeconds = c.offsetSeconds();
    long seconds = day * 86_400L + Math.floorDiv(micros, 1_000_000L) - offsetSeconds;
    return java.time.Instant.ofEpochSecond(seconds, Math.floorMod(micros, 1_000_000L) * 1000L);
  }

  /** A {@code time} as microseconds since midnight. */
  static long microsOfDay(String text) {
    return new Cursor(text).timeOfDay();
  }

  /** A {@code timetz} as microseconds since midnight UTC, wrapped into one day. */
  static long utcMicrosOfDay(String text) {
    Cursor c = new Cursor(text);
    long micros = c.timeOfDay() - c.offsetSeconds() * 1_000_000L;
    return Math.floorMod(micros, MICROS_PER_DAY);
  }

  private static final class Cursor {
    private final String s;
    private final int end;
    private final boolean bc;
    private int pos;

    Cursor(String text) {
      bc = text.endsWith(" BC");
      s = text;
      end = bc ? text.length() - 3 : text.length();
    }

    long date() {
      int year = number(Integer.MAX_VALUE);
      expect('-');
      int month = number(2);
      expect('-');
      int day = number(2);
      // 1 BC is the proleptic year 0.
      int proleptic = bc ? 1 - year : year;
      return LocalDate.of(proleptic, month, day).toEpochDay();
    }

    long timeOfDay() {
      long hour = number(2);
      expect(':');
      long minute = number(2);
      expect(':');
      long second = number(2);
      long fraction = 0;
      if (pos < end && s.charAt(pos) == '.') {
        pos++;
        int digits = 0;
        while (pos < end && Character.isDigit(s.charAt(pos))) {
          if (digits < 6) {
            fraction = fraction * 10 + (s.charAt(pos) - '0');
          }
          digits++;
          pos++;
        }
        for (int i = digits; i < 6; i++) {
          fraction *= 10;
        }
      }
      return ((hour * 60 + minute) * 60 + second) * 1_000_000L + fraction;
    }

    long offsetSeconds() {
      if (pos >= end) {
        return 0;
      }
      char sign = s.charAt(pos);
      if (sign != '+' && sign != '-') {
        throw new IllegalArgumentException("Unexpected '" + sign + "' in time value " + s);
      }
      pos++;
      long seconds = number(2) * 3600L;
      if (pos < end && s.charAt(pos) == ':') {
        pos++;
        seconds += number(2) * 60L;
      }
      if (pos < end && s.charAt(pos) == ':') {
        pos++;
        seconds += number(2);
      }
      return sign == '-' ? -seconds : seconds;
    }

    void expect(char ch) {
      if (pos >= end || s.charAt(pos) != ch) {
        throw new IllegalArgumentException("Expected '" + ch + "' at " + pos + " in " + s);
      }
      pos++;
    }

    private int number(int maxDigits) {
      int start = pos;
      int value = 0;
      while (pos < end && pos - start < maxDigits && Character.isDigit(s.charAt(pos))) {
        value = Math.addExact(Math.multiplyExact(value, 10), s.charAt(pos) - '0');
        pos++;
      }
      if (pos == start) {
        throw new IllegalArgumentException("Expected a number at " + pos + " in " + s);
      }
      return value;
    }
  }
}
