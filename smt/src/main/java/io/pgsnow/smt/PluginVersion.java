package io.pgsnow.smt;

/** The version reported by every pgsnow transform, taken from the jar manifest. */
public final class PluginVersion {
  private static final String VERSION =
      java.util.Optional.ofNullable(PluginVersion.class.getPackage().getImplementationVersion())
          .orElse("0.1.0-SNAPSHOT");

  private PluginVersion() {}

  public static String get() {
    return VERSION;
  }
}
