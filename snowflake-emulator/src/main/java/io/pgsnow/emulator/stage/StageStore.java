package io.pgsnow.emulator.stage;

import io.pgsnow.emulator.sql.StageRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Stage contents on the local file system: one directory per stage, named after its qualified name.
 * Files keep the bytes the client uploaded (usually gzip), like a cloud stage does.
 */
public final class StageStore {

  private final Path root;

  /** LIST reports MD5s; connectors list often, so digests are kept until the file changes. */
  private final Map<Path, StageFile> digests = new ConcurrentHashMap<>();

  public StageStore(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The stable key of a qualified stage: {@code DB/SCHEMA/NAME}, {@code %TABLE} for table stages.
   */
  public static List<String> keyOf(StageRef stage) {
    return switch (stage.kind()) {
      case USER -> List.of("~");
      case TABLE ->
          List.of(stage.name().database(), stage.name().schema(), "%" + stage.name().name());
      case NAMED -> List.of(stage.name().database(), stage.name().schema(), stage.name().name());
    };
  }

  public Path directory(List<String> key) {
    Path dir = root;
    for (String part : key) {
      dir = dir.resolve(URLEncoder.encode(part, StandardCharsets.UTF_8));
    }
    return dir;
  }

  private Path file(List<String> key, String relativePath) {
    Path dir = directory(key).normalize();
    Path file = dir.resolve(relativePath).normalize();
    if (!file.startsWith(dir)) {
      throw new IllegalArgumentException("Stage path escapes the stage: " + relativePath);
    }
    return file;
  }

  public void write(List<String> key, String relativePath, byte[] bytes) {
    try {
      Path target = file(key, relativePath);
      digests.remove(target);
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), ".upload", ".tmp");
      Files.write(temp, bytes);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<byte[]> read(List<String> key, String relativePath) {
    Path file = file(key, relativePath);
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean exists(List<String> key, String relativePath) {
    return Files.isRegularFile(file(key, relativePath));
  }

  /** Files whose path starts with {@code prefix} and, if given, fully match the regex. */
  public List<StageFile> list(List<String> key, String prefix, Optional<String> regex) {
    Path dir = directory(key);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    Optional<Pattern> pattern = regex.map(Pattern::compile);
    List<StageFile> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        boolean visible =
            Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".upload");
        if (visible
            && rel.startsWith(prefix)
            && pattern.map(pt -> pt.matcher(rel).matches()).orElse(true)) {
          files.add(describe(p, rel));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private StageFile describe(Path p, String rel) throws IOException {
    long size = Files.size(p);
    java.time.Instant modified = Files.getLastModifiedTime(p).toInstant();
    StageFile cached = digests.get(p);
    if (cached != null && cached.size() == size && cached.lastModified().equals(modified)) {
      return new StageFile(rel, size, cached.md5(), modified);
    }
    StageFile fresh = new StageFile(rel, size, md5(Files.readAllBytes(p)), modified);
    digests.put(p, fresh);
    return fresh;
  }

  public boolean delete(List<String> key, String relativePath) {
    try {
      Path file = file(key, relativePath);
      digests.remove(file);
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes a whole stage's files (DROP STAGE, CREATE OR REPLACE STAGE). */
  public void deleteAll(List<String> key) {
    for (StageFile f : list(key, "", Optional.empty())) {
      delete(key, f.path());
    }
  }

  static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
