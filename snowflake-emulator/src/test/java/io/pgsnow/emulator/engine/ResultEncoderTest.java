package io.pgsnow.emulator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ResultEncoderTest {

  @Test
  void mapsDuckDbTypesToSnowflakeRowtypes() {
    assertThat(ResultEncoder.column("N", "DECIMAL(10,2)", 10, 2))
        .isEqualTo(new Column("N", "fixed", 10, 2, true));
    assertThat(ResultEncoder.column("C", "BIGINT", 19, 0).type()).isEqualTo("fixed");
    assertThat(ResultEncoder.column("J", "JSON", 0, 0).type()).isEqualTo("variant");
    assertThat(ResultEncoder.column("T", "TIMESTAMP", 0, 0).type()).isEqualTo("timestamp_ntz");
    assertThat(ResultEncoder.column("Z", "TIMESTAMP WITH TIME ZONE", 0, 0).type())
        .isEqualTo("timestamp_ltz");
    assertThat(
            ResultEncoder.column(
                    "TZ", "STRUCT(utc TIMESTAMP WITH TIME ZONE, tz_minutes SMALLINT)", 0, 0)
                .type())
        .isEqualTo("timestamp_tz");
    assertThat(ResultEncoder.column("B", "BLOB", 0, 0).type()).isEqualTo("binary");
    assertThat(ResultEncoder.column("L", "INTEGER[]", 0, 0).type()).isEqualTo("array");
    assertThat(ResultEncoder.column("S", "VARCHAR", 0, 0).type()).isEqualTo("text");
  }

  @Test
  void encodesValuesLikeTheJsonResultFormat() {
    assertThat(encode("fixed", new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(encode("boolean", true)).isEqualTo("1");
    assertThat(encode("date", LocalDate.of(1970, 1, 11))).isEqualTo("10");
    assertThat(encode("timestamp_ntz", LocalDateTime.of(2023, 11, 14, 22, 13, 20, 5)))
        .isEqualTo("1700000000.000000005");
    assertThat(encode("timestamp_ntz", LocalDateTime.of(1969, 12, 31, 23, 59, 58, 500_000_000)))
        .isEqualTo("-1.500000000");
    assertThat(
            encode(
                "timestamp_ltz",
                OffsetDateTime.of(2023, 11, 14, 23, 13, 20, 0, ZoneOffset.ofHours(1))))
        .isEqualTo("1700000000.000000000");
    assertThat(
            encode(
                "timestamp_tz",
                OffsetDateTime.of(2023, 11, 14, 17, 43, 20, 7, ZoneOffset.ofHoursMinutes(-4, -30))))
        .isEqualTo("1700000000.000000007 1170");
    assertThat(encode("time", LocalTime.of(1, 0, 1))).isEqualTo("3601.000000000");
    assertThat(encode("binary", new byte[] {(byte) 0xCA, (byte) 0xFE})).isEqualTo("CAFE");
    assertThat(encode("text", null)).isNull();
  }

  private static String encode(String type, Object value) {
    return ResultEncoder.encode(new Column("X", type, 0, 0, true), value);
  }
}
