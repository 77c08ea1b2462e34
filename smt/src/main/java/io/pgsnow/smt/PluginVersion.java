package io.pgsnow.smt;

import io.pgsnow.common.Version;

/** The version reported by every pgsnow transform: the build's, from {@link Version}. */
public final class PluginVersion {

  private PluginVersion() {}

  public static String get() {
    return Version.get();
  }
}
