package io.pgsnow.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}) are: {@code PG_BIN}, {@code
 * pg_config --bindir}, then Debian's {@code /usr/lib/postgresql/<version>/bin}, newest first.
 */
final class PostgresBinaries {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);

  private PostgresBinaries() {}

  static Path find() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getenv("PG_BIN")).map(Paths::get).ifPresent(candidates::add);
    pgConfigBinDir().ifPresent(candidates::add);
    Path debian = Paths.get("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions
            .filter(p -> p.getFileName().toString().matches("\\d+"))
            .sorted(
                Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString()))
                    .reversed())
            .map(p -> p.resolve("bin"))
            .forEach(candidates::add);
      } catch (IOException e) {
        LOG.debug("Cannot list {}", debian, e);
      }
    }
    return candidates.stream()
        .filter(
            p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No PostgreSQL server binaries (initdb, pg_ctl) found in "
                        + candidates
                        + ": install the postgresql package or set PG_BIN"));
  }

  private static Optional<Path> pgConfigBinDir() {
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? Optional.of(Paths.get(out)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
