package io.pgsnow.emulator.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LikePatternTest {

  @Test
  void wildcardsAreCaseInsensitiveAndEverythingElseLiteral() {
    assertThat(LikePattern.of("topic%").matches("TOPIC_PAYROLL")).isTrue();
    assertThat(LikePattern.of("t_pic").matches("TOPIC")).isTrue();
    assertThat(LikePattern.of("a.c").matches("abc")).isFalse();
    assertThat(LikePattern.of("x%").matches("TOPIC")).isFalse();
  }
}
