package io.pgsnow.sink.ingest;

import io.pgsnow.sink.auth.SnowflakeUrl;
import io.pgsnow.sink.naming.Identifier;
import java.security.PrivateKey;
import java.util.Optional;

/** Everything needed to log in with key-pair authentication. */
public record ConnectionSettings(
    SnowflakeUrl url,
    String user,
    PrivateKey privateKey,
    Identifier database,
    Identifier schema,
    Optional<Identifier> role,
    Optional<Identifier> warehouse,
    ClientTimeouts timeouts) {

  @Override
  public String toString() {
    return "ConnectionSettings[" + url.host() + ":" + url.port() + ", user=" + user + "]";
  }
}
