package io.pgsnow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * The secrets file that the files of {@code config-examples/} read through Kafka's {@code
 * FileConfigProvider} ({@code ${file:/etc/pgsnow/secrets.properties:database.password}}), so that
 * no secret is in a connector config, the worker's config topic or a REST answer. Tests and the
 * demo write it somewhere of their own and point the examples there.
 */
public final class ExampleSecrets {
  /** The path the examples name. */
  public static final String PATH_IN_EXAMPLES = "/etc/pgsnow/secrets.properties";

  /** Worker properties that let connector configs read {@code ${file:<path>:<key>}}. */
  public static final Map<String, String> WORKER_PROPERTIES =
      Map.of(
          "config.providers",
          "file",
          "config.providers.file.class",
          "org.apache.kafka.common.config.provider.FileConfigProvider");

  private final Path file;

  private ExampleSecrets(Path file) {
    this.file = file;
  }

  /** Writes {@code secrets} (readable by the owner only) as {@code secrets.properties} in dir. */
  public static ExampleSecrets write(Path dir, Map<String, String> secrets) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("secrets.properties");
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Properties props = new Properties();
      props.putAll(secrets);
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        props.store(out, "pgsnow secrets: read by the worker's FileConfigProvider");
      }
      return new ExampleSecrets(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path file() {
    return file;
  }

  /** A config value of an example with the examples' secrets path replaced by this file's. */
  public String resolvePath(String value) {
    return value.replace(PATH_IN_EXAMPLES, file.toAbsolutePath().toString());
  }
}
