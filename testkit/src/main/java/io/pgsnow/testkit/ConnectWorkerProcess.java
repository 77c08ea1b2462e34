package io.pgsnow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
  public static final class Builder extends KafkaProcessBuilder<Builder> {
    private Builder(String classPath) {
      super(classPath, "1g");
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
      return property("bootstrap.servers", servers);
    }

    public Builder pluginPath(Path dir) {
      return property("plugin.path", dir.toAbsolutePath().toString());
    }

    public ConnectWorkerProcess start() {
      try {
        int port = props.containsKey("listeners") ? -1 : freePort();
        if (port > 0) {
          props.put("listeners", "http://127.0.0.1:" + port);
        } else {
          port = Integer.parseInt(props.get("listeners").replaceAll(".*:", ""));
        }
        Path dir = createWorkDirectory("pgsnow-connect-");
        Path config = dir.resolve("worker.properties");
        writeProperties(config, props);
        Path log = dir.resolve("worker.log");
        List<String> command = java();
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
  }
}
