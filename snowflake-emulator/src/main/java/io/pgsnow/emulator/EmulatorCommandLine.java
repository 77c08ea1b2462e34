package io.pgsnow.emulator;

import io.pgsnow.emulator.auth.RsaPublicKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Parses the standalone emulator's command line into a builder. */
final class EmulatorCommandLine {

  private EmulatorCommandLine() {}

  static SnowflakeEmulator.Builder parse(String[] args) throws IOException {
    SnowflakeEmulator.Builder builder = SnowflakeEmulator.builder();
    boolean anyUser = false;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--port" -> builder.port(Integer.parseInt(value));
        case "--host" -> builder.host(value);
        case "--data-dir" -> builder.dataDirectory(Path.of(value));
        case "--user" -> {
          String[] parts = value.split(":", 2);
          builder.user(parts[0], parts.length > 1 ? parts[1] : "");
          anyUser = true;
        }
        case "--user-key" -> {
          String[] parts = value.split(":", 2);
          builder.userKey(parts[0], RsaPublicKeys.parse(Files.readString(Path.of(parts[1]))));
          anyUser = true;
        }
        default ->
            throw new IllegalArgumentException(
                "Unknown option "
                    + args[i]
                    + "; use --port N --host H --data-dir DIR --user NAME:PASSWORD --user-key NAME:PEMFILE");
      }
      i++;
    }
    if (!anyUser) {
      builder.user("ADMIN", "admin");
    }
    return builder;
  }
}
