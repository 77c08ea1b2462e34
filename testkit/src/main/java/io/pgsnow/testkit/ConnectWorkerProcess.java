package io.pgsnow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A Kafka Connect distributed worker in its own JVM, run from a directory of jars with the standard
 * main class, as an operator runs one. Used to load our archives on other Connect versions than the
 * one on the test classpath, and by the demo.
 */
public final class ConnectWorkerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ConnectWorkerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static Builder builder(Path libDir) {
    return new Builder(libDir.toAbsolutePath() + "/*");
  }

  /**
   * A worker run from the calling JVM's own class path (the test's Kafka and Connect jars), for
   * tests that need a worker they can kill with SIGKILL.
   */
  public static Builder onThisClassPath() {
    return new Builder(System.getProperty("java.class.path"));
  }

  public String restUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path log() {
    return log;
  }

  /** GET on the worker's REST API; returns the body of a 2xx answer. */
  public String get(String path) {
    return send(HttpRequest.newBuilder(URI.create(restUrl() + path)).GET().build());
  }

  /** PUT a JSON body on the worker's REST API; returns the body of a 2xx answer. */
  public String put(String path, String json) {
    return send(jsonRequest(path).PUT(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  /** POST a JSON body on the worker's REST API; returns the body of a 2xx answer. */
  public String post(String path, String json) {
    return send(jsonRequest(path).POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private HttpRequest.Builder jsonRequest(String path) {
    return HttpRequest.newBuilder(URI.create(restUrl() + path))
        .header("Content-Type", "application/json");
  }

  private static String send(HttpRequest request) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            request.method()
                + " "
                + request.uri()
                + " -> "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Kills the worker as a crash would (SIGKILL): no task is stopped, no offset flushed, no group
   * left; returns once the process is gone.
   */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The worker's process, e.g. for its CPU time ({@code info().totalCpuDuration()}). */
  public ProcessHandle processHandle() {
    return process.toHandle();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Options of a worker to start. */
  public static final class Builder {
    private final String classPath;
    private final Map<String, String> props = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Path workDir;
    private String heap = "1g";

    private Builder(String classPath) {
      this.classPath = classPath;
      props.put("group.id", "pgsnow-worker");
      props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
      props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
      props.put("offset.flush.interval.ms", "1000");
      for (String topic : List.of("config", "offset", "status")) {
        props.put(topic + ".storage.topic", "pgsnow-worker-" + topic + "s");
        props.put(topic + ".storage.replication.factor", "1");
      }
    }

    public Builder bootstrapServers(String servers) {
      props.put("bootstrap.servers", servers);
      return this;
    }

    public Builder pluginPath(Path dir) {
      props.put("plugin.path", dir.toAbsolutePath().toString());
      return this;
    }

    public Builder property(String key, String value) {
      props.put(key, value);
      return this;
    }

    /** The worker's maximum heap ({@code -Xmx}), e.g. {@code 512m}; 1g unless set. */
    public Builder heap(String size) {
      if (!size.matches("\\d+[kmgKMG]?")) {
        throw new IllegalArgumentException("Not a heap size for -Xmx: " + size);
      }
      this.heap = size;
      return this;
    }

    /** Adds a JVM option after the defaults (the heap), e.g. {@code -Xlog:gc:file=gc.log}. */
    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    public Builder workDirectory(Path dir) {
      this.workDir = dir;
      return this;
    }

    public ConnectWorkerProcess start() {
      try {
        int port = props.containsKey("listeners") ? -1 : freePort();
        if (port > 0) {
          props.put("listeners", "http://127.0.0.1:" + port);
        } else {
          port = Integer.parseInt(props.get("listeners").replaceAll(".*:", ""));
        }
        Path dir = workDir != null ? workDir : Files.createTempDirectory("pgsnow-connect-");
        Files.createDirectories(dir);
        Path config = dir.resolve("worker.properties");
        StringBuilder text = new StringBuilder();
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(config, text, StandardCharsets.UTF_8);
        Path log = dir.resolve("worker.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        // log4j2's default configuration (console, into worker.log) at INFO, not ERROR.
        command.add("-Dlog4j2.level=INFO");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add("org.apache.kafka.connect.cli.ConnectDistributed");
        command.add(config.toString());
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ConnectWorkerProcess worker = new ConnectWorkerProcess(process, port, log);
        try {
          Awaitility.await("Connect worker REST on port " + port)
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(500))
              .ignoreExceptions()
              .until(
                  () -> {
                    if (!process.isAlive()) {
                      throw new IllegalStateException(
                          "Worker exited: " + Files.readString(log, StandardCharsets.UTF_8));
                    }
                    worker.get("/connector-plugins");
                    return true;
                  });
        } catch (RuntimeException e) {
          worker.close();
          throw e;
        }
        return worker;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }
}
