package io.pgsnow.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The demo's working directories and the plugin archives unpacked into one of them. */
final class Directories {
  private Directories() {}

  /** An empty directory {@code name} under {@code parent}, whatever an earlier run left there. */
  static Path fresh(Path parent, String name) throws IOException {
    Path dir = parent.resolve(name);
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  /** Unpacks every plugin archive of {@code zips} into {@code plugins}, a worker's plugin.path. */
  static void installPlugins(Path zips, Path plugins, PrintStream out) throws IOException {
    try (var files = Files.list(zips)) {
      for (Path zip : files.filter(p -> p.toString().endsWith(".zip")).toList()) {
        unzip(zip, plugins);
        out.println("  installed " + zip.getFileName() + " into " + plugins);
      }
    }
  }

  private static void unzip(Path zip, Path target) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Path outPath = target.resolve(e.getName()).normalize();
        if (!outPath.startsWith(target)) {
          throw new IOException("Bad entry " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(outPath);
        } else {
          Files.createDirectories(outPath.getParent());
          Files.copy(in, outPath, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
