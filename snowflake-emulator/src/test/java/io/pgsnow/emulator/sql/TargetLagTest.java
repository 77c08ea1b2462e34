package io.pgsnow.emulator.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetLagTest {

  private static String parse(String value) {
    return TargetLag.parse(SqlLexer.tokenize(value).get(0));
  }

  @Test
  void takesDownstreamAndQuotedDurationsOfAtLeastOneMinute() {
    assertThat(parse("downstream")).isEqualTo("DOWNSTREAM");
    assertThat(parse("'1 minute'")).isEqualTo("1 minute");
    assertThat(parse("' 60 seconds '")).isEqualTo("60 seconds");
    assertThat(parse("'2 hours'")).isEqualTo("2 hours");
    assertThat(parse("'1 day'")).isEqualTo("1 day");
  }

  @Test
  void refusesLagsBelowOneMinuteAndValuesThatAreNotDurations() {
    assertThatThrownBy(() -> parse("'59 seconds'"))
        .isInstanceOf(SnowflakeSqlException.class)
        .hasMessageContaining("the minimum target lag is 1 minute");
    assertThatThrownBy(() -> parse("'5 weeks'"))
        .isInstanceOf(SnowflakeSqlException.class)
        .hasMessageContaining("invalid value ['5 weeks'] for parameter 'TARGET_LAG'");
    assertThatThrownBy(() -> parse("5"))
        .isInstanceOf(SnowflakeSqlException.class)
        .hasMessageContaining("invalid value [5] for parameter 'TARGET_LAG'");
  }
}
