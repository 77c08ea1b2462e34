package io.pgsnow.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientTimeoutsTest {

  private static ClientTimeouts timeouts(Duration login, Duration statement) {
    return new ClientTimeouts(Duration.ofSeconds(2), login, statement, Duration.ofSeconds(2));
  }

  @Test
  void loginTimeoutRoundsUpToWholeSeconds() {
    Duration statement = Duration.ofSeconds(5);
    assertThat(timeouts(Duration.ofMillis(60_000), statement).loginSeconds()).isEqualTo(60);
    assertThat(timeouts(Duration.ofMillis(1_500), statement).loginSeconds()).isEqualTo(2);
    assertThat(timeouts(Duration.ofMillis(1), statement).loginSeconds()).isEqualTo(1);
  }

  @Test
  void statementTimeoutRoundsUpToWholeSeconds() {
    Duration login = Duration.ofSeconds(5);
    assertThat(timeouts(login, Duration.ofMillis(120_000)).statementSeconds()).isEqualTo(120);
    assertThat(timeouts(login, Duration.ofMillis(2_001)).statementSeconds()).isEqualTo(3);
    assertThat(timeouts(login, Duration.ofMillis(Integer.MAX_VALUE)).statementSeconds())
        .isEqualTo(2_147_484);
  }

  @Test
  void callsAreAbandonedAfterTheStatementTimeoutPlusTheNetworkTimeout() {
    assertThat(timeouts(Duration.ofSeconds(5), Duration.ofSeconds(3)).callLimit())
        .isEqualTo(Duration.ofSeconds(5));
  }
}
