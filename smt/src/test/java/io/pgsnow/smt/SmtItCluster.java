package io.pgsnow.smt;

import io.pgsnow.testkit.ConnectCluster;
import java.nio.file.Path;

/**
 * The broker and Connect worker the transforms' ITs share in their JVM, with the built source
 * connector on its plugin path: started once, closing it deletes the connectors. Connector names
 * and topics stay unique across the test classes.
 */
final class SmtItCluster {
  static final Path SOURCE_PLUGIN = Path.of("..", "source-connector", "target", "plugin");

  private SmtItCluster() {}

  static ConnectCluster shared() {
    return ConnectCluster.builder().name("smt-it").pluginPath(SOURCE_PLUGIN).startShared();
  }
}
