package io.pgsnow.source.schema;

import java.math.BigDecimal;

/**
 * An {@code interval} read from its text in either the ISO-8601 IntervalStyle the connector's
 * sessions ask for ({@code P1Y2M3DT4H5M6.5S}) or PostgreSQL's default style ({@code 1 year 2 mons 3
 * days 04:05:06.5}), and encoded as Debezium encodes it.
 */
record IntervalText(int years, int months, int days, int hours, int minutes, long micros) {
  /** Debezium's average month: 365.25 / 12 days. */
  private static final double DAYS_PER_MONTH = 365.25 / 12;

  static IntervalText parse(String text) {
    return text.startsWith("P") || text.startsWith("-P") ? iso(text) : postgres(text);
  }

  /** Debezium's MicroDuration: months counted as 30.4375 days, computed as Debezium does. */
  long durationMicros() {
    double seconds = micros / 1_000_000L;
    double totalDays = (years * 12 + months) * DAYS_PER_MONTH + days;
    double totalSeconds = ((totalDays * 24 + hours) * 60 + minutes) * 60 + seconds;
    return (long) (totalSeconds * 1e6 + micros % 1_000_000L);
  }

  /** Debezium's Interval string: {@code P<y>Y<m>M<d>DT<h>H<m>M<s>S}. */
  String isoString() {
    BigDecimal seconds = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    return "P"
        + years
        + "Y"
        + months
        + "M"
        + days
        + "DT"
        + hours
        + "H"
        + minutes
        + "M"
        + seconds.toPlainString()
        + "S";
  }

  private static IntervalText iso(String text) {
    int[] ymdhm = new int[5];
    long micros = 0;
    boolean time = false;
    int i = text.indexOf('P') + 1;
    while (i < text.length()) {
      if (text.charAt(i) == 'T') {
        time = true;
        i++;
        continue;
      }
      int start = i;
      while (i < text.length() && "+-.0123456789".indexOf(text.charAt(i)) >= 0) {
        i++;
      }
      String number = text.substring(start, i);
      char unit = text.charAt(i++);
      if (unit == 'S') {
        micros = new BigDecimal(number).movePointRight(6).longValueExact();
      } else {
        int index = time ? (unit == 'H' ? 3 : 4) : "YMD".indexOf(unit);
        ymdhm[index] = Integer.parseInt(number);
      }
    }
    return new IntervalText(ymdhm[0], ymdhm[1], ymdhm[2], ymdhm[3], ymdhm[4], micros);
  }

  private static IntervalText postgres(String text) {
    int years = 0;
    int months = 0;
    int days = 0;
    int hours = 0;
    int minutes = 0;
    long micros = 0;
    String[] tokens = text.trim().split("\\s+");
    for (int i = 0; i < tokens.length; i++) {
      String token = tokens[i];
      if (token.indexOf(':') >= 0) {
        boolean negative = token.startsWith("-");
        String[] hms = token.replaceFirst("^[+-]", "").split(":");
        int sign = negative ? -1 : 1;
        hours = sign * Integer.parseInt(hms[0]);
        minutes = sign * Integer.parseInt(hms[1]);
        long secondMicros =
            hms.length > 2 ? new BigDecimal(hms[2]).movePointRight(6).longValueExact() : 0;
        micros = sign * secondMicros;
        continue;
      }
      int value = Integer.parseInt(token);
      String unit = tokens[++i];
      if (unit.startsWith("year")) {
        years = value;
      } else if (unit.startsWith("mon")) {
        months = value;
      } else if (unit.startsWith("day")) {
        days = value;
      } else {
        throw new IllegalArgumentException("Unexpected interval unit in " + text);
      }
    }
    return new IntervalText(years, months, days, hours, minutes, micros);
  }
}
