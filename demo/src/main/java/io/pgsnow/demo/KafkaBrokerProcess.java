package io.pgsnow.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;

/** A single-node KRaft Kafka broker in its own JVM, started with Kafka's own main classes. */
final class KafkaBrokerProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private KafkaBrokerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static KafkaBrokerProcess start(Path libDir, Path workDir, int port, int controllerPort)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path config = workDir.resolve("server.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + workDir.resolve("data").toAbsolutePath(),
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=true",
            ""),
        StandardCharsets.UTF_8);
    Path log = workDir.resolve("broker.log");
    if (!Files.exists(workDir.resolve("data").resolve("meta.properties"))) {
      Process format =
          java(
                  libDir,
                  "kafka.tools.StorageTool",
                  "format",
                  "-t",
                  Uuid.randomUuid().toString(),
                  "-c",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(workDir.resolve("format.log").toFile())
              .start();
      if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
        throw new IOException(
            "Formatting the Kafka storage failed: "
                + Files.readString(workDir.resolve("format.log"), StandardCharsets.UTF_8));
      }
    }
    Process process =
        java(libDir, "kafka.Kafka", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    KafkaBrokerProcess broker = new KafkaBrokerProcess(process, port);
    Awaitility.await("Kafka broker on port " + port)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IOException(
                    "The Kafka broker exited: " + Files.readString(log, StandardCharsets.UTF_8));
              }
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
              } catch (IOException e) {
                return false;
              }
            });
    return broker;
  }

  private static ProcessBuilder java(Path libDir, String mainClass, String... args) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                // log4j2's default configuration (console, into the log file) at INFO, not ERROR.
                "-Dlog4j2.level=INFO",
                "-cp",
                libDir.toAbsolutePath() + "/*",
                mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
