package io.pgsnow.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.awaitility.Awaitility;

/**
 * A real Kafka broker and Kafka Connect worker(s) in the test JVM ({@code EmbeddedConnectCluster}),
 * with the built pgsnow plugins on the worker's {@code plugin.path}.
 */
public final class ConnectCluster implements AutoCloseable {
  /** The clusters started by {@link Builder#startShared}, by their settings. */
  private static final Map<String, EmbeddedConnectCluster> SHARED = new HashMap<>();

  private final EmbeddedConnectCluster connect;
  private final boolean shared;

  private ConnectCluster(EmbeddedConnectCluster connect, boolean shared) {
    this.connect = connect;
    this.shared = shared;
  }

  public static Builder builder() {
    return new Builder();
  }

  public EmbeddedConnectCluster connect() {
    return connect;
  }

  public EmbeddedKafkaCluster kafka() {
    return connect.kafka();
  }

  public String bootstrapServers() {
    return connect.kafka().bootstrapServers();
  }

  public void createConnector(String name, Map<String, String> config) {
    connect.configureConnector(name, config);
  }

  /** Waits until the connector and the given number of tasks report RUNNING. */
  public void awaitRunning(String name, int tasks, Duration timeout) {
    Awaitility.await("connector " + name + " running")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              ConnectorStateInfo info = connect.connectorStatus(name);
              long running = info.tasks().stream().filter(t -> "RUNNING".equals(t.state())).count();
              return "RUNNING".equals(info.connector().state()) && running >= tasks;
            });
  }

  /** The trace of the first failed task, or empty when none failed. */
  public String failedTaskTrace(String name) {
    return connect.connectorStatus(name).tasks().stream()
        .filter(t -> "FAILED".equals(t.state()))
        .map(ConnectorStateInfo.TaskState::trace)
        .collect(Collectors.joining("\n"));
  }

  /**
   * Stops the broker and worker(s); on a cluster of {@link Builder#startShared} deletes its
   * connectors instead (their offsets stay in Kafka: the next user picks other connector names).
   */
  @Override
  public void close() {
    if (!shared) {
      connect.stop();
      return;
    }
    for (String name : connect.connectors()) {
      connect.deleteConnector(name);
    }
    Awaitility.await("connectors of the shared cluster deleted")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> connect.connectors().isEmpty());
  }

  /** Options of the cluster to start. */
  public static final class Builder {
    private final List<Path> pluginDirs = new ArrayList<>();
    private final Map<String, String> workerProps = new HashMap<>();
    private String name = "pgsnow-test";
    private int workers = 1;

    private Builder() {
      workerProps.put("offset.flush.interval.ms", "500");
      workerProps.put("plugin.discovery", "hybrid_warn");
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder workers(int count) {
      this.workers = count;
      return this;
    }

    /**
     * Adds a directory holding built plugins (each a folder of jars), as a worker's {@code
     * plugin.path} entry would.
     */
    public Builder pluginPath(Path dir) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException(
            "Plugin directory " + dir.toAbsolutePath() + " does not exist: run the package phase");
      }
      pluginDirs.add(dir.toAbsolutePath());
      return this;
    }

    public Builder workerProperty(String key, String value) {
      workerProps.put(key, value);
      return this;
    }

    /** Enables the worker's exactly-once support for source connectors (KIP-618). */
    public Builder exactlyOnceSource() {
      return workerProperty("exactly.once.source.support", "enabled");
    }

    /** Starts a cluster of its own, stopped by {@link ConnectCluster#close}. */
    public ConnectCluster start() {
      return new ConnectCluster(build(), false);
    }

    /**
     * The cluster of these settings shared by the tests of this JVM: started on the first call,
     * running until the JVM exits. Starting and stopping a broker and worker costs about 20
     * seconds; tests that do not restart, kill or reconfigure the worker share one. {@link
     * ConnectCluster#close} deletes the connectors and leaves the cluster running.
     */
    public ConnectCluster startShared() {
      String key = name + "|" + workers + "|" + new TreeMap<>(workerProps) + pluginDirs;
      synchronized (SHARED) {
        EmbeddedConnectCluster cluster = SHARED.get(key);
        if (cluster == null) {
          // Not stopped: it ends with the JVM, whose exit hook (Kafka's) deletes its directories;
          // stopping it in another exit hook raced with that deletion.
          cluster = build();
          SHARED.put(key, cluster);
        }
        return new ConnectCluster(cluster, true);
      }
    }

    private EmbeddedConnectCluster build() {
      Map<String, String> props = new HashMap<>(workerProps);
      if (!pluginDirs.isEmpty()) {
        props.put(
            "plugin.path",
            pluginDirs.stream().map(Path::toString).collect(Collectors.joining(",")));
      }
      Properties broker = new Properties();
      broker.put("auto.create.topics.enable", "true");
      // One broker: the internal topics of transactions (exactly-once source) need factor 1.
      broker.put("transaction.state.log.replication.factor", "1");
      broker.put("transaction.state.log.min.isr", "1");
      EmbeddedConnectCluster cluster =
          new EmbeddedConnectCluster.Builder()
              .name(name)
              .numWorkers(workers)
              .numBrokers(1)
              .workerProps(props)
              .brokerProps(broker)
              .build();
      cluster.start();
      return cluster;
    }
  }
}
