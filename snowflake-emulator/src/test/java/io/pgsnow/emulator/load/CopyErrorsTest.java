package io.pgsnow.emulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CopyErrorsTest {

  @Test
  void conversionFailuresReadAsSnowflakeWritesThem() {
    assertThat(
            CopyErrors.snowflakeMessage(
                "Conversion Error: Could not convert string 'ab'c' to INT64 when casting from"
                    + " source column c0\n\nLINE 1: INSERT"))
        .isEqualTo("Numeric value 'ab'c' is not recognized");
    assertThat(
            CopyErrors.snowflakeMessage(
                "Conversion Error: Could not convert string \"x\" to DECIMAL(38,0) when casting"))
        .isEqualTo("Numeric value 'x' is not recognized");
    assertThat(
            CopyErrors.snowflakeMessage(
                "Conversion Error: Could not convert string 'maybe' to BOOL when casting"))
        .isEqualTo("Boolean value 'maybe' is not recognized");
    assertThat(
            CopyErrors.snowflakeMessage(
                "Conversion Error: invalid date field format: \"soon\", expected format is"
                    + " (YYYY-MM-DD)"))
        .isEqualTo("Date 'soon' is not recognized");
    assertThat(
            CopyErrors.snowflakeMessage(
                "Conversion Error: invalid timestamp field format: \"later\", expected format"))
        .isEqualTo("Timestamp 'later' is not recognized");
  }

  @Test
  void otherFailuresKeepTheirFirstLine() {
    assertThat(CopyErrors.snowflakeMessage("Constraint Error: NOT NULL\nLINE 1"))
        .isEqualTo("Constraint Error: NOT NULL");
  }

  @Test
  void readsDuckDbsStructuredErrors() {
    assertThat(
            CopyErrors.snowflakeMessage(
                "{\"exception_type\":\"Conversion\",\"exception_message\":"
                    + "\"invalid date field format: \\\"soon\\\", expected format\"}"))
        .isEqualTo("Date 'soon' is not recognized");
    assertThat(
            CopyErrors.snowflakeMessage(
                "{\"exception_type\":\"Constraint\",\"exception_message\":\"NOT NULL\\nLINE 1\"}"))
        .isEqualTo("Constraint Error: NOT NULL");
  }
}
