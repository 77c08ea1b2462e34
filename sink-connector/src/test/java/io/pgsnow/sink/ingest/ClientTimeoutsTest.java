package io.pgsnow.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientTimeoutsTest {

  private static ClientTimeouts login(Duration login) {
    return new ClientTimeouts(Duration.ofSeconds(2), login, Duration.ofSeconds(2));
  }

  @Test
  void loginTimeoutRoundsUpToWholeSeconds() {
    assertThat(login(Duration.ofMillis(60_000)).loginSeconds()).isEqualTo(60);
    assertThat(login(Duration.ofMillis(1_500)).loginSeconds()).isEqualTo(2);
    assertThat(login(Duration.ofMillis(1)).loginSeconds()).isEqualTo(1);
  }
}
