package io.pgsnow.sink;

import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectCluster;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a sink IT class shares, started before its tests and closed after them: a key pair, the
 * emulator that knows its public key, and a Connect cluster loading the built plugin. Register it
 * as a static field with {@code @RegisterExtension}.
 */
final class SinkEnvironment implements BeforeAllCallback, AfterAllCallback {

  private final String cluster;
  private final Callable<KeyPair> keySource;
  KeyPair keys;
  SnowflakeEmulator emulator;
  ConnectCluster connect;

  /** With a new key pair; {@code cluster} names the Connect cluster. */
  SinkEnvironment(String cluster) {
    this(cluster, SinkItSupport::newKeyPair);
  }

  SinkEnvironment(String cluster, Callable<KeyPair> keySource) {
    this.cluster = cluster;
    this.keySource = keySource;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    keys = keySource.call();
    emulator = SinkItSupport.emulator(keys);
    connect = SinkItSupport.cluster().name(cluster).start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (emulator != null) {
      // Faults a test left set would hold up the connectors' shutdown.
      emulator.faults().clear();
    }
    if (connect != null) {
      connect.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }
}
