package io.pgsnow.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ParsingValidatorTest {
  private static final ParsingValidator DIGITS =
      new ParsingValidator(
          "digits",
          v -> {
            if (!v.matches("[0-9]+")) {
              throw new IllegalArgumentException("Not digits: " + v);
            }
          });

  @Test
  void aValueTheParserRefusesFailsOnTheKeyWithTheParsersMessage() {
    assertThatThrownBy(() -> DIGITS.ensureValid("some.key", "12a"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("some.key")
        .hasMessageContaining("Not digits: 12a");
  }

  @Test
  void aParsedValueAndAnUnsetOnePass() {
    assertThatCode(() -> DIGITS.ensureValid("some.key", "123")).doesNotThrowAnyException();
    assertThatCode(() -> DIGITS.ensureValid("some.key", null)).doesNotThrowAnyException();
  }

  @Test
  void theDocsShowTheDescription() {
    assertThat(DIGITS).hasToString("digits");
  }
}
