package io.pgsnow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;

/**
 * A single-node KRaft Kafka server (broker and controller) in its own JVM, run from a directory of
 * jars with Kafka's own main classes ({@code kafka.tools.StorageTool} to format its log directory
 * once, then {@code kafka.Kafka}), as an operator runs one. It can be killed with SIGKILL or
 * stopped with SIGTERM and started again on the same ports and log directory, which is what clients
 * see of a broker crash or restart.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
  private final List<String> java;
  private final Path dir;
  private final Path config;
  private final int port;
  private volatile Process process;
  private int starts;

  private KafkaBrokerProcess(List<String> java, Path dir, Path config, int port) {
    this.java = java;
    this.dir = dir;
    this.config = config;
    this.port = port;
  }

  /** A broker run from {@code libDir}'s jars (e.g. a Kafka runtime copied by Maven). */
  public static Builder builder(Path libDir) {
    return new Builder(libDir.toAbsolutePath() + "/*");
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The logs of every start so far, oldest first. */
  public List<Path> logs() {
    List<Path> logs = new ArrayList<>();
    for (int i = 1; i <= starts; i++) {
      logs.add(log(i));
    }
    return logs;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Properties for an admin client, consumer or producer of this broker (the bootstrap address).
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  public Admin admin() {
    return Admin.create(clientProperties());
  }

  /**
   * Kills the server as a crash would (SIGKILL): no controlled shutdown, logs not flushed or closed
   * cleanly; returns once the process is gone.
   */
  public void kill() {
    process.destroyForcibly();
    await(process, 30);
  }

  /** Stops the server in order (SIGTERM: a controlled shutdown); returns once it exited. */
  public void stop() {
    process.destroy();
    if (!await(process, 60)) {
      kill();
    }
  }

  /**
   * Starts the server again on its ports with its log directory (after {@link #kill()} or {@link
   * #stop()}), writing a new log; returns once it answers as a broker.
   */
  public void restart() {
    if (isAlive()) {
      throw new IllegalStateException("The broker still runs: kill or stop it first");
    }
    launch();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      stop();
    }
  }

  private Path log(int start) {
    return dir.resolve(start == 1 ? "broker.log" : "broker-" + start + ".log");
  }

  private void launch() {
    Path log = log(++starts);
    try {
      process =
          command("kafka.Kafka", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process started = process;
    try {
      Awaitility.await("Kafka broker on " + bootstrapServers())
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptionsMatching(e -> !(e instanceof IllegalStateException))
          .until(() -> answers(started, log));
    } catch (RuntimeException e) {
      started.destroyForcibly();
      throw e;
    }
  }

  /** Whether the server answers a metadata request listing itself as a broker. */
  private boolean answers(Process started, Path log) throws Exception {
    if (!started.isAlive()) {
      throw new IllegalStateException(
          "The Kafka broker exited: " + Files.readString(log, StandardCharsets.UTF_8));
    }
    Map<String, Object> props = clientProperties();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    try (Admin admin = Admin.create(props)) {
      return !admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
          .nodes()
          .get(3, TimeUnit.SECONDS)
          .isEmpty();
    }
  }

  private void format() {
    Path formatLog = dir.resolve("format.log");
    try {
      Process format =
          command(
                  "kafka.tools.StorageTool",
                  "format",
                  "--cluster-id",
                  Uuid.randomUuid().toString(),
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(formatLog.toFile())
              .start();
      if (!await(format, 120) || format.exitValue() != 0) {
        throw new IllegalStateException(
            "Formatting the Kafka storage failed: "
                + Files.readString(formatLog, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ProcessBuilder command(String mainClass, String... args) {
    List<String> command = new ArrayList<>(java);
    command.add(mainClass);
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static boolean await(Process p, int seconds) {
    try {
      return p.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Options of a broker to start (heap 512m unless set). */
  public static final class Builder extends KafkaProcessBuilder<Builder> {
    private Builder(String classPath) {
      super(classPath, "512m");
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.listener.names", "CONTROLLER");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("offsets.topic.replication.factor", "1");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
    }

    /**
     * Writes server.properties with two free loopback ports (clients, controller) and the log
     * directory {@code data/} in the working directory, formats the log directory and starts the
     * server; returns once it answers as a broker.
     */
    public KafkaBrokerProcess start() {
      try {
        Path dir = createWorkDirectory("pgsnow-kafka-");
        int port = freePort();
        int controllerPort = freePort();
        Map<String, String> server = new LinkedHashMap<>(props);
        server.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        server.put(
            "listeners",
            "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        server.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        server.put("log.dirs", dir.resolve("data").toString());
        Path config = dir.resolve("server.properties");
        writeProperties(config, server);
        KafkaBrokerProcess broker = new KafkaBrokerProcess(List.copyOf(java()), dir, config, port);
        broker.format();
        broker.launch();
        return broker;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
