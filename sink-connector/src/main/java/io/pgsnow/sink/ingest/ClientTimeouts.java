package io.pgsnow.sink.ingest;

import io.pgsnow.sink.SnowflakeSinkConfig;
import java.time.Duration;

/**
 * How long the clients wait for Snowflake before they give up and the failure becomes a transient
 * fault: {@code network} bounds a JDBC statement or stage upload, {@code login} a JDBC login, and
 * {@code snowpipeRequest} one Snowpipe REST call.
 */
public record ClientTimeouts(Duration network, Duration login, Duration snowpipeRequest) {

  public static ClientTimeouts from(SnowflakeSinkConfig config) {
    return new ClientTimeouts(
        config.networkTimeout(), config.loginTimeout(), config.snowpipeRequestTimeout());
  }

  /** The driver takes the login timeout in whole seconds. */
  long loginSeconds() {
    return Math.max(1, (login.toMillis() + 999) / 1000);
  }
}
