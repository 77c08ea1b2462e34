package io.pgsnow.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The plugin archives built by this module, and their unzipped form for a worker's plugin.path. */
final class PluginArchives {
  static final String VERSION = System.getProperty("pgsnow.version");
  static final Path ZIPS = Path.of(System.getProperty("pgsnow.zips", "target/zips"));
  static final List<String> NAMES =
      List.of("pgsnow-postgres-source", "pgsnow-snowflake-sink", "pgsnow-transforms");

  private static Path unzipped;

  private PluginArchives() {}

  static Path zip(String name) {
    return ZIPS.resolve(name + "-" + VERSION + ".zip");
  }

  /** A directory holding each archive unzipped, as a user installs them into plugin.path. */
  static synchronized Path pluginPath() {
    if (unzipped == null) {
      Path dir = Path.of("target", "plugin-path");
      for (String name : NAMES) {
        unzip(zip(name), dir);
      }
      unzipped = dir;
    }
    return unzipped;
  }

  static void unzip(Path zip, Path target) {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("Entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot unzip " + zip, e);
    }
  }

  static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
