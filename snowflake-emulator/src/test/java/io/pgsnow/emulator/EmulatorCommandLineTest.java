package io.pgsnow.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmulatorCommandLineTest {

  @Test
  void startsWithPortUserAndInMemoryState() throws Exception {
    try (SnowflakeEmulator emulator =
        EmulatorCommandLine.parse(new String[] {"--port", "0", "--user", "ALICE:pw"}).start()) {
      assertThat(emulator.port()).isPositive();
      assertThat(emulator.jdbcUrl())
          .isEqualTo("jdbc:snowflake://127.0.0.1:" + emulator.port() + "/?ssl=off");
      assertThat(emulator.accountUrl()).isEqualTo("http://127.0.0.1:" + emulator.port());
    }
  }

  @Test
  void rejectsUnknownOptions() {
    assertThatThrownBy(() -> EmulatorCommandLine.parse(new String[] {"--bogus", "1"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--bogus");
  }
}
