package io.pgsnow.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the builders of Kafka's processes (a broker, a Connect worker) share: a properties file, a
 * working directory, and a JVM run from a class path of jars with a heap and extra options.
 *
 * @param <B> the concrete builder, returned by the setters
 */
public abstract class KafkaProcessBuilder<B extends KafkaProcessBuilder<B>> {
  private final String classPath;
  private final List<String> jvmOptions = new ArrayList<>();
  private String heap;
  private Path workDir;

  /** The process's properties, in the order they were set. */
  protected final Map<String, String> props = new LinkedHashMap<>();

  KafkaProcessBuilder(String classPath, String heap) {
    this.classPath = classPath;
    this.heap = heap;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** A property of the process's properties file. */
  public B property(String key, String value) {
    props.put(key, value);
    return self();
  }

  /** The process's maximum heap ({@code -Xmx}), e.g. {@code 512m}. */
  public B heap(String size) {
    if (!size.matches("\\d+[kmgKMG]?")) {
      throw new IllegalArgumentException("Not a heap size for -Xmx: " + size);
    }
    this.heap = size;
    return self();
  }

  /** Adds a JVM option after the defaults (the heap), e.g. {@code -Xlog:gc:file=gc.log}. */
  public B jvmOption(String option) {
    jvmOptions.add(option);
    return self();
  }

  /** Where the properties file and the logs go; a new temporary directory unless set. */
  public B workDirectory(Path dir) {
    this.workDir = dir;
    return self();
  }

  /** The working directory (created), absolute. */
  Path createWorkDirectory(String tempPrefix) throws IOException {
    Path dir = workDir != null ? workDir : Files.createTempDirectory(tempPrefix);
    Files.createDirectories(dir);
    return dir.toAbsolutePath();
  }

  /** The java command up to the main class: this JVM's java, the heap, the options, the jars. */
  List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    // log4j2's default configuration (console, into the log file) at INFO, not ERROR.
    command.add("-Dlog4j2.level=INFO");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    return command;
  }

  static void writeProperties(Path file, Map<String, String> properties) throws IOException {
    StringBuilder text = new StringBuilder();
    properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
